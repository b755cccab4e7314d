"""kerascheck's speed, measured side by side in one run (by hand; timing never belongs in tests).

    python benchmarks/bench.py [--runs N] [--corpus DIR] [--repeat N] [--tf-python PATH]

1. Per-file latency: `kerascheck FILE` as a fresh process, against `python -c "import libcst"`.
2. Throughput over a corpus of model files (the fixtures, `--repeat` copies of them), against
   LibCST's own bare parse of the same files on one core: kerascheck in one process, then with two
   worker processes as the command line starts them; and the whole command (start-up included).
3. The same model's summary from real Keras as a fresh process: Keras 3 with its numpy backend (its
   lightest), and TensorFlow's Keras when `--tf-python` names a Python that has TensorFlow.

Fresh processes run as an installed kerascheck runs: with PYTHONDONTWRITEBYTECODE removed from
their environment and after one untimed warm-up run, so every module comes from its .pyc (pip
writes them at install; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile
kerascheck on every start). The commands being compared alternate, so a neighbour's load on a
shared machine falls on both; medians of the fresh processes, best of the in-process runs (CPU
time for one process, wall time for two).

The targets (issue 5): latency <= 1.5x `import libcst`; throughput >= 40% of the bare parse rate
on one core and about twice that with two processes; per file >= 5x faster than Keras with the
numpy backend and >= 10x faster than TensorFlow's Keras.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = ROOT / "fixtures" / "origin" / "origin.py"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_processes(
    commands: dict[str, list[str]], runs: int, env: dict[str, str] | None = None, cwd: pathlib.Path | None = None
) -> dict[str, float]:
    """Median wall time of each command as a fresh process; one warm-up each, then alternating."""
    env = env or ENV
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t[1:]) for name, t in times.items()}


def best_of(fns: list[Callable[[], object]], runs: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """The best time of each function, the functions taking turns (as the fresh processes do)."""
    best = [float("inf")] * len(fns)
    for _ in range(runs):
        for k, fn in enumerate(fns):
            start = clock()
            fn()
            best[k] = min(best[k], clock() - start)
    return best


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of this process and the worker processes it waited for, while `fn` runs."""
    before = os.times()
    fn()
    after = os.times()
    return sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))


