"""Data the portal can be filled with: the demo for a first look, and national scale for the benchmarks.

These drive the apps through their services, so, unlike the plumbing, they import them.
"""
