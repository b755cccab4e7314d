"""Diagrams without TensorFlow: Mermaid and Graphviz graphs, and a self-contained HTML report.

`mermaid(models)` and `dot(models)` draw one node per layer (name, type, output shape), one edge
per inbound connection and one subgraph per model. `html(results)` writes a single page with no
external assets and no scripts: for each file and model, an architecture picture in inline SVG,
the summary table, the explanation of every layer and the diagnostics.

The picture follows the classic CNN figure for a chain of layers (every Sequential model, and a
functional model without branches): each feature map is a block whose height follows its rows,
whose receding depth follows its columns and whose thickness follows its channels, all
log-scaled and clamped, so (30, 30, 32) is visibly taller than (15, 15, 32) and thinner than
(13, 13, 64). A model with branches is drawn as a layered graph: layers placed by depth, edges
as curves.
"""

from __future__ import annotations

import html as _html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.engine import FileResult
from kerascheck.explain import explanation
from kerascheck.explain.base import channels_last
from kerascheck.model import Layer, Model
from kerascheck.shapes import format_shape

__all__ = ["architecture_svg", "dot", "html", "mermaid"]


# -- the graph every format draws ------------------------------------------------------------


@dataclass
class Node:
    id: str
    name: str
    type: str
    shape: str  # the output shape as Keras prints it, `?` when unknown
    layer: Layer | None  # None for a Sequential model's implicit input
    parents: list[int] = field(default_factory=list)  # indices into the graph's nodes


@dataclass
class Graph:
    prefix: str
    title: str
    nodes: list[Node]

    @property
    def edges(self) -> list[tuple[int, int]]:
        return [(p, i) for i, node in enumerate(self.nodes) for p in node.parents]



def model_title(model: Model) -> str:
    api = {"sequential": "Sequential", "functional": "functional", "subclass": "subclassed"}.get(model.api, model.api)
    where = model.span.place
    name = model.name or model.keras_name
    return f"{name} ({api}, {where})"


def graph(model: Model, prefix: str) -> Graph:
    """The model's layers as nodes, with edges from `inbound` (only to layers of this model).

    A Sequential model's declared input is drawn as a node of its own: Keras does not list it
    among the layers, but it is where the first shape comes from.
    """
    nodes: list[Node] = []
    index: dict[int, int] = {}
    if model.api == "sequential" and model.input_declared:
        nodes.append(Node(f"{prefix}_input", "input", "Input", format_shape(model.input_shape), None))
    for i, layer in enumerate(model.layers):
        index[id(layer)] = len(nodes)
        nodes.append(Node(f"{prefix}_l{i}", layer.name, layer.type, format_shape(layer.output_shape), layer))
    for layer in model.layers:
        node = nodes[index[id(layer)]]
        for parent in layer.inbound:
            j = index.get(id(parent))
            if j is not None and j not in node.parents and j != index[id(layer)]:
                node.parents.append(j)
    if nodes and nodes[0].layer is None and len(nodes) > 1 and not nodes[1].parents:
        nodes[1].parents.append(0)
    return Graph(prefix, model_title(model), nodes)


def _graphs(models: Sequence[Model]) -> list[Graph]:
    return [graph(model, f"m{i + 1}") for i, model in enumerate(models)]


# -- Mermaid ---------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for what Mermaid or HTML would read."""
    return (
        text.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("`", "#96;")  # a label starting with a backtick would be read as Markdown
        .replace("\n", " ")
    )


