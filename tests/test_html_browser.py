"""The HTML report in a real headless Chromium: what the page shows, measured where it is drawn.

Chromium loads the report twice: as written (`--dump-dom` proves it has no scripts and parses
into the expected table rows, explanations and diagnostics), and as a test-only copy with a
probe script appended that measures the rendered page (block sizes, node boxes, text fitting
its box, nothing overflowing the page) and writes the measurements into the DOM it dumps. A
screenshot is taken too and checked to be a real, non-blank picture.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kerascheck.engine import check_text
from kerascheck.report.diagram import html as html_report
from kerascheck.shapes import format_shape

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="the `chromium` binary is not installed (Debian: apt-get install -y chromium)"
)

ORIGIN = """\
from tensorflow.keras import layers, models
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Dense(64, activation='relu', name='<b>dense</b> & "co"'))
"""

FUNCTIONAL = """\
import keras
from keras import layers
inp = keras.Input((32, 32, 3), name="image")
x = layers.Conv2D(16, 3, padding="same")(inp)
y = layers.Conv2D(16, 3, padding="same")(x)
y = layers.BatchNormalization()(y)
z = layers.add([x, y])
a = layers.GlobalAveragePooling2D()(z)
b = layers.GlobalMaxPooling2D()(z)
c = layers.Concatenate()([a, b])
out = layers.Dense(10, activation="softmax")(c)
model = keras.Model(inp, out)
"""


def _notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# MNIST\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["%matplotlib inline\n", "import keras\n", "from keras import layers\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
         "source": ["net = keras.Sequential([layers.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(),\n",
                    "                         layers.Dropout(0.5), layers.Dense(10)])\n"]},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


PROBE = """
<script>
const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
const inside = (a, b) => a.x >= b.x - 0.5 && a.x + a.w <= b.x + b.w + 0.5;
const out = {
  viewport: window.innerWidth,
  pageWidth: document.documentElement.scrollWidth,
  scripts: document.scripts.length,
  diagnostics: [...document.querySelectorAll("li.diagnostic")].map(li => ({code: li.dataset.code, h: box(li).h})),
  models: [...document.querySelectorAll("article.model")].map(a => {
    const svg = a.querySelector("svg.architecture");
    const captions = svg ? [...svg.querySelectorAll("text.shape")].map(t => box(t)) : [];
    return {
      id: a.id,
      rows: [...a.querySelectorAll("table.layers tbody tr")].map(tr => ({
        layer: tr.dataset.layer, cells: [...tr.cells].map(td => td.textContent), h: box(tr).h})),
      explanations: [...a.querySelectorAll("ol.explanations li")].map(li => li.textContent),
      svg: svg ? {kind: svg.classList.contains("blocks") ? "blocks" : "graph", ...box(svg)} : null,
      blocks: [...a.querySelectorAll("svg g.block")].map(g => ({
        layer: g.dataset.layer, shape: g.dataset.shape, ...box(g.querySelector("rect.face")),
        outer: box(g)})),
      nodes: [...a.querySelectorAll("svg g.node")].map(g => {
        const rect = box(g.querySelector("rect"));
        return {layer: g.dataset.layer, ...rect,
                textFits: [...g.querySelectorAll("text")].every(t => inside(box(t), rect))};
      }),
      captionsOverlap: captions.some((c, i) => i > 0 && captions[i - 1].x + captions[i - 1].w > c.x),
    };
  }),
};
const pre = document.createElement("pre");
pre.id = "probe";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""


def _chromium(tmp_path: Path, run: int, *args: str) -> str:
    profile = tmp_path / f"profile-{run}"  # one profile per run, so that runs can go in parallel
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--window-size=1280,2000", *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    results = [
        check_text("cnn.py", ORIGIN),
        check_text("resnet_block.py", FUNCTIONAL),
        check_text("mnist.ipynb", _notebook()),
        check_text("broken.py", "import keras\nmodel = keras.Sequential([\n"),
    ]
    page = html_report(results)
    (tmp / "report.html").write_text(page, encoding="utf-8")
    (tmp / "probe.html").write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    runs = [
        ("--dump-dom", (tmp / "report.html").as_uri()),
        ("--dump-dom", (tmp / "probe.html").as_uri()),
        (f"--screenshot={tmp / 'report.png'}", (tmp / "report.html").as_uri()),
    ]
    with ThreadPoolExecutor(len(runs)) as pool:
        dom, probed, _ = pool.map(lambda i: _chromium(tmp, i, *runs[i]), range(len(runs)))
    found = re.search(r'<pre id="probe">(.*?)</pre>', probed, re.S)
    assert found, "the probe did not run"
    probe = json.loads(html.unescape(found.group(1)))
    return {"results": results, "page": page, "dom": dom, "probe": probe, "png": tmp / "report.png"}


