"""Printable patient handouts from YAML content: validated, readable, branded PDFs."""

__version__ = "0.1.0"
