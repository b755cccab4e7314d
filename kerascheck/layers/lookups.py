"""The preprocessing layers Keras 3 builds only with TensorFlow installed: StringLookup, IntegerLookup,
Hashing, TextVectorization and HashedCrossing.

They are not in the catalogue: the catalogue's tests create every catalogued layer in Keras, and
Keras refuses to create these without TensorFlow (`ImportError: Layer StringLookup requires
TensorFlow`), so they could not check them. Their output shapes are simple and are what structured
data and text programs feed the rest of their models with, so they are declared here, shape and
parameter count only (they hold no Keras weights), and tests/test_lookup_layers.py checks every
rule against real Keras with TensorFlow, in an environment of its own.

What they give, as Keras's `compute_output_shape` declares it:
- `output_mode="int"` (the default) keeps the input's shape (TextVectorization: one row of
  `output_sequence_length` token ids per sample, None when it is not set);
- `one_hot` replaces a last axis of 1 with the vocabulary (or adds it), `multi_hot`, `count` and
  `tf_idf` replace the last axis with it. The vocabulary's size is `max_tokens` when
  `pad_to_max_tokens=True`; otherwise it is known only when the vocabulary is written in the file
  (its terms and the out-of-vocabulary slots; the mask has no slot), never guessed: a vocabulary
  learnt by `adapt` keeps that axis unknown.
"""

from __future__ import annotations

from typing import Any

from kerascheck.layers.preprocessing import category_encoding_mode, encoded_shape
from kerascheck.layers.spec import Args, LayerSpec
from kerascheck.shapes import Dim, Shape, Unknowable

_SLOT_MODES = ("one_hot", "multi_hot", "count", "tf_idf")


class _NeedsTensorFlow(LayerSpec):
    group = "uncatalogued"
    no_forward = "Keras needs TensorFlow to run this layer"
    generic_explanation = "a preprocessing layer Keras runs with TensorFlow"

    def mode(self, a: Args) -> str:
        return category_encoding_mode(a)  # the old name 'binary' is 'multi_hot' here too

    def params(self, a: Args, x: Any) -> int:
        return 0  # lookup tables and idf weights are TensorFlow state, not Keras weights


class _Vocabulary(_NeedsTensorFlow):
    terms: tuple[type, ...] = (str,)  # what a vocabulary written in the file holds

    def oov_slots(self, a: Args) -> int:
        return 1

    def depth(self, a: Args) -> Dim:
        """The size of the vocabulary, where the file says it: its terms and the out-of-vocabulary slots
        (the mask's slot is not encoded)."""
        if a.bool("pad_to_max_tokens") and a.get("max_tokens") is not None:
            return a.int("max_tokens")
        vocabulary = a.get("vocabulary")
        if isinstance(vocabulary, (list, tuple)) and vocabulary and all(
            isinstance(v, self.terms) and not isinstance(v, bool) for v in vocabulary
        ):
            return len(vocabulary) + self.oov_slots(a)
        return None


class _Lookup(_Vocabulary):
    terms = (str, int)

    def oov_slots(self, a: Args) -> int:
        return a.int("num_oov_indices")

    def output_shape(self, a: Args, x: Any) -> Shape:
        if not isinstance(x, tuple):
            raise Unknowable(self.name)
        mode = self.mode(a)
        if mode == "int" or a.bool("invert"):
            return x
        if mode not in _SLOT_MODES:
            raise Unknowable("output_mode")
        return encoded_shape(mode, x, self.depth(a))


class StringLookup(_Lookup):
    name = "StringLookup"
    signature_text = (
        "max_tokens=None, num_oov_indices=1, mask_token=None, oov_token='[UNK]', vocabulary=None, "
        "idf_weights=None, invert=False, output_mode='int', pad_to_max_tokens=False, sparse=False, "
        "encoding='utf-8', name=None, salt=None, **kwargs"
    )


class IntegerLookup(_Lookup):
    name = "IntegerLookup"
    signature_text = (
        "max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None, "
        "vocabulary_dtype='int64', idf_weights=None, invert=False, output_mode='int', sparse=False, "
        "pad_to_max_tokens=False, oov_method='floormod', salt=None, name=None, **kwargs"
    )


class Hashing(_NeedsTensorFlow):
    name = "Hashing"
    signature_text = "num_bins, mask_value=None, salt=None, output_mode='int', sparse=False, **kwargs"

    def output_shape(self, a: Args, x: Any) -> Shape:
        if not isinstance(x, tuple):
            raise Unknowable(self.name)
        mode = self.mode(a)
        if mode == "int":
            return x
        if mode not in ("one_hot", "multi_hot", "count"):
            raise Unknowable("output_mode")
        return (*x[:-1], a.int("num_bins")) if x else (a.int("num_bins"),)


class TextVectorization(_Vocabulary):
    name = "TextVectorization"
    signature_text = (
        "max_tokens=None, standardize='lower_and_strip_punctuation', split='whitespace', ngrams=None, "
        "output_mode='int', output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None, "
        "idf_weights=None, sparse=False, ragged=False, encoding='utf-8', name=None, **kwargs"
    )

    def output_shape(self, a: Args, x: Any) -> Shape:
        if not isinstance(x, tuple) or not x:
            raise Unknowable(self.name)
        mode = self.mode(a)
        if mode == "int":
            return (x[0], a.opt_int("output_sequence_length"))
        if mode not in _SLOT_MODES:
            raise Unknowable("output_mode")
        if a.known("split") is None:
            tokens: Shape = (*x, 1) if len(x) <= 1 else x
        else:
            tokens = (*x, None)
        return encoded_shape(mode, tokens, self.depth(a))


class HashedCrossing(_NeedsTensorFlow):
    """Two features in (a pair of tensors of one shape), the hash bin of each pair of values out."""

    name = "HashedCrossing"
    signature_text = "num_bins, output_mode='int', sparse=False, name=None, dtype=None, **kwargs"
    multi_input = True

    def output_shape(self, a: Args, x: Any) -> Shape:
        if not isinstance(x, list) or len(x) != 2 or not all(isinstance(s, tuple) and s for s in x):
            raise Unknowable(self.name)
        first: Shape = x[0]
        second: Shape = x[1]
        if len(first) == len(second) == 1:
            pass  # one value per sample: the last axis is the batch
        elif first[-1] is None or second[-1] is None or first[-1] != second[-1]:
            raise Unknowable(self.name)  # Keras raises on different last sizes; unknown ones: nothing said
        mode = self.mode(a)
        if mode == "int":
            return first
        if mode != "one_hot":
            raise Unknowable("output_mode")
        if first[-1] != 1:
            return (*first, a.int("num_bins"))
        return (*first[:-1], a.int("num_bins"))


MODELLED = {spec.name: spec() for spec in (StringLookup, IntegerLookup, Hashing, TextVectorization, HashedCrossing)}
