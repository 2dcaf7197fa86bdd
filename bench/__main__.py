"""`make bench`: run every benchmark in bench/ (each a script with main()), one after another."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_all(names: list[str]) -> None:
    scripts = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))
    for script in scripts:
        if names and script.stem not in names:
            continue
        print(f"== bench/{script.name}", flush=True)
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    run_all(sys.argv[1:])
