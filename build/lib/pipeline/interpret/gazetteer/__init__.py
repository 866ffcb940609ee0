"""The gazetteer's internals (keys, data sources, index build, on-disk index); the public API is
`pipeline.interpret.places`."""
