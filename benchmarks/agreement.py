"""The corpus agreement (issue 3): how many layers of realistic model code kerascheck gets exactly as Keras does.

    python benchmarks/agreement.py

Reuses tests/test_corpus_agreement.py: every layer of every model Keras builds from the files in
fixtures/realworld/ counts; it agrees when kerascheck gives the same type, output shape and
parameter count.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_corpus_agreement import TARGET_AGREEMENT, describe, measure  # noqa: E402


def main() -> None:
    # Keras prints each fixture's model.summary(); keep only the figure on stdout.
    stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        figure = measure()
    finally:
        sys.stdout = stdout
    print(f"files          {figure['files']}")
    print(f"models         {figure['models']}")
    print(f"layers         {figure['layers']}")
    print(f"agreeing       {figure['agreeing']}")
    print(f"agreement      {figure['agreement']:.1%} (target {TARGET_AGREEMENT:.0%})")
    if figure["disagreements"]:
        print("\ndisagreements:")
        for layer in figure["disagreements"]:
            print(f"  {describe(layer)}")


if __name__ == "__main__":
    main()
