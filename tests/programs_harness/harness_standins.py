"""Stand-ins for the libraries the programs use that the test environment need not have.

`pip install -e '.[test]'` installs neither matplotlib nor Pillow. The programs plot with matplotlib
(which plays no part in their models), and the harness writes and reads the synthetic images of its
data catalogue with Pillow (as do `keras.utils.load_img` and the `tf.io.decode_*` stand-ins). When
one of them is missing, `install()` registers a small module in its place; when it is installed,
the real library is used and nothing here runs.

* matplotlib (and any `matplotlib.*` submodule, and pandas' plotting backend module): every
  attribute, call, index or iteration gives an inert object, so `fig, axes = plt.subplots(2, 3)`,
  `axes[0, 1].imshow(...)`, `df.plot()`, `plt.show()` run and draw nothing.
* PIL (`PIL.Image`, `PIL.ImageDraw`): images are NumPy arrays of mode L, RGB or RGBA, written and
  read as PNG (zlib, no other codec); a file asked for as JPEG is written as PNG too, which Pillow
  and this decoder both read by content, whatever the file's extension. `resize` is nearest-
  neighbour, `ImageDraw` draws filled boxes. Only the shapes of the images matter to the programs.
"""

import builtins
import importlib.abc
import importlib.machinery
import importlib.util
import os
import struct
import sys
import types
import zlib

import numpy as np

# ==========================================================================
# matplotlib
# ==========================================================================


class Inert:
    """Any attribute, call, index or iteration of it gives another inert object."""

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert()

    def __call__(self, *args, **kwargs):
        return Inert()

    def __getitem__(self, key):
        return Inert()

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        # Two items, so that `fig, ax = plt.subplots(1, 2)` unpacks; a loop over it runs twice.
        return iter((Inert(), Inert()))

    def __len__(self):
        return 2

    # `max(plt.ylim())`: limits compare (as equal numbers would)
    def __lt__(self, other):
        return False

    __gt__ = __lt__

    def __le__(self, other):
        return True

    __ge__ = __le__

    def __array__(self, dtype=None, copy=None):
        # NumPy sees one object, not a sequence it would unpack forever (`np.atleast_1d(axes)`).
        arr = np.empty((), dtype=object)
        arr[()] = self
        return arr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert()


