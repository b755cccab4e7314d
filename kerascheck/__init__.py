"""kerascheck: a static analyzer for Keras model code.

It reads Python files and notebooks, finds every Keras model, computes the shape that flows out
of every layer and its parameter count as real Keras 3 would, and reports the faults Keras only
reveals at `fit()` time. It never imports, executes or evaluates the code it reads.
"""

__version__ = "0.1.0"