def copy_corpus(source: pathlib.Path, repeat: int, into: pathlib.Path) -> list[str]:
    """`repeat` copies of the corpus's Python files (the deliberately broken ones left out)."""
    originals = sorted(p for p in source.rglob("*.py") if "broken" not in p.relative_to(source).parts)
    paths = []
    for copy in range(repeat):
        for p in originals:
            target = into / f"copy{copy}" / p.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
            paths.append(str(target))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--corpus", type=pathlib.Path, default=ROOT / "fixtures")
    parser.add_argument("--repeat", type=int, default=3, help="copies of the corpus to check (default: 3)")
    parser.add_argument(
        "--tf-python",
        default=None,
        metavar="PATH",
        help="a Python with TensorFlow installed, to time TensorFlow's Keras too",
    )
    args = parser.parse_args()
    py = sys.executable
    kerascheck = [py, "-m", "kerascheck", "--no-cache"]

    print(
        f"python {sys.version.split()[0]} on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
        f"start; fresh processes: median of {args.runs} after a warm-up, .pyc files written; in-process: best of "
        f"{args.runs}\n"
    )

    latency = timed_processes(
        {
            "libcst": [py, "-c", "import libcst"],
            "kerascheck": [*kerascheck, str(ORIGIN)],
            "shapes": [*kerascheck, "--shapes", str(ORIGIN)],
        },
        args.runs,
    )
    print("1. per-file latency")
    print(f"   python -c 'import libcst'           {latency['libcst'] * 1000:6.0f} ms")
    print(
        f"   kerascheck origin.py                {latency['kerascheck'] * 1000:6.0f} ms   "
        f"ratio {latency['kerascheck'] / latency['libcst']:.2f} (target <= 1.5)"
    )

    import libcst

    from kerascheck.engine import Settings
    from kerascheck.runner import check_many

    with tempfile.TemporaryDirectory() as tmp:
        paths = copy_corpus(args.corpus, args.repeat, pathlib.Path(tmp))
        texts = [pathlib.Path(p).read_text(encoding="utf-8") for p in paths]
        lines = sum(text.count("\n") for text in texts)

        def parse() -> None:
            for text in texts:
                libcst.parse_module(text)

        def check(jobs: int) -> Callable[[], object]:
            # As the command line runs it: files read here, workers forked once the corpus is large enough.
            return lambda: check_many(paths, lambda f: Settings(), jobs=jobs, fork=True)

        check(1)()  # imports and first-call work, out of the timing
        # One process: CPU time of this process, so that a neighbour's load on the shared cores does not
        # count against the longer of the two loops. Two processes: wall time, which is what they are for.
        parse_time, one = best_of([parse, check(1)], args.runs, time.process_time)
        one_wall, two = best_of([check(1), check(2)], args.runs)
        cpu_one, cpu_two = cpu_seconds(check(1)), cpu_seconds(check(2))
        command = timed_processes(
            {"j1": [*kerascheck, "-j", "1", "."], "j2": [*kerascheck, "-j", "2", "."]},
            max(3, args.runs // 2),
            cwd=pathlib.Path(tmp),
        )
    n = len(paths)
    where = args.corpus.relative_to(ROOT) if args.corpus.is_relative_to(ROOT) else args.corpus
    print(
        f"\n2. throughput over {n} files, {lines} lines ({args.repeat} copies of the {n // args.repeat} files "
        f"in {where}/, broken/ left out)"
    )
    print(f"   libcst.parse_module (CPU time)      {n / parse_time:6.0f} files/s")
    print(
        f"   kerascheck, 1 process (CPU time)    {n / one:6.0f} files/s   "
        f"{parse_time / one:.0%} of the parse rate (target >= 40%)"
    )
    print(
        f"   kerascheck, 2 processes             {n / two:6.0f} files/s   "
        f"{parse_time / two:.0%} of the parse rate (target about 80%); "
        f"{one_wall / two:.2f}x one process's wall time"
    )
    print(
        f"   CPU time, 1 / 2 processes           {cpu_one:6.2f} s / {cpu_two:.2f} s (what parallel work adds; "
        "wall time halves only with two idle cores)"
    )
    print(
        f"   the whole command, -j 1 / -j 2      {command['j1'] * 1000:6.0f} ms / {command['j2'] * 1000:.0f} ms "
        "(start-up included)"
    )

    print("\n3. the origin model's summary")
    script = ORIGIN.read_text()
    keras_script = script.replace("from tensorflow.keras import", "from keras import") + "\nmodel.summary()\n"
    measured = []
    with tempfile.TemporaryDirectory() as tmp:
        import importlib.util

        if importlib.util.find_spec("keras") is not None:
            (pathlib.Path(tmp) / "keras_numpy.py").write_text(keras_script)
            env = {**ENV, "KERAS_BACKEND": "numpy"}
            measured.append(
                (
                    "real Keras (numpy backend)",
                    5,
                    timed_processes({"k": [py, "keras_numpy.py"]}, max(3, args.runs // 2), env, pathlib.Path(tmp))["k"],
                )
            )
        if args.tf_python:
            (pathlib.Path(tmp) / "keras_tf.py").write_text(script + "\nmodel.summary()\n")
            env = {**ENV, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
            measured.append(
                (
                    "TensorFlow's Keras",
                    10,
                    timed_processes(
                        {"k": [args.tf_python, "keras_tf.py"]}, max(3, args.runs // 2), env, pathlib.Path(tmp)
                    )["k"],
                )
            )
    for name, target, seconds in measured:
        print(
            f"   {name:<36}{seconds * 1000:6.0f} ms   kerascheck --shapes {latency['shapes'] * 1000:.0f} ms: "
            f"{seconds / latency['shapes']:.1f}x faster (target >= {target}x)"
        )
    if not any(name.startswith("real Keras") for name, _, _ in measured):
        print("   real Keras: not installed (pip install -e '.[test]'), not measured")
    if not args.tf_python:
        print("   TensorFlow's Keras: not measured (give --tf-python, a Python with TensorFlow)")
    print(
        f"\nload average {os.getloadavg()[0]:.1f} at the end (other processes compete for the {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
