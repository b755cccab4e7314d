"""Shared test set-up: real Keras runs on its lightest backend, numpy."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
