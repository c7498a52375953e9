"""The prose engine (no Qt): the one place that reads figures in white-paper text.

- :mod:`.sentences` splits a paragraph into sentences;
- :mod:`.candidates` finds the numbers that may be figures (with scale, unit, qualifier);
- :mod:`.rates` turns change words + percentages into year-on-year changes;
- :mod:`.labels_en`, :mod:`.labels_zh` name each figure from the words around it;
- :mod:`.extract` runs these per sentence: :func:`~.extract.extract_figures`;
- :mod:`.bindings` writes bound figures into text (``{{key}}``) and binds literal ones;
- :mod:`.spans` finds which span a position falls in.

The importer, ``bind``, the checks, the window and the PDF all read prose through here.
"""
