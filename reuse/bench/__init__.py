"""Benchmark tooling, in one place and outside the product's apps: the `bench*` management commands
(reuse/bench/management/commands) and what they share, one module per concern.

Nothing here asserts on time: the figures are printed with the machine, the database and the data size. Load is
sent to 127.0.0.1 only and every loop is bounded in count and time. Benchmark data obeys the product's rules (a
listed data-bearing device has a verified erasure of each medium: see reuse.bench.data).
"""
