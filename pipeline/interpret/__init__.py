"""Interpret: drafts → records and facts (`interpret.records.interpret`).

Modules, one job each: `numbers` (number phrases → intervals, per language), `measures` (what a
number counts), `scope` (what a figure is a figure of), `dates` (date words → dates with a
precision), `places` (the gazetteer), `events` (event types), `record_places` (which places a
record's words name, and which are believed), `records` (all of it together).
"""
