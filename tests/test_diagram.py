"""Mermaid and Graphviz output: every layer a node, every edge present, syntax that parses back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from kerascheck.engine import check_text
from kerascheck.report.diagram import architecture_svg, dot, graph, mermaid
from kerascheck.shapes import format_shape

SEQUENTIAL = """\
from tensorflow.keras import layers, models
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, name='`he said "hi" [x] <y> #1 \\\\ {z}'))
"""

FUNCTIONAL = """\
import keras
from keras import layers
inp = keras.Input((32, 32, 3), name="image")
x = layers.Conv2D(16, 3, padding="same")(inp)
y = layers.Conv2D(16, 3, padding="same")(x)
z = layers.add([x, y])
a = layers.GlobalAveragePooling2D()(z)
b = layers.GlobalMaxPooling2D()(z)
c = layers.Concatenate()([a, b])
out = layers.Dense(10)(c)
model = keras.Model(inp, out)
"""


def _notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A notebook\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["!pip install keras\n", "import keras\n", "from keras import layers\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
         "source": ["model = keras.Sequential([\n", "    layers.Input((28, 28, 1)),\n",
                    "    layers.Conv2D(8, 3),\n", "    layers.Flatten(),\n", "    layers.Dense(10),\n", "])\n"]},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _models(path: str, text: str):
    result = check_text(path, text)
    assert not result.internal_error and result.models
    return result.models


CASES = {
    "sequential": lambda: _models("model.py", SEQUENTIAL),
    "functional-with-merge": lambda: _models("model.py", FUNCTIONAL),
    "notebook": lambda: _models("nb.ipynb", _notebook()),
    "two-files-worth": lambda: _models("model.py", SEQUENTIAL) + _models("other.py", FUNCTIONAL),
}


def _expected(models):
    """(labels by node id, edges) that a diagram of `models` must show."""
    labels, edges = {}, set()
    for i, model in enumerate(models, 1):
        g = graph(model, f"m{i}")
        ids = {id(node.layer): node.id for node in g.nodes if node.layer is not None}
        for node in g.nodes:
            labels[node.id] = (node.name, node.type, node.shape)
        for layer in model.layers:
            for parent in layer.inbound:
                edges.add((ids[id(parent)], ids[id(layer)]))
        if model.api == "sequential" and model.input_declared:
            edges.add((f"m{i}_input", ids[id(model.layers[0])]))
        # every layer is a node, with its shape as the IR has it
        for layer in model.layers:
            shape = layer.output_shape
            assert labels[ids[id(layer)]] == (layer.name, layer.type, format_shape(shape) if shape else "?")
    return labels, edges


# -- a tiny DOT parser: enough of the grammar to prove the output is well-formed --------------

_TOKEN = re.compile(r'\s*(?:(?P<arrow>->)|(?P<punct>[{}\[\];,=])|(?P<id>[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)'
                    r'|(?P<string>"(?:[^"\\]|\\.)*"))')


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m and m.end() > pos, f"cannot tokenize DOT at {text[pos:pos + 30]!r}"
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", lambda e: "\n" if e.group(1) == "n" else e.group(1), value[1:-1])
            kind = "id"
        out.append((kind, value))
        pos = m.end()
    return out


def parse_dot(text: str):
    """digraph := 'digraph' ID '{' stmt* '}'; returns nodes {id: attrs}, edges, clusters {name: [ids]}."""
    toks = _tokens(text)
    i = 0

    def peek(k: int = 0) -> tuple[str, str]:
        return toks[i + k] if i + k < len(toks) else ("eof", "")

    def take(value: str | None = None, kind: str | None = None) -> str:
        nonlocal i
        k, v = peek()
        assert (value is None or v == value) and (kind is None or k == kind), f"expected {value or kind}, got {v!r}"
        i += 1
        return v

    def attrs() -> dict[str, str]:
        out = {}
        if peek()[1] != "[":
            return out
        take("[")
        while peek()[1] != "]":
            key = take(kind="id")
            take("=")
            out[key] = take(kind="id")
            if peek()[1] in (",", ";"):
                take()
        take("]")
        return out

    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str]] = []
    clusters: dict[str, list[str]] = {}

    def stmts(cluster: str | None) -> None:
        while peek()[1] != "}":
            k, v = peek()
            if v == "subgraph":
                take()
                name = take(kind="id")
                clusters[name] = []
                take("{")
                stmts(name)
                take("}")
            elif v in ("graph", "node", "edge"):
                take()
                attrs()
            elif peek(1)[1] == "=":
                take(kind="id")
                take("=")
                take(kind="id")
            else:
                first = take(kind="id")
                chain = [first]
                while peek()[0] == "arrow":
                    take(kind="arrow")
                    chain.append(take(kind="id"))
                a = attrs()
                if len(chain) == 1:
                    assert first not in nodes, f"node {first} declared twice"
                    nodes[first] = a
                    if cluster is not None:
                        clusters[cluster].append(first)
                else:
                    edges.extend(zip(chain, chain[1:], strict=False))
            if peek()[1] == ";":
                take(";")

    take("digraph")
    take(kind="id")
    take("{")
    stmts(None)
    take("}")
    assert peek()[0] == "eof", "text after the graph"
    return nodes, edges, clusters


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_dot_parses_back_with_every_layer_and_edge(case):
    models = CASES[case]()
    labels, expected_edges = _expected(models)
    text = dot(models)
    nodes, edges, clusters = parse_dot(text)
    assert set(nodes) == set(labels)
    for node_id, (name, type_, shape) in labels.items():
        assert nodes[node_id]["label"] == f"{name}\n{type_}\n{shape}"
    assert set(edges) == expected_edges and len(edges) == len(expected_edges)
    assert all(a in nodes and b in nodes for a, b in edges)
    assert len(clusters) == len(models)
    assert sorted(n for members in clusters.values() for n in members) == sorted(nodes)


_ENTITIES = {"#quot;": '"', "#lt;": "<", "#gt;": ">", "#35;": "#", "#96;": "`"}


def _unescape_mermaid(text: str) -> str:
    return re.sub(r"#(?:quot|lt|gt|35|96);", lambda m: _ENTITIES[m.group(0)], text)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_mermaid_has_every_layer_and_edge(case):
    models = CASES[case]()
    labels, expected_edges = _expected(models)
    text = mermaid(models)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes, edges, depth, subgraphs = {}, set(), 0, 0
    node_line = re.compile(r'^\s+(\w+)(?:\["(.*)"\]|\(\["(.*)"\]\))$')
    for line in lines[1:]:
        if m := re.match(r'^\s+subgraph (\w+)\["([^"]*)"\]$', line):
            depth, subgraphs = depth + 1, subgraphs + 1
            assert depth == 1, "subgraphs are not nested"
        elif line.strip() == "end":
            depth -= 1
        elif line.strip() == "direction TB":
            assert depth == 1
        elif m := node_line.match(line):
            assert depth == 1, "every node sits inside its model's subgraph"
            label = m.group(2) if m.group(2) is not None else m.group(3)
            # Inside a quoted label, only entity codes and the <br/> line breaks are allowed.
            assert '"' not in label and "<" not in label.replace("<br/>", "") and ">" not in label.replace("<br/>", "")
            nodes[m.group(1)] = tuple(_unescape_mermaid(part) for part in label.split("<br/>"))
        elif m := re.match(r"^\s+(\w+) --> (\w+)$", line):
            edges.add((m.group(1), m.group(2)))
        elif re.match(r"^\s+classDef \w+ [\w:#,.-]+$", line) or re.match(r"^\s+class [\w,]+ \w+$", line):
            pass
        else:
            pytest.fail(f"unexpected Mermaid line {line!r}")
    assert depth == 0 and subgraphs == len(models)
    assert nodes == labels
    assert edges == expected_edges
    assert all(a in nodes and b in nodes for a, b in edges)


def test_awkward_names_are_escaped():
    models = CASES["sequential"]()
    name = models[0].layers[-1].name
    assert name == '`he said "hi" [x] <y> #1 \\ {z}'
    assert "#96;he said #quot;hi#quot; [x] #lt;y#gt; #35;1 \\ {z}" in mermaid(models)
    assert 'label="`he said \\"hi\\" [x] <y> #1 \\\\ {z}\\nDense\\n(None, 10)"' in dot(models)


def test_layers_that_fail_to_build_are_marked():
    models = _models("m.py", "from keras import layers, models\n"
                     "model = models.Sequential([layers.Input((2, 2, 3)), layers.Conv2D(8, 3), layers.Flatten()])\n")
    assert "class m1_l0 error" in mermaid(models)
    assert 'm1_l0 [label="conv2d\\nConv2D\\n?", fillcolor="#fde8e8", color="#c0392b"];' in dot(models)


def test_a_chain_is_drawn_as_feature_map_blocks_sized_by_shape():
    (model,) = _models("model.py", SEQUENTIAL)
    svg = architecture_svg(model)
    assert 'class="architecture blocks"' in svg
    blocks = re.findall(r'data-layer="([^"]*)" data-shape="([^"]*)" data-height="([\d.]+)" '
                        r'data-depth="([\d.]+)" data-thick="([\d.]+)"', svg)
    by_name = {name: (shape, float(h), float(d), float(t)) for name, shape, h, d, t in blocks}
    assert list(by_name) == ["input", "conv2d", "max_pooling2d", "flatten", _escaped(model.layers[-1].name)]
    inp, conv, pool = by_name["input"], by_name["conv2d"], by_name["max_pooling2d"]
    assert inp[0] == "(None, 32, 32, 3)" and conv[0] == "(None, 30, 30, 32)" and pool[0] == "(None, 15, 15, 32)"
    assert inp[1] > conv[1] > pool[1]  # rows: 32 > 30 > 15
    assert conv[3] == pool[3] > inp[3]  # channels: 32 = 32 > 3
    assert by_name["flatten"][1] > by_name[_escaped(model.layers[-1].name)][1]  # 7200 values > 10


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_a_graph_with_branches_is_drawn_in_layers():
    (model,) = _models("model.py", FUNCTIONAL)
    svg = architecture_svg(model)
    assert 'class="architecture graph"' in svg
    nodes = re.findall(r'<g class="node node-\w+" data-layer="([^"]*)"', svg)
    assert nodes == [layer.name for layer in model.layers]
    drawn = set(re.findall(r'class="edge" data-from="([^"]*)" data-to="([^"]*)"', svg))
    assert drawn == {(p.name, layer.name) for layer in model.layers for p in layer.inbound}
    # Depth places `add` below both convolutions, and the two poolings side by side.
    ys = {name: float(y) for name, y in re.findall(
        r'data-layer="([^"]*)" data-shape="[^"]*"><title>[^<]*</title><rect x="[\d.]+" y="([\d.]+)"', svg)}
    assert ys["image"] < ys["conv2d"] < ys["conv2d_1"] < ys["add"]
    assert ys["global_average_pooling2d"] == ys["global_max_pooling2d"] > ys["add"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` is not installed")
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_graphviz_itself_accepts_the_dot_output(case):
    models = CASES[case]()
    done = subprocess.run(["dot", "-Tsvg"], input=dot(models), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    titles = re.findall(r'<g id="node\d+" class="node">\s*<title>(\w+)</title>', done.stdout)
    assert sorted(titles) == sorted(_expected(models)[0])


@pytest.mark.parametrize("path, text", [("model.py", SEQUENTIAL), ("model.py", FUNCTIONAL), ("nb.ipynb", _notebook())],
                         ids=["sequential", "functional", "notebook"])
def test_results_read_back_from_the_cache_draw_the_same(path, text):
    """The cache keeps shapes, parameters and explanations as text, not the layers' arguments."""
    from kerascheck.report.diagram import html
    from kerascheck.results_io import dump, load

    result = check_text(path, text)
    restored = load(json.loads(json.dumps(dump(result))))
    assert html([restored]) == html([result])
    assert mermaid(restored.models) == mermaid(result.models)
    assert dot(restored.models) == dot(result.models)
