"""Draw the example caseload's pictures: plain silhouettes standing in for photographs
(the children and families are fictional, so no real photograph could be used) and a
simple genogram diagram. Pure Python (zlib + struct), no image library needed.

    python examples/tools/make_pictures.py      # writes every picture the CPRs name
"""
from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

CASELOAD = Path(__file__).resolve().parent.parent / "caseload"
PALETTE = [(198, 219, 239), (222, 235, 200), (245, 222, 200), (230, 210, 235), (250, 240, 190), (210, 230, 230)]


def png(width: int, height: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def silhouette(seed: int) -> bytes:
    background = PALETTE[seed % len(PALETTE)]
    figure = tuple(max(0, c - 90) for c in background)
    w, h = 240, 300
    def pixel(x, y):
        head = (x - 120) ** 2 + (y - 115) ** 2 <= 55 ** 2
        shoulders = y > 185 and ((x - 120) / 105) ** 2 + ((y - 300) / 115) ** 2 <= 1
        return figure if head or shoulders else background
    return png(w, h, pixel)


def genogram() -> bytes:
    """Squares for men, circles for women, joined by lines: an illustrative family tree."""
    w, h = 480, 300
    males = [(120, 70), (300, 190), (420, 190)]
    females = [(360, 70), (180, 190), (60, 190)]
    def pixel(x, y):
        for cx, cy in males:
            if abs(x - cx) <= 24 and abs(y - cy) <= 24 and (abs(x - cx) >= 21 or abs(y - cy) >= 21):
                return (40, 40, 40)
        for cx, cy in females:
            d = (x - cx) ** 2 + (y - cy) ** 2
            if 21 ** 2 <= d <= 24 ** 2:
                return (40, 40, 40)
        if y in (70, 71) and 144 <= x <= 336:          # marriage line
            return (40, 40, 40)
        if x in (240, 241) and 70 <= y <= 130:          # line of descent
            return (40, 40, 40)
        if y in (130, 131) and 60 <= x <= 420:          # sibling line
            return (40, 40, 40)
        if any(x in (cx, cx + 1) and 130 <= y <= 166 for cx, _ in males[1:] + females[1:]):
            return (40, 40, 40)
        return (255, 255, 255)
    return png(w, h, pixel)


def main() -> None:
    made = 0
    for cpr in sorted(CASELOAD.glob("*/cpr.json")):
        data = json.loads(cpr.read_text("utf-8"))
        for n, photo in enumerate(data.get("photographs", [])):
            if photo.get("file"):
                target = cpr.parent / photo["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(silhouette(n + len(str(cpr))))
                made += 1
        gfile = (data.get("genogram") or {}).get("file")
        if gfile:
            (cpr.parent / gfile).write_bytes(genogram())
            made += 1
    print(f"{made} pictures written")


if __name__ == "__main__":
    main()
