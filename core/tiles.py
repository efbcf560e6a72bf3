"""A stand-in tile server for tests (DESIGN §10: tests never reach the internet): every tile
is the same plain 256×256 PNG. Routed only when settings.MAP_TILES_STUB is on (test settings)."""

import struct
import zlib
from functools import cache

from django.http import HttpResponse

SIZE = 256
LAND = bytes((242, 239, 233))  # the pale ground colour of OpenStreetMap's standard style
GRID = bytes((200, 196, 188))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


@cache
def tile_png() -> bytes:
    """A pale tile with a darker edge, so a screenshot shows where the tiles are."""
    edge = GRID * SIZE
    inner = GRID + LAND * (SIZE - 1)
    rows = [edge] + [inner] * (SIZE - 1)
    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def stub_tile(request, z: int, x: int, y: int):
    """Public, like a tile server: the same tile for every z/x/y."""
    return HttpResponse(tile_png(), content_type="image/png")
