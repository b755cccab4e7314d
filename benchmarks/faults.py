"""The fault-corpus measurement (issue 4): how many documented real Keras faults kerascheck finds.

    python benchmarks/faults.py

Reuses tests/test_faults.py: a pair in fixtures/faults/ is detected when every `# Expect:` of its
buggy file is reported at its line (and cell), or, for a pair written blind, when an error or warning
is reported at one of its `# Fault-line:` lines; a false alarm is an error or warning on a fixed file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_faults import PAIRS, TARGET_RATE, blind_first, measure  # noqa: E402


def main() -> None:
    figure = measure()
    notebooks = sum(p.buggy.endswith(".ipynb") for p in PAIRS)
    print(f"pairs          {figure['pairs']} ({notebooks} notebooks)")
    print(f"detected       {figure['detected']}")
    print(f"rate           {figure['rate']:.1%} (target {TARGET_RATE:.0%})")
    if figure["blind_pairs"]:
        share = figure["blind_detected"] / figure["blind_pairs"]
        print(f"blind pairs    {figure['blind_detected']}/{figure['blind_pairs']} ({share:.1%}) today: pairs labelled by"
              " line only (`Fault-line`), detected by any error or warning there")
        for batch, record in blind_first()["batches"].items():
            found = len(record["pairs"]) - len(record["missed"])
            print(f"  {batch:12} {found}/{len(record['pairs'])} blind-first (before any change for them, at"
                  f" {record['measured_at']})")
    print(f"false alarms   {len(figure['false_alarms'])} fixed files with an error or warning")
    if figure["misses"]:
        print("\nmisses:")
        for slug, why in figure["misses"].items():
            print(f"  {slug}: {why}")
    for slug, found in figure["false_alarms"].items():
        print(f"  false alarm on {slug}_fixed: {', '.join(found)}")


if __name__ == "__main__":
    main()
