"""Benchmarks and quality evaluations of wiretrace against ../shared/data."""
