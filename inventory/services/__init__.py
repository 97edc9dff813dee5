"""Workshop use-cases, one module per capability: workshops, intake (check-in), devices, erasures, bench, labels, stock_csv.

Each is keyword-only, atomic where it writes, and raises `reuse.errors` types with French messages; views, the
API and the imports call the module they need.
"""