def mermaid(models: Sequence[Model]) -> str:
    """A `flowchart TD` GitHub renders: one subgraph per model, one node per layer."""
    lines = ["flowchart TD"]
    edges: list[str] = []
    errors: list[str] = []
    for g in _graphs(models):
        lines.append(f'    subgraph {g.prefix}["{_mermaid_text(g.title)}"]')
        lines.append("        direction TB")
        for node in g.nodes:
            label = "<br/>".join(_mermaid_text(part) for part in (node.name, node.type, node.shape))
            if node.layer is None:
                lines.append(f'        {node.id}(["{label}"])')
            else:
                lines.append(f'        {node.id}["{label}"]')
            if node.layer is not None and (node.layer.error or node.layer.construction_error):
                errors.append(node.id)
        lines.append("    end")
        edges.extend(f"    {g.nodes[a].id} --> {g.nodes[b].id}" for a, b in g.edges)
    lines.extend(edges)
    if errors:
        lines.append("    classDef error fill:#fde8e8,stroke:#c0392b,stroke-width:2px")
        lines.append(f"    class {','.join(errors)} error")
    return "\n".join(lines) + "\n"


# -- Graphviz --------------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    """A DOT double-quoted string; `\\n` stays a line break in labels."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(models: Sequence[Model]) -> str:
    """A Graphviz `digraph`: one cluster per model, one box per layer."""
    lines = [
        "digraph kerascheck {",
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=10];',
        '    edge [color="#555555"];',
    ]
    edges: list[str] = []
    for g in _graphs(models):
        lines.append(f"    subgraph cluster_{g.prefix} {{")
        lines.append(f"        label={_dot_string(g.title)};")
        lines.append('        style="rounded"; color="#999999"; fontname="Helvetica";')
        for node in g.nodes:
            attrs = [f"label={_dot_string(chr(10).join((node.name, node.type, node.shape)))}"]
            if node.layer is None:
                attrs.append('fillcolor="#f2f2f2"')
            elif node.layer.error or node.layer.construction_error:
                attrs.append('fillcolor="#fde8e8", color="#c0392b"')
            lines.append(f"        {node.id} [{', '.join(attrs)}];")
        lines.append("    }")
        edges.extend(f"    {g.nodes[a].id} -> {g.nodes[b].id};" for a, b in g.edges)
    lines.extend(edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- SVG pictures ----------------------------------------------------------------------------

_CHAR = 6.7  # width of one character of the 11px monospace labels
_FONT = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px"

# Block colours by what a layer does: (front, top, side).
_COLOURS = {
    "input": ("#d9d9d9", "#ececec", "#bdbdbd"),
    "conv": ("#8fb8e8", "#b9d3f2", "#6d9ad0"),
    "pool": ("#f4b183", "#f8ceb0", "#df9262"),
    "dense": ("#a9d18e", "#c7e3b5", "#88b86b"),
    "rnn": ("#c9a0dc", "#dcc0e9", "#ad7fc4"),
    "other": ("#d5d5ea", "#e6e6f3", "#b7b7d6"),
}


def _kind(node: Node) -> str:
    if node.layer is None or node.type == "InputLayer":
        return "input"
    # The catalogue's group, or (for a layer read back from the cache, which keeps no spec) its type.
    group = node.layer.spec.group if node.layer.spec is not None else ""
    if group == "rnn" or node.type in _RECURRENT:
        return "rnn"
    if group == "convolutional" or "Conv" in node.type:
        return "conv"
    if group == "pooling" or "Pool" in node.type:
        return "pool"
    if node.type in ("Dense", "Embedding"):
        return "dense"
    return "other"


_RECURRENT = {"SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed", "ConvLSTM1D", "ConvLSTM2D",
              "ConvLSTM3D", "RNN"}


def _scale(d: Any, lo: float, per_doubling: float, hi: float) -> float | None:
    """A size drawn on a log scale, clamped; None for a size that is not a number."""
    if not isinstance(d, int) or isinstance(d, bool) or d <= 0:
        return None
    return max(lo, min(hi, lo + per_doubling * math.log2(d)))


@dataclass
class Block:
    """One feature map as a box: `height` from rows, `depth` from columns, `thick` from channels."""

    height: float
    depth: float
    thick: float
    known: bool


def block_for(shape: Any, last: bool | None) -> Block:
    """How a tensor of this shape is drawn (batch axis dropped)."""
    if not isinstance(shape, tuple) or len(shape) < 2:
        return Block(60, 24, 14, False)
    dims = shape[1:]
    if len(dims) == 1:  # a vector: a thin bar as tall as it is long
        h = _scale(dims[0], 10, 12, 170)
        return Block(h or 60, 6, 6, h is not None)
    if len(dims) == 2:  # a sequence (steps, features): tall as its steps, thick as its features
        h = _scale(dims[0], 10, 12, 150)
        t = _scale(dims[1], 3, 4, 48)
        return Block(h or 60, 8, t or 14, h is not None and t is not None)
    # A feature map: rows, columns, channels (a volume's first spatial axis is left out).
    if last is False:
        channels, rows, cols = dims[0], dims[-2], dims[-1]
    else:
        rows, cols, channels = dims[-3], dims[-2], dims[-1]
    h = _scale(rows, 8, 20, 160)
    d = _scale(cols, 8, 20, 160)
    t = _scale(channels, 3, 6, 64)
    return Block(h or 60, (d or 60) * 0.5, t or 14, None not in (h, d, t))


def _esc(text: Any) -> str:
    return _html.escape(str(text), quote=True)


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "middle", bold: bool = False) -> str:
    weight = ";font-weight:600" if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" style="{_FONT}{weight}"{klass}>'
            f"{_esc(text)}</text>")