class _InertFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `top` and every `top.*` module as an inert module."""

    def __init__(self, top):
        self.top = top

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.top or fullname.startswith(self.top + "."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _InertModule(spec.name)
        module.__path__ = []
        module.__version__ = "0.0 (harness stand-in)"
        module.__harness_standin__ = True
        return module

    def exec_module(self, module):
        if module.__name__ == self.top:
            module.use = lambda *args, **kwargs: None


# ==========================================================================
# PIL
# ==========================================================================

_CHANNELS = {"L": 1, "RGB": 3, "RGBA": 4}
_COLOR_TYPE = {"L": 0, "RGB": 2, "RGBA": 6}
_MODE_OF = {0: "L", 2: "RGB", 4: "LA", 6: "RGBA"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(arr):
    """PNG bytes of an (h, w) or (h, w, c) uint8 array, c in 1, 3, 4."""
    arr = np.ascontiguousarray(arr, dtype="uint8")
    if arr.ndim == 2:
        arr = arr[..., None]
    h, w, c = arr.shape
    color = {1: 0, 3: 2, 4: 6}[c]
    rows = np.concatenate([np.zeros((h, 1), dtype="uint8"), arr.reshape(h, w * c)], axis=1)
    return (_PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(rows.tobytes())) + _chunk(b"IEND", b""))


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data):
    """(array, mode) of 8-bit PNG bytes (grey, grey+alpha, RGB, RGBA; every row filter)."""
    if not data.startswith(_PNG_SIGNATURE):
        raise OSError("cannot identify image file (the harness's Pillow stand-in reads PNG only)")
    pos, idat, header = len(_PNG_SIGNATURE), [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    w, h, depth, color, _, _, interlace = header
    if depth != 8 or interlace or color not in _MODE_OF:
        raise OSError("the harness's Pillow stand-in reads 8-bit non-interlaced PNG only")
    c = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype="uint8").reshape(h, 1 + w * c)
    out = np.zeros((h, w * c), dtype="int32")
    for y in range(h):
        kind, line = raw[y, 0], raw[y, 1:].astype("int32")
        prev = out[y - 1] if y else np.zeros(w * c, dtype="int32")
        if kind == 0:
            out[y] = line
        elif kind == 2:
            out[y] = (line + prev) % 256
        else:
            row = np.zeros(w * c, dtype="int32")
            for x in range(w * c):
                left = row[x - c] if x >= c else 0
                up_left = prev[x - c] if x >= c else 0
                pred = {1: left, 3: (left + prev[x]) // 2, 4: _paeth(left, prev[x], up_left)}[int(kind)]
                row[x] = (line[x] + pred) % 256
            out[y] = row
    arr = out.astype("uint8").reshape(h, w, c)
    mode = _MODE_OF[color]
    if mode == "LA":
        arr, mode = arr[..., :1], "L"
    return (arr[..., 0] if c == 1 or mode == "L" else arr), mode


class _Resampling:
    NEAREST = 0
    LANCZOS = 1
    BILINEAR = 2
    BICUBIC = 3
    BOX = 4
    HAMMING = 5


class PilImage:
    """A NumPy-backed `PIL.Image.Image`: `mode`, `size`, `convert`, `resize`, `crop`, `save`, `np.asarray`."""

    def __init__(self, arr, mode):
        self._arr = np.asarray(arr, dtype="uint8")
        self.mode = mode
        self.format = "PNG"
        self.info = {}

    @property
    def size(self):
        return int(self._arr.shape[1]), int(self._arr.shape[0])

    @property
    def width(self):
        return self.size[0]

    @property
    def height(self):
        return self.size[1]

    def __array__(self, dtype=None, copy=None):
        return self._arr if dtype is None else self._arr.astype(dtype)

    def _rgba(self):
        a = self._arr
        if self.mode == "L":
            a = np.repeat(a[..., None], 3, axis=-1)
        if a.shape[-1] == 3:
            a = np.concatenate([a, np.full(a.shape[:2] + (1,), 255, dtype="uint8")], axis=-1)
        return a

    def convert(self, mode):
        if mode == self.mode:
            return self.copy()
        rgba = self._rgba()
        if mode == "L":
            grey = rgba[..., 0] * 0.299 + rgba[..., 1] * 0.587 + rgba[..., 2] * 0.114
            return PilImage(np.clip(grey, 0, 255).astype("uint8"), "L")
        if mode in ("RGB", "RGBA"):
            return PilImage(rgba[..., :_CHANNELS[mode]], mode)
        raise ValueError(f"the harness's Pillow stand-in has no mode {mode!r}")

    def copy(self):
        return PilImage(self._arr.copy(), self.mode)

    def resize(self, size, resample=None, box=None, reducing_gap=None):
        w, h = int(size[0]), int(size[1])
        rows = (np.arange(h) * self._arr.shape[0] // max(h, 1)).clip(0, self._arr.shape[0] - 1)
        cols = (np.arange(w) * self._arr.shape[1] // max(w, 1)).clip(0, self._arr.shape[1] - 1)
        return PilImage(self._arr[rows][:, cols], self.mode)

    def crop(self, box):
        left, upper, right, lower = (int(v) for v in box)
        return PilImage(self._arr[upper:lower, left:right], self.mode)

    def save(self, fp, format=None, **params):  # noqa: A002  (Pillow's name)
        data = encode_png(self._arr)
        if isinstance(fp, (str, os.PathLike)):
            with open(fp, "wb") as f:
                f.write(data)
        else:
            fp.write(data)

    def load(self):
        return None

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _image_module():
    module = types.ModuleType("PIL.Image")
    module.__harness_standin__ = True
    module.Image = PilImage
    module.Resampling = _Resampling
    for name in ("NEAREST", "LANCZOS", "BILINEAR", "BICUBIC", "BOX", "HAMMING"):
        setattr(module, name, getattr(_Resampling, name))
    module.ANTIALIAS = _Resampling.LANCZOS

    def new(mode, size, color=0):
        fill = np.asarray(color if isinstance(color, (tuple, list)) else [color] * _CHANNELS[mode], dtype="uint8")
        arr = np.broadcast_to(fill[: _CHANNELS[mode]], (int(size[1]), int(size[0]), _CHANNELS[mode])).copy()
        return PilImage(arr[..., 0] if mode == "L" else arr, mode)

    def fromarray(obj, mode=None):
        arr = np.asarray(obj)
        if arr.ndim == 3 and arr.shape[-1] == 1:
            arr = arr[..., 0]
        guessed = "L" if arr.ndim == 2 else {3: "RGB", 4: "RGBA"}[arr.shape[-1]]
        return PilImage(arr.astype("uint8"), guessed)

    def open(fp, mode="r", formats=None):  # noqa: A001  (Pillow's name)
        if isinstance(fp, (str, os.PathLike)):
            with builtins.open(fp, "rb") as f:
                data = f.read()
        else:
            data = fp.read()
        arr, image_mode = decode_png(data)
        return PilImage(arr, image_mode)

    module.new, module.fromarray, module.open = new, fromarray, open
    return module


def _draw_module():
    module = types.ModuleType("PIL.ImageDraw")
    module.__harness_standin__ = True

    class Draw:
        """Draws filled boxes: one per character of a text, one over a line's or a shape's bounding box."""

        def __init__(self, image, mode=None):
            self.image = image

        def _fill(self, box, fill):
            arr = self.image._arr
            x0, y0, x1, y1 = (int(round(v)) for v in box)
            x0, x1 = sorted((max(x0, 0), min(x1, arr.shape[1])))
            y0, y1 = sorted((max(y0, 0), min(y1, arr.shape[0])))
            value = np.asarray(fill if isinstance(fill, (tuple, list)) else [fill or 0] * 4, dtype="uint8")
            arr[y0:y1 + 1, x0:x1 + 1] = value[0] if arr.ndim == 2 else value[: arr.shape[-1]]

        def text(self, xy, text, fill=None, font=None, **kwargs):
            x, y = xy
            for i, ch in enumerate(str(text)):
                if not ch.isspace():
                    self._fill((x + 6 * i, y, x + 6 * i + 4, y + 8), fill)

        def line(self, xy, fill=None, width=1, **kwargs):
            pts = np.asarray(xy, dtype="float64").reshape(-1, 2)
            self._fill((pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].min() + width - 1), fill)

        def rectangle(self, xy, fill=None, outline=None, width=1):
            pts = np.asarray(xy, dtype="float64").reshape(-1)
            self._fill(pts, fill if fill is not None else outline)

        ellipse = rectangle
        polygon = line

    module.Draw = Draw
    return module


def _pil_package():
    package = types.ModuleType("PIL")
    package.__path__ = []
    package.__version__ = "0.0 (harness stand-in)"
    package.__harness_standin__ = True
    package.Image = _image_module()
    package.ImageDraw = _draw_module()
    return package


# ==========================================================================
# installation
# ==========================================================================


def _missing(name):
    if name in sys.modules:
        return sys.modules[name] is None
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):
        return True


def install():
    """Register the stand-ins for whichever of matplotlib and Pillow is not installed.

    Call it before Keras is imported: Keras looks for Pillow once, when it is imported.
    """
    if _missing("matplotlib"):
        sys.meta_path.insert(0, _InertFinder("matplotlib"))
        # pandas plots (`df.plot()`, `df.hist()`) through this module of its own, which needs the real
        # matplotlib: inert too.
        sys.meta_path.insert(0, _InertFinder("pandas.plotting._matplotlib"))
    if _missing("seaborn"):
        # seaborn only plots (heatmaps, pair plots ...): inert like the matplotlib stand-in.
        sys.meta_path.insert(0, _InertFinder("seaborn"))
    if _missing("IPython"):
        # notebooks always run inside IPython (`IPython.display.clear_output()`, `display(...)`): inert here.
        sys.meta_path.insert(0, _InertFinder("IPython"))
    if _missing("PIL"):
        pil = _pil_package()
        sys.modules["PIL"] = pil
        sys.modules["PIL.Image"] = pil.Image
        sys.modules["PIL.ImageDraw"] = pil.ImageDraw
