"""Benchmarks B1-B4: each `python -m benchmarks.NAME` prints one JSON object."""
