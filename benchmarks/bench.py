"""kerascheck's speed, measured side by side in one run (by hand; timing never belongs in tests).

    python benchmarks/bench.py [--runs N] [--corpus DIR]

1. Per-file latency: `kerascheck FILE` as a fresh process, against `python -c "import libcst"`.
2. Throughput over a corpus of model files, against LibCST's own bare parse of the same files:
   one process, then two worker processes.
3. The same model's summary from real Keras (numpy backend, its lightest), as a fresh process.

Medians of several runs. The targets (issue 5): latency <= 1.5x `import libcst`; throughput >= 40%
of the bare parse rate on one core and about twice that with two processes; per file >= 5x
faster than Keras with the numpy backend.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = ROOT / "fixtures" / "origin" / "origin.py"


def timed_process(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def corpus(directory: pathlib.Path) -> list[tuple[str, str]]:
    files = sorted(p for p in directory.rglob("*.py") if "broken" not in p.parts)
    return [(str(p), p.read_text(encoding="utf-8")) for p in files]


def best_of(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    return min(_once(fn) for _ in range(runs))


def _once(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=pathlib.Path, default=ROOT / "fixtures")
    args = parser.parse_args()
    py = sys.executable

    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {args.runs} runs each, medians\n")

    libcst_import = timed_process([py, "-c", "import libcst"], args.runs)
    latency = timed_process([py, "-m", "kerascheck", "--no-cache", str(ORIGIN)], args.runs)
    print("1. per-file latency")
    print(f"   python -c 'import libcst'      {libcst_import * 1000:8.0f} ms")
    print(f"   kerascheck origin.py           {latency * 1000:8.0f} ms   ratio {latency / libcst_import:.2f} (target <= 1.5)")

    import libcst

    from kerascheck.engine import Settings, check_text
    from kerascheck.runner import check_many

    files = corpus(args.corpus)
    lines = sum(text.count("\n") for _, text in files)
    parse = best_of(lambda: [libcst.parse_module(text) for _, text in files], args.runs)
    check = best_of(lambda: [check_text(path, text) for path, text in files], args.runs)
    paths = [path for path, _ in files]
    two = best_of(lambda: check_many(paths, lambda f: Settings(), jobs=2), max(3, args.runs // 2))
    print(f"\n2. throughput over {len(files)} files, {lines} lines ({args.corpus.relative_to(ROOT) if args.corpus.is_relative_to(ROOT) else args.corpus})")
    print(f"   libcst.parse_module, 1 process {len(files) / parse:8.0f} files/s")
    print(f"   kerascheck, 1 process          {len(files) / check:8.0f} files/s   {parse / check:.0%} of the parse rate (target >= 40%)")
    print(f"   kerascheck, 2 processes        {len(files) / two:8.0f} files/s   {parse / two:.0%} of the parse rate (target about 80%)")

    env = {**os.environ, "KERAS_BACKEND": "numpy", "TF_CPP_MIN_LOG_LEVEL": "3"}
    import importlib.util

    if importlib.util.find_spec("keras") is None:
        print("\n3. real Keras: not installed (pip install -e '.[test]'), not measured")
        return
    script = ORIGIN.read_text().replace("from tensorflow.keras import", "from keras import")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(script + "\nmodel.summary()\n")
    keras_time = timed_process([py, f.name], max(3, args.runs // 2), env=env)
    os.unlink(f.name)
    print("\n3. the origin model's summary")
    print(f"   real Keras (numpy backend)     {keras_time * 1000:8.0f} ms")
    print(f"   kerascheck --shapes            {latency * 1000:8.0f} ms   {keras_time / latency:.1f}x faster (target >= 5x)")
    print("   TensorFlow's Keras: not installed here, not measured")


if __name__ == "__main__":
    main()
