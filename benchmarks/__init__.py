"""Benchmarks for citegraph: a synthetic corpus generator and one script per stage."""
