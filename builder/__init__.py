"""Sprintback: return-to-sprint protocols in YAML, built into a team site and calendar feeds."""

__version__ = "0.1.0"
