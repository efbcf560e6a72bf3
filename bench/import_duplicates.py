"""Benchmark: the import's duplicate check at 10,000 and 100,000 rows (DESIGN §9).

    .venv/bin/python bench/import_duplicates.py [--rows 10000 100000] [--strict]

Makes a throwaway test database (as bench/map_layer.py does), then times, for files whose
rows all share one point (the worst case for a check that compares only nearby rows):
`duplicates_flag` (assets.services.duplicates) over the checked rows, beside the floor of
reading the same rows from CSV (`_parse`), in CPU seconds (the machine is shared). Three
kinds of file: every row the same name; numbered names ("Community place 17"), each like many
others; and random names, like none. Target: every case under 10 s at 100,000 rows ("seconds,
not hours"). With --strict, a miss exits with status 1.
"""

import argparse
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import map_layer  # noqa: E402, F401 (sets Django up)
from throwaway import throwaway_database  # noqa: E402

from assets.models import AssetCategory  # noqa: E402
from assets.services.duplicates import duplicates_flag as _duplicates_flag  # noqa: E402
from assets.services.imports.checking import _Checked  # noqa: E402
from assets.services.imports.formats import _parse  # noqa: E402

POINT = (51.6290, -3.9565)
TARGET_SECONDS = 10.0


def names(kind: str, rows: int, rng: random.Random) -> list[str]:
    if kind == "one name":
        return ["Townhill Community Centre"] * rows
    if kind == "numbered names":
        return [f"Community place {n}" for n in range(rows)]
    letters = string.ascii_lowercase + " "
    return ["".join(rng.choices(letters, k=rng.randint(8, 40))).strip() or "x" for _ in range(rows)]


def timed(work) -> float:
    """CPU seconds: on a shared machine, what the work costs rather than how busy others are."""
    start = time.process_time()
    work()
    return time.process_time() - start


def case(kind: str, rows: int, category: AssetCategory) -> tuple[float, float]:
    """(floor, check) in seconds for one file."""
    given = names(kind, rows, random.Random(rows))
    content = "name,category,latitude,longitude\n" + "".join(
        f'"{name}",{category.slug},{POINT[0]},{POINT[1]}\n' for name in given
    )
    floor = timed(lambda: _parse(content=content, format="csv"))
    checked = [
        _Checked(
            row=n,
            name=name,
            fields={},
            category=category,
            category_given=category.slug,
            category_default=False,
            latitude=POINT[0],
            longitude=POINT[1],
        )  # fmt: skip
        for n, name in enumerate(given, start=2)
    ]
    return floor, timed(lambda: _duplicates_flag(checked))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    passed = []
    with throwaway_database():
        category = AssetCategory.objects.get(slug="community-centre")
        print(f"{'file':<16} {'rows':>8} {'floor: parse':>13} {'check':>8}  target (CPU s)")
        for rows in args.rows:
            for kind in ("one name", "numbered names", "random names"):
                floor, check = case(kind, rows, category)
                ok = rows < 100_000 or check < TARGET_SECONDS
                passed.append(ok)
                verdict = ("PASS" if ok else "MISS") if rows >= 100_000 else "-"
                print(f"{kind:<16} {rows:>8,} {floor:>13.2f} {check:>8.2f}  {verdict}")
    print(f"Target: the check under {TARGET_SECONDS:.0f} CPU s for 100,000 rows at one point.")
    return 1 if args.strict and not all(passed) else 0


if __name__ == "__main__":
    sys.exit(main())
