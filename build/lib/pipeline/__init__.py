"""claimdiff: news reports → comparable, evidence-grounded facts in DuckDB."""
