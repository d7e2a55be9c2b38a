"""Synthetic data: plausible case histories for the demo and the benchmarks.

It sits above the apps whose data it writes (dossiers today, portal ratings with them) and may
import any app's models and services; no app imports it. ``generate`` plans and writes whole
dossier lives the way the office works; ``bulk`` writes them in batches (``egov generate``, the
demo's years of history). Generators for documents, reports and tasks belong here too.
"""