class _Rows(HTMLParser):
    """Table rows and text of the dumped DOM, without trusting the report's own structure."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_report_is_self_contained(report):
    page = report["page"]
    assert "<script" not in page and "<link" not in page and "<img" not in page and "@import" not in page
    assert "http://" not in page and "https://" not in page and "url(" not in page.replace("url(#arrow-", "")
    assert report["probe"]["scripts"] == 1  # only the test's probe ran; the report itself has none


def test_the_table_shows_every_layer_as_the_ir_has_it(report):
    parser = _Rows()
    parser.feed(report["dom"])
    assert "b" not in parser.tags, "a layer name was read as markup"
    expected = []
    for result in report["results"]:
        for model in result.models:
            for layer in model.layers:
                shape = layer.output_shape
                line = f"{layer.span.cell}:{layer.span.line}" if layer.span.cell else str(layer.span.line)
                expected.append([layer.name, layer.type, format_shape(shape) if shape else "?",
                                 "?" if layer.params is None else f"{layer.params:,}", line])
    rows = [[cells[0], *cells[1:]] for cells in parser.rows]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row[0].startswith(want[0]), (row, want)  # followed by its diagnostic badges
        assert row[1:] == want[1:]
    assert ['<b>dense</b> & "co"KC201', "Dense", "(None, 4, 4, 64)", "4,160", "8"] in rows
    assert ["dropout", "Dropout", "(None, 5408)", "0", "3:2"] in rows  # notebook lines count in their cell


def test_every_row_explanation_and_diagnostic_is_visible(report):
    probe = report["probe"]
    models = probe["models"]
    assert [len(m["rows"]) for m in models] == [len(m.layers) for r in report["results"] for m in r.models]
    for m in models:
        assert all(row["h"] > 10 for row in m["rows"])
        assert len(m["explanations"]) == len(m["rows"])
    cnn = models[0]
    assert cnn["explanations"][0] == (
        "Conv2D(32, (3, 3)) 32 filters, each 3×3×3 over all 3 input channels → (None, 30, 30, 32): "
        "30 = 32 − 3 + 1 (valid padding); 896 params = 3·3·3·32 weights + 32 biases"
    )
    codes = [d["code"] for d in probe["diagnostics"]]
    assert "KC201" in codes and "KC001" in codes  # the Dense on a feature map, the file that does not parse
    assert all(d["h"] > 10 for d in probe["diagnostics"])
    dom = report["dom"]
    assert "<dt>valid padding</dt>" in dom  # the glossary of the words the explanations use
    assert "acts on its last axis only" in dom and "&lt;b&gt;dense&lt;/b&gt; &amp; \"co\"" in dom


def test_the_cnn_is_drawn_as_blocks_sized_by_shape(report):
    cnn = report["probe"]["models"][0]
    assert cnn["svg"]["kind"] == "blocks" and cnn["svg"]["w"] > 300
    assert [b["shape"] for b in cnn["blocks"]] == [
        "(None, 32, 32, 3)", "(None, 30, 30, 32)", "(None, 15, 15, 32)", "(None, 13, 13, 64)",
        "(None, 6, 6, 64)", "(None, 4, 4, 64)", "(None, 4, 4, 64)",
    ]
    heights = [round(b["h"], 1) for b in cnn["blocks"]]
    thickness = [round(b["w"], 1) for b in cnn["blocks"]]
    # rows 32 > 30 > 15 > 13 > 6 > 4: each block is shorter than the one before
    assert heights[:6] == sorted(heights[:6], reverse=True) and len(set(heights[:6])) == 6
    # channels 3 < 32 < 64: the front face thickens
    assert thickness[0] < thickness[1] == thickness[2] < thickness[3] == thickness[4]
    # blocks run left to right, and the captions under them do not collide
    xs = [b["x"] for b in cnn["blocks"]]
    assert xs == sorted(xs)
    assert not cnn["captionsOverlap"]
    # the Dense that KC201 flags is its own block, after the last convolution
    assert cnn["blocks"][-1]["layer"] == '<b>dense</b> & "co"'


def test_the_branching_model_is_drawn_as_a_layered_graph(report):
    graph = report["probe"]["models"][1]
    assert graph["svg"]["kind"] == "graph"
    nodes = {n["layer"]: n for n in graph["nodes"]}
    assert list(nodes) == [row["layer"] for row in graph["rows"]]
    assert all(n["textFits"] and n["w"] > 0 and n["h"] > 0 for n in nodes.values())
    assert nodes["image"]["y"] < nodes["conv2d"]["y"] < nodes["conv2d_1"]["y"] < nodes["add"]["y"]
    assert nodes["global_average_pooling2d"]["y"] == nodes["global_max_pooling2d"]["y"]
    left, right = nodes["global_average_pooling2d"], nodes["global_max_pooling2d"]
    assert left["x"] + left["w"] <= right["x"] or right["x"] + right["w"] <= left["x"]  # side by side


def test_nothing_overflows_the_page(report):
    probe = report["probe"]
    assert probe["pageWidth"] <= probe["viewport"]


def test_the_screenshot_is_a_real_picture(report):
    data = report["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    pixels = b""
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            pixels += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(pixels)
    assert len(set(raw)) > 64, "the screenshot is (almost) blank"
