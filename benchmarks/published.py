"""How kerascheck fares on complete published programs kept outside the repository (issue 13).

    python benchmarks/published.py DIR [DIR ...] [--json OUT] [--show-findings]

DIR holds published programs (scripts and notebooks) taken from fetched snapshots of public
repositories (the keras-io examples, tensorflow/docs tutorials, the Deep Learning with Python and
Hands-On ML notebooks); nothing of them is committed. kerascheck runs on them as a user would run
it (one process, `--format json --no-cache`), and this prints, per corpus and in all:

- files, the files that mention Keras, and the models and layers kerascheck found;
- the layers whose output shape kerascheck gives at all, and those fully known (every axis but
  the batch axis a number: no unknown and no symbolic size);
- the errors and warnings per rule, per 100 files (on published code that works, each is a false
  alarm unless the program really has a fault), and internal errors (KC900) and crashes.

The agreement of those shapes with Keras's is measured by tests/test_programs.py on the blind
corpus, where every program runs under real Keras.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_kerascheck(directory: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "kerascheck", "--format", "json", "--no-cache", "--select", "KC", str(directory)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode not in (0, 1) and not done.stdout.strip().startswith("{"):
        raise SystemExit(f"kerascheck failed on {directory} (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def fully_known(shape: Any) -> bool:
    if shape is None:
        return False
    if shape and isinstance(shape[0], list):
        return all(fully_known(s) for s in shape)
    return all(isinstance(d, int) for d in shape[1:])


def measure(directory: Path) -> dict[str, Any]:
    files = [p for p in directory.rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file()]
    keras_files = [p for p in files if "keras" in p.read_text(errors="replace") or "tensorflow" in p.read_text(
        errors="replace")]
    start = time.perf_counter()
    report = run_kerascheck(directory)
    seconds = time.perf_counter() - start
    models = layers = given = known = 0
    findings: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for entry in report["files"]:
        for model in entry["models"]:
            models += 1
            for layer in model["layers"]:
                layers += 1
                given += layer["output_shape"] is not None
                known += fully_known(layer["output_shape"])
        for d in entry["diagnostics"]:
            if d["severity"] in ("error", "warning") or d["code"] == "KC900":
                findings[d["code"]] += 1
                where = f"{entry['path']}:{d.get('cell', '')}{':' if 'cell' in d else ''}{d['line']}"
                examples[d["code"]].append(f"{where} {d['message']}")
    return {
        "directory": str(directory), "files": len(files), "keras_files": len(keras_files), "models": models,
        "layers": layers, "shape_given": given, "fully_known": known, "findings": dict(findings),
        "examples": dict(examples), "seconds": round(seconds, 1),
    }


def show(figure: dict[str, Any], details: bool) -> None:
    layers = figure["layers"] or 1
    per100 = 100 / max(figure["keras_files"], 1)
    alarms = sum(n for code, n in figure["findings"].items() if code != "KC900")
    print(f"{figure['directory']}")
    print(f"  files {figure['files']} ({figure['keras_files']} mention Keras), models {figure['models']}, "
          f"layers {figure['layers']}, {figure['seconds']} s")
    print(f"  shape given  {figure['shape_given']}/{figure['layers']} ({figure['shape_given'] / layers:.1%})")
    print(f"  fully known  {figure['fully_known']}/{figure['layers']} ({figure['fully_known'] / layers:.1%})")
    print(f"  errors and warnings: {alarms} ({alarms * per100:.1f} per 100 Keras files); "
          f"internal errors: {figure['findings'].get('KC900', 0)}")
    for code, n in sorted(figure["findings"].items()):
        print(f"    {code} {n}")
        if details:
            for line in figure["examples"][code][:20]:
                print(f"      {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--show-findings", action="store_true", help="list up to 20 findings per rule")
    args = parser.parse_args()
    figures = [measure(d) for d in args.dirs]
    total: dict[str, Any] = {"directory": "all", "findings": collections.Counter(), "examples": {}, "seconds": 0.0}
    for key in ("files", "keras_files", "models", "layers", "shape_given", "fully_known"):
        total[key] = sum(f[key] for f in figures)
    for f in figures:
        total["findings"].update(f["findings"])
        total["seconds"] += f["seconds"]
        show(f, args.show_findings)
    total["seconds"] = round(total["seconds"], 1)
    if len(figures) > 1:
        show(total, False)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
