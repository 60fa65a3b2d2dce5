"""Benchmarks: each area has a module that returns a dict of measured figures."""
