"""ipviewer: a desktop editor for bilingual intellectual-property white papers."""

__version__ = "0.1.0"
