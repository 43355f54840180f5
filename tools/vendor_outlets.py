"""Vendor the MIT-licensed outlet registry's public fields into the package.

Usage: python tools/vendor_outlets.py [../shared/data/outlets]
"""

import json
import shutil
import sys
from pathlib import Path

FIELDS = ("organization", "domains", "country", "typology")


def main(folder: str = "../shared/data/outlets") -> None:
    source = Path(folder)
    target = Path(__file__).resolve().parent.parent / "src" / "triangulate" / "data"
    registry = json.loads((source / "media_data.json").read_text(encoding="utf-8"))
    rows = [{key: outlet[key] for key in FIELDS} for outlet in registry]
    (target / "outlets.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0), "utf-8")
    shutil.copyfile(source / "LICENSE", target / "outlets.LICENSE")
    print(json.dumps({"outlets": len(rows)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
