"""Sizes of memory and storage in gigabytes, from a figure and its unit: shared by the donors' manifests
(donations) and the bench's hardware reports (inventory), importing neither."""

from donations.enums import SizeUnit

# Memory is counted in binary units (8192 MB of RAM is 8 GB).
RAM_FACTORS = {
    SizeUnit.BYTES: 1 / 1024**3,
    SizeUnit.KB: 1 / 1024**2,
    SizeUnit.MB: 1 / 1024,
    SizeUnit.GB: 1,
    SizeUnit.TB: 1024,
}
# Storage is sold in decimal gigabytes; tools report it in binary MB of what the system sees, a little under
# the size on the label: converted, then brought to the nearest usual capacity when close to one.
STORAGE_FACTORS = {
    SizeUnit.BYTES: 1 / 1000**3,
    SizeUnit.KB: 1024 / 1000**3,
    SizeUnit.MB: 1024**2 / 1000**3,
    SizeUnit.GB: 1,
    SizeUnit.TB: 1000,
}
USUAL_STORAGE_GB = [8, 16, 32, 64, 120, 128, 240, 250, 256, 320, 480, 500, 512, 750, 1000, 2000, 4000, 8000]


def to_gb(field: str, value: float, unit: str) -> int:
    unit = unit or SizeUnit.GB
    if field == "ram_gb":
        return round(value * RAM_FACTORS[unit])
    gigabytes = value * STORAGE_FACTORS[unit]
    if unit != SizeUnit.GB:
        close = [usual for usual in USUAL_STORAGE_GB if usual * 0.88 <= gigabytes <= usual * 1.05]
        if close:
            return min(close, key=lambda usual: abs(gigabytes - usual) / usual)
    return round(gigabytes)
