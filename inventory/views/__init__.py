"""Workshop pages, one module per part of the work: access, register, stock, intake, devices, bench, imports."""
