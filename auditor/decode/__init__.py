"""ABI loading, event signatures and log decoding. Pure functions, no I/O beyond reading ABI files."""
