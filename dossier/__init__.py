"""The Sahel Arms Dossier: a sourced dataset rendered into a static site."""

__version__ = "0.1.0"
