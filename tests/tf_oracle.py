"""Real Keras with TensorFlow, for what Keras does only with TensorFlow (lookup layers, tf.data).

The test environment has no TensorFlow (Keras's numpy backend is the oracle elsewhere, and TensorFlow
beside it would change what Keras does in the other tests), so this makes an environment of its own,
once: a virtual environment with TensorFlow (CPU) and the same Keras version, kept in the user's cache
folder (KERASCHECK_TF_ORACLE overrides where). If it cannot be made, the tests that need it fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

TENSORFLOW = "tensorflow-cpu==2.21.0"
KERAS = f"keras=={version('keras')}"


def tensorflow_python() -> Path:
    """The Python of the TensorFlow environment, made on first use."""
    home = Path(os.environ.get("KERASCHECK_TF_ORACLE")
                or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kerascheck-tests")
    venv = home / f"tf-oracle-{TENSORFLOW.split('==')[1]}-keras-{version('keras')}"
    python = venv / "bin" / "python"
    ready = venv / "ready"
    if not ready.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        TENSORFLOW, KERAS], check=True)
        ready.write_text(f"{TENSORFLOW} {KERAS}\n")
    return python
