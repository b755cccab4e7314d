"""The corpus agreement (issue 3): how many layers of realistic model code kerascheck gets exactly as Keras does.

    python benchmarks/agreement.py              # the realworld corpus
    python benchmarks/agreement.py --programs   # the complete programs, beside their blind-first figures

Reuses tests/test_corpus_agreement.py: every layer of every model Keras builds from the files in
fixtures/realworld/ counts; it agrees when kerascheck gives the same type, output shape and
parameter count. With --programs, reuses tests/test_programs.py on fixtures/programs/, where the
layer's name is compared too (each program run under Keras through tests/programs_harness/, which
takes some minutes), and prints
beside today's figures the blind-first ones of fixtures/programs/blind.json.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_corpus_agreement import TARGET_AGREEMENT, describe, measure  # noqa: E402


def _share(agreeing: int, layers: int) -> str:
    return f"{agreeing}/{layers} ({agreeing / layers:.1%})" if layers else "0/0"


def programs_report(figure: dict[str, Any], blind: dict[str, Any]) -> list[str]:
    """The programs' figures per file, per blind batch and in all, each beside its blind-first figure."""
    lines = [f"{'program':<52} {'today':>16} {'shape given':>12}   blind-first"]
    for path, today in figure["per_file"].items():
        name = Path(path).name
        first = blind["per_file"].get(name)
        lines.append(f"{name:<52} {_share(today['agreeing'], today['layers']):>16} {today['given']:>12}   "
                     + (_share(first["agreeing"], first["layers"]) if first else "-"))
    lines.append("")
    batches = [key for key in blind if key.startswith("programs_")]
    for batch in batches:
        files = set(blind[batch]["files"])
        agreeing = sum(f["agreeing"] for p, f in figure["per_file"].items() if Path(p).name in files)
        layers = sum(f["layers"] for p, f in figure["per_file"].items() if Path(p).name in files)
        lines.append(f"{batch:<52} {_share(agreeing, layers):>16} {'':>12}   "
                     f"{_share(blind[batch]['agreeing'], blind[batch]['layers'])}")
    first_agreeing = sum(blind[batch]["agreeing"] for batch in batches)
    first_layers = sum(blind[batch]["layers"] for batch in batches)
    lines.append(f"{'all ' + str(figure['files']) + ' programs':<52} {_share(figure['agreeing'], figure['layers']):>16} "
                 f"{figure['given']:>12}   {_share(first_agreeing, first_layers)}")
    lines.append(f"\nkerascheck gives a shape for {figure['given']} of {figure['layers']} layers "
                 f"({figure['given'] / max(figure['layers'], 1):.1%})")
    lines.append(f"{figure['keras_shapeless']} layers have no output shape in Keras (run only inside a subclassed"
                 " model's call): they are compared on type and parameters")
    return lines


def main_programs() -> None:
    from test_programs import blind_figures
    from test_programs import describe as describe_program_layer
    from test_programs import measure as measure_programs

    figure = measure_programs()
    print("\n".join(programs_report(figure, blind_figures())))
    if figure["disagreements"]:
        print("\ndisagreements:")
        for layer in figure["disagreements"]:
            print(f"  {describe_program_layer(layer)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", action="store_true",
                        help="measure the complete programs of fixtures/programs/ instead of the realworld corpus")
    if parser.parse_args().programs:
        main_programs()
        return
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
