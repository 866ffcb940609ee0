"""claimdiff's pipeline: sources → extract → validate & ground → store → compare."""