def _is_chain(g: Graph) -> bool:
    if len(g.nodes) < 2:
        return False
    children = [0] * len(g.nodes)
    for a, _ in g.edges:
        children[a] += 1
    for i, node in enumerate(g.nodes):
        if i > 0 and node.parents != [i - 1]:
            return False
        if children[i] > 1:
            return False
    return True


def _format_caption(names: list[str], limit: int = 3) -> list[str]:
    if len(names) <= limit:
        return names
    return [*names[: limit - 1], f"+{len(names) - limit + 1} more"]


def _blocks_svg(g: Graph, model: Model, uid: str, flagged: set[int]) -> str:
    """The classic CNN figure: one box per feature map, left to right."""
    # Layers that keep their input's shape (dropout, normalization, activations) draw no new box:
    # they are listed under the box of the map they act on.
    stages: list[tuple[Node, list[Node]]] = []
    for i, node in enumerate(g.nodes):
        layer = node.layer
        same = (
            i > 0 and layer is not None and layer.input_shape is not None and not isinstance(layer.output_shape, list)
            and layer.output_shape == layer.input_shape and _kind(node) == "other" and stages
        )
        if same:
            stages[-1][1].append(node)
        else:
            stages.append((node, [node]))
    first = next((n.layer for n in g.nodes if n.layer is not None and n.layer.type != "InputLayer"), None)
    default_last = channels_last(first) if first is not None and first.args is not None else True

    shapes = []
    for head, members in stages:
        layer = members[-1].layer
        shape = layer.output_shape if layer is not None else (model.input_shape if head.layer is None else None)
        last = channels_last(layer) if layer is not None and layer.args is not None else default_last
        if layer is not None and layer.type == "InputLayer":
            last = default_last
        shapes.append((shape, block_for(shape, last)))

    pad, gap, top = 16.0, 22.0, 26.0
    max_up = max((b.depth for _, b in shapes), default=0)
    max_h = max((b.height for _, b in shapes), default=0)
    mid = top + max_up + max_h / 2
    caption_y = top + max_up + max_h + 18
    parts: list[str] = []
    x = pad
    centers: list[tuple[float, float, float]] = []  # (left, right, mid) of each box
    widths = []
    for (head, members), (shape, b) in zip(stages, shapes, strict=True):
        lines = _format_caption([m.name for m in members])
        label_w = max(len(t) for t in [*lines, format_shape(shape), members[0].type]) * _CHAR
        box_w = b.thick + b.depth
        slot = max(box_w, label_w)
        left = x + (slot - box_w) / 2
        widths.append(slot)
        kind = _kind(members[0])
        front, top_c, side = _COLOURS[kind]
        y0 = mid - b.height / 2
        dash = "" if b.known else ' stroke-dasharray="4 3"'
        is_flagged = any(id(m.layer) in flagged for m in members if m.layer is not None)
        has_error = any(m.layer is not None and (m.layer.error or m.layer.construction_error) for m in members)
        stroke = "#c0392b" if has_error else ("#d35400" if is_flagged else "#4a4a4a")
        stroke_w = 2 if (has_error or is_flagged) else 1
        attrs = (f'class="block block-{kind}" data-layer="{_esc(members[0].name)}" '
                 f'data-shape="{_esc(format_shape(shape))}" data-height="{b.height:.1f}" '
                 f'data-depth="{b.depth:.1f}" data-thick="{b.thick:.1f}"')
        d = b.depth
        parts.append(f"<g {attrs}>")
        parts.append(f'<title>{_esc(", ".join(m.name for m in members))}: {_esc(format_shape(shape))}</title>')
        # top face, side face, then the front face over them
        parts.append(
            f'<polygon points="{left:.1f},{y0:.1f} {left + d:.1f},{y0 - d:.1f} {left + d + b.thick:.1f},{y0 - d:.1f} '
            f'{left + b.thick:.1f},{y0:.1f}" fill="{top_c}" stroke="{stroke}" stroke-width="{stroke_w}"{dash}/>'
        )
        parts.append(
            f'<polygon points="{left + b.thick:.1f},{y0:.1f} {left + b.thick + d:.1f},{y0 - d:.1f} '
            f'{left + b.thick + d:.1f},{y0 - d + b.height:.1f} {left + b.thick:.1f},{y0 + b.height:.1f}" '
            f'fill="{side}" stroke="{stroke}" stroke-width="{stroke_w}"{dash}/>'
        )
        parts.append(
            f'<rect class="face" x="{left:.1f}" y="{y0:.1f}" width="{b.thick:.1f}" height="{b.height:.1f}" '
            f'fill="{front}" stroke="{stroke}" stroke-width="{stroke_w}"{dash}/>'
        )
        parts.append("</g>")
        cx = x + slot / 2
        parts.append(_text(cx, caption_y, members[0].type if head.layer is not None else "Input", "type"))
        parts.append(_text(cx, caption_y + 14, format_shape(shape), "shape", bold=True))
        for k, line in enumerate(lines):
            parts.append(_text(cx, caption_y + 28 + 13 * k, line, "name"))
        centers.append((left, left + b.thick + d, mid - d / 2))
        x += slot + gap
    arrows = []
    for (_l0, r0, m0), (l1, _r1, m1) in zip(centers, centers[1:], strict=False):
        y = (m0 + m1) / 2
        arrows.append(f'<line x1="{r0 + 3:.1f}" y1="{y:.1f}" x2="{l1 - 4:.1f}" y2="{y:.1f}" stroke="#777" '
                      f'stroke-width="1.2" marker-end="url(#arrow-{uid})"/>')
    width = x - gap + pad
    most = max(len(_format_caption([m.name for m in members])) for _, members in stages)
    height = caption_y + 28 + 13 * most + pad
    return _svg(width, height, uid, arrows + parts, "blocks")


