"""Prompt texts (Markdown), shipped as package data: `common.md` and one file per record type."""
