"""Keras masks in functional graphs: the operations `compute_mask` adds change `model.layers`' order.

`Embedding(mask_zero=True)` puts `not_equal(ids, 0)` on its output; layers that take a mask get it
as an argument, and merge layers combine masks with more operations (`ones_like`, `expand_dims`,
`logical_or`, `concatenate`, `any`). Those are nodes of Keras's graph, so they make branches deeper,
and Keras orders `model.layers` by depth. Each snippet binds `model`; kerascheck must list its
layers in the order real Keras does.
"""

from __future__ import annotations

import warnings

import pytest

from kerascheck.engine import check_text

PRELUDE = "import keras\nfrom keras import layers\n"

GRAPHS = {
    "lstm_and_side_input": (
        "a = keras.Input((10,))\nb = keras.Input((5,))\n"
        "e = layers.Embedding(100, 8, mask_zero=True)(a)\nl = layers.LSTM(4)(e)\nd = layers.Dense(4)(b)\n"
        "model = keras.Model([a, b], layers.Concatenate()([l, d]))\n"
    ),
    "captioning_merge": (
        "photo = keras.Input((64,))\nwords = keras.Input((12,))\n"
        "p = layers.RepeatVector(12)(layers.Dense(32)(photo))\n"
        "w = layers.Embedding(500, 16, mask_zero=True)(words)\n"
        "w = layers.TimeDistributed(layers.Dense(32))(layers.LSTM(32, return_sequences=True)(w))\n"
        "x = layers.LSTM(16)(layers.Concatenate()([p, w]))\n"
        "model = keras.Model([photo, words], layers.Dense(500, activation='softmax')(x))\n"
    ),
    "added_embeddings": (
        "a = keras.Input((7,))\nb = keras.Input((7,))\n"
        "ea = layers.Embedding(50, 6, mask_zero=True)(a)\neb = layers.Embedding(50, 6, mask_zero=True)(b)\n"
        "x = layers.GlobalAveragePooling1D()(layers.Add()([ea, layers.Dropout(0.1)(eb)]))\n"
        "model = keras.Model([a, b], layers.Dense(1)(x))\n"
    ),
    "masking_layer": (
        "a = keras.Input((9, 3))\nb = keras.Input((4,))\n"
        "x = layers.GRU(5)(layers.Masking(0.0)(a))\n"
        "y = layers.Dense(5)(layers.Dense(5)(b))\n"
        "model = keras.Model([a, b], layers.Average()([x, y]))\n"
    ),
    "bidirectional_attention": (
        "ids = keras.Input((15,))\nctx = keras.Input((15, 8))\n"
        "q = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(layers.Embedding(90, 8, mask_zero=True)(ids))\n"
        "att = layers.Attention()([q, layers.Dense(8)(ctx)])\n"
        "model = keras.Model([ids, ctx], layers.Dense(2)(layers.GlobalAveragePooling1D()(att)))\n"
    ),
    "multi_head_attention": (
        "ids = keras.Input((11,))\nother = keras.Input((11, 8))\n"
        "e = layers.Embedding(40, 8, mask_zero=True)(ids)\n"
        "x = layers.MultiHeadAttention(2, 4)(e, layers.Dense(8)(other))\n"
        "model = keras.Model([ids, other], layers.LayerNormalization()(x))\n"
    ),
    "concatenate_same_rank": (
        "ids = keras.Input((6,))\nfeats = keras.Input((6, 8))\n"
        "e = layers.Embedding(30, 8, mask_zero=True)(ids)\n"
        "x = layers.Concatenate()([layers.Dense(8)(feats), e])\n"
        "model = keras.Model([ids, feats], layers.SimpleRNN(3)(x))\n"
    ),
    "initial_state_takes_no_mask": (
        "ids = keras.Input((8,))\nh = keras.Input((4,))\nc = keras.Input((4,))\n"
        "e = layers.Embedding(20, 4, mask_zero=True)(ids)\n"
        "x = layers.LSTM(4)(e, initial_state=[layers.Dense(4)(h), c])\n"
        "model = keras.Model([ids, h, c], x)\n"
    ),
    "pass_through_chain": (
        "ids = keras.Input((8,))\nside = keras.Input((8, 4))\n"
        "e = layers.Dense(4)(layers.Dropout(0.2)(layers.Embedding(20, 4, mask_zero=True)(ids)))\n"
        "s = layers.Dense(4)(layers.Dense(4)(layers.Dense(4)(side)))\n"
        "model = keras.Model([ids, side], layers.GRU(2)(layers.Add()([e, s])))\n"
    ),
}


def keras_order(code: str) -> list[str]:
    import keras

    keras.backend.clear_session()  # automatic names count from zero, as in a fresh program
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(PRELUDE + code, namespace)  # the test's own snippets, with real Keras
    return [layer.name for layer in namespace["model"].layers]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(GRAPHS))
def test_layer_order_follows_keras_masks(name: str) -> None:
    code = GRAPHS[name]
    result = check_text("masks.py", PRELUDE + code)
    (model,) = [m for m in result.models if m.name == "model"]
    assert [layer.name for layer in model.layers] == keras_order(code)
