"""Benchmarks: speed and quality measured outside the test suite (`make bench`)."""
