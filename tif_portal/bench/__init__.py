"""Benchmarks: python -m tif_portal.bench (all) or python -m tif_portal.bench.<name>."""
