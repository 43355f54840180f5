"""Vendor the MIT-licensed outlet registry's public fields into the package.

Usage: python tools/vendor_outlets.py [../shared/data/outlets]
"""

import json
import shutil
import sys
from pathlib import Path

FIELDS = ("organization", "domains", "country", "typology")
OWNER_CHARS = 60  # a longer owner field is prose about ownership, not a name to compare


def main(folder: str = "../shared/data/outlets") -> None:
    source = Path(folder)
    target = Path(__file__).resolve().parent.parent / "src" / "triangulate" / "data"
    registry = json.loads((source / "media_data.json").read_text(encoding="utf-8"))
    rows = [{key: outlet[key] for key in FIELDS} for outlet in registry]
    for row, outlet in zip(rows, registry, strict=True):
        owner = (outlet.get("owner") or "").strip()
        if owner and len(owner) <= OWNER_CHARS and owner.casefold() not in ("unknown", "independent"):
            row["owner"] = owner
    (target / "outlets.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0), "utf-8")
    shutil.copyfile(source / "LICENSE", target / "outlets.LICENSE")
    print(json.dumps({"outlets": len(rows)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
