"""Log decoding: topic0 dispatch and fast decoding of fetched logs into rows. Pure functions."""
