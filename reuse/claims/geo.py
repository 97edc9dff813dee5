"""Department-level proximity for "near a postcode": the centroid of each département of Île-de-France and
its neighbours (rounded, from the INSEE/IGN outlines), and the distance between them.

A postcode is placed at its département's centroid; devices are kept when their workshop's département
centroid lies within the radius (the postcode's own département always counts). Coarse on purpose: it needs
no geocoding service and works offline.
"""

import math

CENTROIDS = {
    "75": (48.8566, 2.3522),
    "77": (48.6190, 2.9990),
    "78": (48.8150, 1.8450),
    "91": (48.5220, 2.2430),
    "92": (48.8400, 2.2450),
    "93": (48.9170, 2.4790),
    "94": (48.7770, 2.4690),
    "95": (49.0830, 2.1310),
    "60": (49.4100, 2.4250),
    "02": (49.5600, 3.5600),
    "51": (48.9600, 4.2400),
    "10": (48.3200, 4.1600),
    "89": (47.8400, 3.5700),
    "45": (47.9100, 2.3400),
    "28": (48.3000, 1.3700),
    "27": (49.1100, 1.0000),
}


def department_of_postcode(postcode: str) -> str:
    postcode = (postcode or "").strip()
    if len(postcode) != 5 or not postcode.isdigit():
        return ""
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    if postcode.startswith("97"):
        return postcode[:3]
    return postcode[:2]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def departments_near(postcode: str, radius_km: int) -> list[str]:
    own = department_of_postcode(postcode)
    if not own:
        return []
    origin = CENTROIDS.get(own)
    if origin is None:
        return [own]
    near = {code for code, point in CENTROIDS.items() if distance_km(origin, point) <= radius_km}
    return sorted(near | {own})
