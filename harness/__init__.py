"""How the browser tests and the benchmarks drive the app: one home for both (neither imports the other)."""
