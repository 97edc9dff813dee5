"""What the workshop's own tools produce, read as they write it.

- `snapshots`: hardware probes (eReuse Workbench snapshots, `lshw -json`, `smartctl --json`, `dmidecode`
  text) become the device's specs and the list of its storage media.
- `erasures`: erasure reports (nwipe / ShredOS log and PDF certificate, read by `nwipe`; eReuse Workbench
  erasures; a JSON report stating serial, method, passes, verification and result) become one `entries.Entry`
  per medium, then one erasure record each.
- `services`: the use-cases (match by serial, keep the original report as evidence, a zip of reports).

The parsers never touch the database; a file they cannot read is refused in one line naming what it looks like.
"""