def _svg(width: float, height: float, uid: str, parts: list[str], kind: str) -> str:
    marker = (f'<defs><marker id="arrow-{uid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
              'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#777"/></marker>'
              "</defs>")
    return (f'<svg class="architecture {kind}" id="svg-{uid}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">{marker}{"".join(parts)}</svg>')


def _layered_svg(g: Graph, uid: str, flagged: set[int]) -> str:
    """Layers placed by depth (longest path from an input), top to bottom; edges as curves.

    An edge that skips rows (a residual connection) runs through placeholders in the rows it
    crosses, so that it passes beside the layers in between rather than behind them.
    """
    n = len(g.nodes)
    depth = [0] * n
    if g.edges:
        for _ in range(n):  # relax: the IR is in topological order, so one pass usually suffices
            changed = False
            for i, node in enumerate(g.nodes):
                want = max((depth[p] + 1 for p in node.parents), default=0)
                if want != depth[i]:
                    depth[i], changed = want, True
            if not changed:
                break
    else:
        depth = list(range(n))  # nothing connects the layers (a subclassed model): list them in order
    box_h, row_gap, col_gap, pad, lane = 50.0, 40.0, 22.0, 16.0, 14.0
    widths = [max(len(t) for t in (nd.name, nd.type, nd.shape)) * _CHAR + 18 for nd in g.nodes]
    above: list[list[int]] = [list(nd.parents) for nd in g.nodes]  # the item each one hangs from, row above
    routes: list[tuple[int, int, list[int]]] = []
    for a, b in g.edges:
        path = [a]
        for row in range(depth[a] + 1, depth[b]):
            depth.append(row)
            widths.append(lane)
            above.append([path[-1]])
            path.append(len(depth) - 1)
        routes.append((a, b, path[1:]))
        if len(path) > 1:
            above[b] = [path[-1] if p == a else p for p in above[b]]
    total = len(depth)
    rows: dict[int, list[int]] = {}
    for i in range(total):
        rows.setdefault(depth[i], []).append(i)
    row_widths = {r: sum(widths[i] for i in idx) + col_gap * (len(idx) - 1) for r, idx in rows.items()}
    width = max(row_widths.values(), default=0) + 2 * pad
    xs = [0.0] * total
    for r in sorted(rows):
        idx = rows[r]
        if r > 0:  # order each row by where what it hangs from is, to keep edges short and uncrossed
            idx.sort(key=lambda i: sum(xs[p] for p in above[i]) / max(len(above[i]), 1))
        x = (width - row_widths[r]) / 2
        for i in idx:
            xs[i] = x + widths[i] / 2
            x += widths[i] + col_gap
    ys = [pad + depth[i] * (box_h + row_gap) for i in range(total)]
    height = pad * 2 + (max(depth, default=0) + 1) * (box_h + row_gap) - row_gap
    parts: list[str] = []
    for a, b, through in routes:
        points = [(xs[a], ys[a] + box_h)]
        for v in through:
            points += [(xs[v], ys[v]), (xs[v], ys[v] + box_h)]
        points.append((xs[b], ys[b] - 2))
        d = f"M {points[0][0]:.1f} {points[0][1]:.1f}"
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if x1 == x2:
                d += f" L {x2:.1f} {y2:.1f}"
            else:
                bend = (y2 - y1) / 2
                d += f" C {x1:.1f} {y1 + bend:.1f}, {x2:.1f} {y2 - bend:.1f}, {x2:.1f} {y2:.1f}"
        parts.append(f'<path class="edge" data-from="{_esc(g.nodes[a].name)}" data-to="{_esc(g.nodes[b].name)}" '
                     f'd="{d}" fill="none" stroke="#777" stroke-width="1.2" marker-end="url(#arrow-{uid})"/>')
    for i, node in enumerate(g.nodes):
        kind = _kind(node)
        front = _COLOURS[kind][0]
        layer = node.layer
        error = layer is not None and (layer.error or layer.construction_error)
        hot = layer is not None and id(layer) in flagged
        stroke = "#c0392b" if error else ("#d35400" if hot else "#4a4a4a")
        x0, y0 = xs[i] - widths[i] / 2, ys[i]
        parts.append(f'<g class="node node-{kind}" data-layer="{_esc(node.name)}" data-shape="{_esc(node.shape)}">')
        parts.append(f"<title>{_esc(node.name)} ({_esc(node.type)}): {_esc(node.shape)}</title>")
        parts.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{widths[i]:.1f}" height="{box_h:.1f}" rx="6" '
                     f'fill="{front}" stroke="{stroke}" stroke-width="{2 if error or hot else 1}"/>')
        parts.append(_text(xs[i], y0 + 15, node.name, "name", bold=True))
        parts.append(_text(xs[i], y0 + 29, node.type, "type"))
        parts.append(_text(xs[i], y0 + 43, node.shape, "shape"))
        parts.append("</g>")
    return _svg(width, height, uid, parts, "graph")


