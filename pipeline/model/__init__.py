"""Model: the chat endpoint extraction talks to — the embedded llama.cpp server or any
OpenAI-compatible one — with its transport retries and recorded traffic (cassettes)."""
