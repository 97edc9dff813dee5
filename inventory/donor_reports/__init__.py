"""The donor's view of what became of its devices: the lot's per-serial report and its exports, the erasure
certificate, the erasure reports, the impact pages and the donor's dashboard and lot page that count devices.

They read the workshop's devices and erasures, and inventory sits above donations (a device's `lot` points at
the donor's lot): so they live here, while their URLs stay under /dons/ in the `donations` namespace
(reuse/urls.py joins both URL lists) and their templates under templates/donations/.
"""
