"""Parc Fermé: a championship's results, penalties and standings on Discord."""

__version__ = "0.1.0"