def architecture_svg(model: Model, uid: str = "m1", flagged: set[int] | None = None) -> str:
    """The model's picture as inline SVG: feature-map blocks for a chain, a layered graph otherwise.

    `flagged` holds `id()`s of layers that have a diagnostic, drawn with an orange outline.
    """
    g = graph(model, uid)
    if not g.nodes:
        return ""
    if _is_chain(g):
        return _blocks_svg(g, model, uid, flagged or set())
    return _layered_svg(g, uid, flagged or set())


# -- HTML ------------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line);
     font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
h3 { font-size: 15px; margin: 20px 0 6px; }
h3 small { font-weight: normal; color: var(--muted); }
h4 { font-size: 13px; margin: 14px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.summary-line { color: var(--muted); margin: 0 0 16px; }
.model { border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 14px; margin: 14px 0; }
.picture { overflow-x: auto; background: var(--soft); border-radius: 6px; padding: 8px; margin: 8px 0; }
.picture svg { display: block; }
table.layers { border-collapse: collapse; margin: 6px 0; min-width: 60%; }
table.layers th, table.layers td { border-bottom: 1px solid var(--line); padding: 4px 12px 4px 0; text-align: left;
                                   vertical-align: top; }
table.layers th { font-size: 12px; color: var(--muted); font-weight: 600; }
table.layers td.num, table.layers th.num { text-align: right; }
table.layers tfoot td { font-weight: 600; border-bottom: none; }
tr.flagged td:first-child { box-shadow: inset 3px 0 0 #d35400; padding-left: 8px; }
tr.error td:first-child { box-shadow: inset 3px 0 0 #c0392b; padding-left: 8px; }
.badge { display: inline-block; font: 600 11px ui-monospace, Menlo, Consolas, monospace; padding: 0 5px;
         border-radius: 4px; margin-left: 6px; color: #fff; background: #d35400; }
.badge.error { background: #c0392b; } .badge.info { background: #57606a; }
ol.explanations { padding-left: 22px; margin: 4px 0; }
ol.explanations li { margin: 3px 0; }
ol.explanations code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
ul.diagnostics { list-style: none; padding: 0; margin: 6px 0; }
li.diagnostic { border-left: 4px solid #d35400; background: #fff8f2; padding: 6px 10px; margin: 6px 0;
                border-radius: 0 6px 6px 0; }
li.diagnostic.error { border-color: #c0392b; background: #fdf1f0; }
li.diagnostic.info { border-color: #8c959f; background: var(--soft); }
li.diagnostic .where { color: var(--muted); font-size: 12px; margin-right: 6px; }
li.diagnostic .fix { color: var(--muted); font-size: 12.5px; }
.note { color: var(--muted); font-style: italic; }
.legend { color: var(--muted); font-size: 12px; margin: 2px 0 0; }
.glossary dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
.glossary dt { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.glossary dd { margin: 0; color: var(--ink); }
.legend span { display: inline-block; width: 10px; height: 10px; border: 1px solid #4a4a4a; margin: 0 4px 0 10px;
               vertical-align: -1px; }
"""


def _location(d: Diagnostic) -> str:
    return f"{d.span.place}, column {d.span.column}"


def _diagnostics_html(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return '<p class="note">No problems found.</p>'
    items = []
    for d in diagnostics:
        sev = d.severity.label
        fix = ""
        if d.fix is not None:
            unsafe = " (unsafe)" if d.fix.safety.value == "unsafe" else ""
            fix = f'<div class="fix">fix: {_esc(d.fix.title)}{unsafe}</div>'
        items.append(
            f'<li class="diagnostic {sev}" data-code="{_esc(d.code)}"><span class="where">{_esc(_location(d))}</span>'
            f'<span class="badge {sev}">{_esc(d.code)}</span> {_esc(d.message)}{fix}</li>'
        )
    return '<ul class="diagnostics">' + "".join(items) + "</ul>"


def _findings_by_layer(model: Model, diagnostics: Sequence[Diagnostic]) -> dict[int, list[Diagnostic]]:
    """Diagnostics attached to the layer whose call they point into."""
    found: dict[int, list[Diagnostic]] = {}
    for d in diagnostics:
        for layer in model.layers:
            s = layer.span
            if s.cell != d.span.cell:
                continue
            if (s.line, s.column) <= (d.span.line, d.span.column) <= (s.end_line, s.end_column):
                found.setdefault(id(layer), []).append(d)
                break
    return found


def _number(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def _line(layer: Layer) -> str:
    return f"{layer.span.cell}:{layer.span.line}" if layer.span.cell is not None else str(layer.span.line)


def _model_html(model: Model, uid: str, diagnostics: Sequence[Diagnostic]) -> str:
    findings = _findings_by_layer(model, diagnostics)
    # The picture outlines what deserves attention: warnings and errors, not style notes.
    serious = {k for k, ds in findings.items() if any(d.severity >= Severity.WARNING for d in ds)}
    svg = architecture_svg(model, uid, serious)
    api = {"sequential": "Sequential", "functional": "functional", "subclass": "subclassed"}.get(model.api, model.api)
    where = model.span.place
    head = (f'<h3>{_esc(model.name or model.keras_name)} <small>{_esc(api)} model “{_esc(model.keras_name)}” · '
            f"{_esc(where)} · {_esc(_number(model.total_params))} params</small></h3>")
    rows = []
    for layer in model.layers:
        codes = findings.get(id(layer), [])
        badges = "".join(f'<span class="badge {d.severity.label}">{_esc(d.code)}</span>' for d in codes)
        error = layer.error or layer.construction_error
        worst = max((d.severity for d in codes), default=None)
        cls = "error" if error or worst is Severity.ERROR else ("flagged" if worst is Severity.WARNING else "")
        rows.append(
            f'<tr class="{cls}" data-layer="{_esc(layer.name)}"><td class="mono">{_esc(layer.name)}{badges}</td>'
            f'<td class="mono">{_esc(layer.type)}</td><td class="mono">{_esc(format_shape(layer.output_shape))}</td>'
            f'<td class="num mono">{_esc(_number(layer.params))}</td><td class="num mono">{_esc(_line(layer))}</td></tr>'
        )
    table = (
        '<table class="layers"><thead><tr><th>Layer</th><th>Type</th><th>Output shape</th><th class="num">Params</th>'
        '<th class="num">Line</th></tr></thead><tbody>' + "".join(rows) + "</tbody>"
        f'<tfoot><tr><td colspan="3">Total params</td><td class="num mono">{_esc(_number(model.total_params))}</td>'
        "<td></td></tr></tfoot></table>"
    )
    if model.api == "sequential" and model.input_declared:
        first = f'<p class="note">Input: <code>{_esc(format_shape(model.input_shape))}</code> (None is the batch size)</p>'
    else:
        first = ""
    items = []
    for layer in model.layers:
        e = explanation(layer)
        items.append(f'<li data-layer="{_esc(layer.name)}"><code>{_esc(e.call)}</code> {_esc(e.text)}</li>')
    explanations = '<ol class="explanations">' + "".join(items) + "</ol>"
    uncertain = ('<p class="note">Part of this model depends on values kerascheck cannot know; '
                 "those shapes are shown as ?.</p>") if model.uncertain else (
        '<p class="note">A layer of this model is called on a value kerascheck cannot follow; the layers '
        "before it are missing.</p>" if model.incomplete else "")
    legend = (
        '<p class="legend">Each box is the tensor a layer outputs: height ∝ rows, depth ∝ columns, '
        "thickness ∝ channels (log scale); dashed where a size is unknown."
        f'<span style="background:{_COLOURS["conv"][0]}"></span>convolution'
        f'<span style="background:{_COLOURS["pool"][0]}"></span>pooling'
        f'<span style="background:{_COLOURS["dense"][0]}"></span>dense'
        f'<span style="background:{_COLOURS["rnn"][0]}"></span>recurrent'
        f'<span style="background:{_COLOURS["other"][0]}"></span>other</p>'
        if 'class="architecture blocks"' in svg else ""
    )
    picture = f'<figure class="picture">{svg}</figure>{legend}' if svg else ""
    return (f'<article class="model" id="{_esc(uid)}">{head}{uncertain}{picture}<h4>Layers</h4>{first}{table}'
            f"<h4>What each layer does</h4>{explanations}</article>")


# The words the explanations use, for a reader who has never seen Keras.
_GLOSSARY = [
    ("shape", "the size of each axis of a tensor, as a Python tuple; the first entry, None, is the batch size: "
              "how many samples go through at once, left open"),
    ("filter", "a small block of weights that slides over the input; each filter spans all input channels and "
               "gives one output channel, so a convolution outputs as many channels as it has filters"),
    ("kernel size", "the height × width (or length) of the window a filter covers"),
    ("stride", "how many positions the window moves at each step; 1 unless given"),
    ("valid padding", "the window only goes where it fits entirely, so each size shrinks: L − k + 1"),
    ("same padding", "the borders are padded with zeros so that, with stride 1, each size stays the same"),
    ("params", "the numbers a layer learns (weights and biases), as model.summary() counts them"),
    ("?", "a size or count kerascheck cannot know without running the code; it never guesses one"),
]


def _glossary_html() -> str:
    items = "".join(f"<dt>{_esc(term)}</dt><dd>{_esc(text)}</dd>" for term, text in _GLOSSARY)
    return f'<section class="glossary"><h2>Words used above</h2><dl>{items}</dl></section>'


def html(results: Sequence[FileResult]) -> str:
    """One self-contained page (inline CSS and SVG, no scripts, nothing fetched) for all results."""
    n_models = sum(len(r.models) for r in results)
    n_problems = sum(len(r.diagnostics) for r in results)
    sections = []
    for i, result in enumerate(results, 1):
        body = []
        if result.read_error:
            body.append(f'<p class="note">Not read: {_esc(result.read_error)}</p>')
        elif result.skipped:
            body.append('<p class="note">Never mentions Keras or TensorFlow: not analyzed.</p>')
        body.append(f"<h3>Problems <small>({len(result.diagnostics)})</small></h3>")
        body.append(_diagnostics_html(result.diagnostics))
        if not result.models and not result.read_error and not result.skipped:
            body.append('<p class="note">No Keras model found in this file.</p>')
        for j, model in enumerate(result.models, 1):
            body.append(_model_html(model, f"f{i}m{j}", result.diagnostics))
        sections.append(f'<section class="file" id="file-{i}"><h2>{_esc(result.path)}</h2>{"".join(body)}</section>')
    summary = (f"{len(results)} file{'s' if len(results) != 1 else ''}, {n_models} model{'s' if n_models != 1 else ''}, "
               f"{n_problems} problem{'s' if n_problems != 1 else ''}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>kerascheck report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>kerascheck report</h1>\n<p class="summary-line">{_esc(summary)}</p>\n'
        + "\n".join(sections)
        + "\n"
        + _glossary_html()
        + "\n</body>\n</html>\n"
    )
