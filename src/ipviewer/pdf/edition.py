"""The conventions of an official edition: one setting each, the government edition's by default.

A white paper printed by a government office follows conventions a reader takes for "the
official edition": sections numbered （一）（二） in Chinese, headings without a final 。,
a blank page behind the cover, numbered tables and figures with their source lines,
three-line tables (三线表), mirrored margins for double-sided printing, a page count padded
to a multiple of 4 for the binder, roman page labels for the front matter, an imprint page.
Each is a field of :class:`Edition`; the layout and the content read them from here, and
nowhere else decides them. Another office's house style is another :class:`Edition`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """How the printed edition is set; the defaults are the government edition's."""

    #: Sections numbered （一）（二）… in Chinese and 1. 2. … in English under their part.
    section_numbers: bool = True
    #: A heading's final full stop (。 or .) is dropped.
    headings_without_stop: bool = True
    #: An imprint page (publisher, date, contact) after the cover.
    imprint: bool = True
    #: A blank page behind the cover, so the imprint opens on a right-hand page (the first
    #: part always does: a blank page after the contents when needed).
    blank_after_cover: bool = True
    #: Indicator names in English tables and charts start with a capital ("Patent
    #: applications"); the rest of the name is printed as the glossary or the report has it.
    capitalized_names: bool = True
    #: Tables and figures numbered through the paper: 表1 / Table 1, 图1 / Figure 1.
    numbered_tables: bool = True
    #: A source line (数据来源 / Source) under each table and figure.
    source_lines: bool = True
    #: Three-line tables (三线表): rules above and below the header and below the last row.
    three_line_tables: bool = True
    #: Inner and outer margins swap on left-hand pages (double-sided printing).
    mirrored_margins: bool = True
    #: The page count is padded with blank pages to a multiple of this (1: no padding).
    pad_pages_to: int = 4
    #: Roman page labels (i, ii, …) for the front matter, arabic from the first part.
    roman_front_matter: bool = True


#: The government edition: every convention on.
GOVERNMENT = Edition()
