# ruff: noqa: UP031  (written with printf-style formatting throughout; kept as measured)
"""Synthetic data for the blind-corpus harness (see harness.py).

There is no network.  Everything a program would download or read from a
well-known public location is produced here, small, with the real layout,
column names, shapes and dtypes:

* `CATALOGUE`: public files/archives keyed by their published file name (the
  last part of the URL) or by a path suffix such as `titanic/train.csv`
  (Kaggle's `/kaggle/input/<competition>/<file>`).  Archive entries build a
  directory tree which is then packed as .zip / .tar.gz / .tar according to
  the requested name, so `get_file(..., extract=True)`, `unzip`, `tarfile`
  work for real on it.
* `keras.datasets.*.load_data()` replacements (`DATASETS`) returning random
  arrays of the real per-sample shapes and dtypes, with few samples.
* `image_dataset_from_directory`, `text_dataset_from_directory`,
  `timeseries_dataset_from_array` re-implemented on the NumPy `tf.data`
  stand-in (they need TensorFlow in Keras 3).
* `sklearn.datasets.fetch_california_housing` replacement.
"""

import csv
import io
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib

import numpy as np

N_TRAIN = 96
N_TEST = 32

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def rng_for(key):
    return np.random.default_rng(zlib.crc32(key.encode()))


WORDS = (
    "the a an this that movie film story plot actor actress scene director music script "
    "good great bad terrible wonderful boring funny sad long short best worst love hate "
    "really very quite not never always just so too well time people character characters "
    "watch watched seen see make made show shows life world man woman young old first last "
    "end beginning moment part way thing things nothing something everything one two three "
    "is was were be been are have has had do does did will would could should can may "
    "i you he she it we they me him her us them my your his their our and or but if when "
    "while because although after before during into from with without about over under "
    "again still even also only more most less least much many few some any every each "
    "beautiful ugly strange simple brilliant awful amazing dull clever stupid original "
    "house city night day war family friend friends money job school car road water fire "
    "light dark red blue green white black small big little large new real true false "
    "go went come came take took give gave find found think thought know knew feel felt "
    "look looked want wanted tell told ask asked work worked seem seemed leave left call"
).split()


def sentence(rng, n_min=4, n_max=14):
    n = int(rng.integers(n_min, n_max))
    words = list(rng.choice(WORDS, size=n))
    words[0] = words[0].capitalize()
    return " ".join(words) + str(rng.choice([".", ".", ".", "!", "?"]))


def paragraph(rng, n_sent=(2, 6)):
    return " ".join(sentence(rng) for _ in range(int(rng.integers(*n_sent))))


_IMG_CACHE = {}


def image_bytes(rng, size=(64, 48), fmt="JPEG", mode="RGB"):
    from PIL import Image

    w, h = size
    base = rng.integers(0, 256, size=(1, 1, 3 if mode != "L" else 1))
    grad = np.linspace(0, 1, w)[None, :, None] * rng.integers(0, 128)
    noise = rng.integers(0, 64, size=(h, w, 3 if mode != "L" else 1))
    arr = np.clip(base + grad + noise, 0, 255).astype("uint8")
    if mode == "L":
        arr = arr[..., 0]
    img = Image.fromarray(arr, mode=None)
    if mode == "RGBA":
        img = img.convert("RGBA")
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def image_pool(key, n=12, fmt="JPEG", mode="RGB"):
    """A few distinct small images, reused cyclically (fast for many files)."""
    ck = (key, n, fmt, mode)
    if ck not in _IMG_CACHE:
        rng = rng_for(key)
        _IMG_CACHE[ck] = [
            image_bytes(rng, (int(rng.integers(40, 90)), int(rng.integers(40, 90))), fmt, mode) for _ in range(n)
        ]
    return _IMG_CACHE[ck]


def write(path, content, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if isinstance(content, bytes):
        mode = "wb"
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(content)


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if header is not None:
            w.writerow(header)
        w.writerows(rows)


# --------------------------------------------------------------------------
# catalogue entries: each is ("file", fn(path)) or ("tree", fn(root_dir))
# --------------------------------------------------------------------------

CATALOGUE = {}


def entry(kind, *names):
    def deco(fn):
        for n in names:
            CATALOGUE[n.lower()] = (kind, fn)
        return fn

    return deco


@entry("tree", "kagglecatsanddogs_5340.zip", "kagglecatsanddogs_3367a.zip")
def _pet_images(root):
    pool = image_pool("pets")
    for cls in ("Cat", "Dog"):
        for i in range(40):
            write(os.path.join(root, "PetImages", cls, "%d.jpg" % i), pool[(i + len(cls)) % len(pool)])
        # a couple of corrupted files, as in the real archive
        write(os.path.join(root, "PetImages", cls, "666.jpg"), b"\x00\x01not a jpeg at all")
        write(os.path.join(root, "PetImages", cls, "Thumbs.db"), b"\x00" * 32)
    write(os.path.join(root, "CDLA-Permissive-2.0.pdf"), b"%PDF-1.4\n")
    write(os.path.join(root, "readme[1].txt"), "Kaggle cats and dogs (synthetic)\n")


@entry("tree", "flower_photos.tgz", "flower_photos.tar.gz", "flower_photos.tar", "flower_photos.zip")
def _flower_photos(root):
    pool = image_pool("flowers", 16)
    for k, cls in enumerate(["daisy", "dandelion", "roses", "sunflowers", "tulips"]):
        for i in range(14):
            write(os.path.join(root, "flower_photos", cls, "%d_%d.jpg" % (1000 + 37 * i, k)), pool[(i + k) % len(pool)])
    write(os.path.join(root, "flower_photos", "LICENSE.txt"), "All images licensed CC-BY (synthetic)\n")


@entry("tree", "cats_and_dogs_filtered.zip")
def _cats_and_dogs_filtered(root):
    pool = image_pool("catsdogs", 16)
    base = os.path.join(root, "cats_and_dogs_filtered")
    for split, n in (("train", 100), ("validation", 90)):
        for cls in ("cats", "dogs"):
            for i in range(n):
                write(os.path.join(base, split, cls, "%s.%d.jpg" % (cls[:-1], i + (2000 if split == "validation" else 0))), pool[i % len(pool)])
    write(os.path.join(base, "vectorize.py"), "# synthetic\n")


@entry("tree", "dogs-vs-cats.zip")
def _dogs_vs_cats_competition(root):
    pool = image_pool("dogsvscats", 16)
    stage = tempfile.mkdtemp(prefix="dvc_")
    for i in range(2500):
        for cls in ("cat", "dog"):
            write(os.path.join(stage, "train", "%s.%d.jpg" % (cls, i)), pool[(i + len(cls)) % len(pool)])
    for i in range(1, 41):
        write(os.path.join(stage, "test1", "%d.jpg" % i), pool[i % len(pool)])
    pack_tree(stage, os.path.join(root, "train.zip"), only=["train"])
    pack_tree(stage, os.path.join(root, "test1.zip"), only=["test1"])
    shutil.rmtree(stage, ignore_errors=True)
    write_csv(os.path.join(root, "sampleSubmission.csv"), ["id", "label"], [[i, 0] for i in range(1, 41)])


@entry("tree", "aclImdb_v1.tar.gz", "aclImdb_v1.tar", "aclimdb_v1.tgz")
def _acl_imdb(root):
    rng = rng_for("aclImdb")
    base = os.path.join(root, "aclImdb")
    for split in ("train", "test"):
        for label in ("pos", "neg"):
            for i in range(40):
                rating = int(rng.integers(7, 11)) if label == "pos" else int(rng.integers(1, 5))
                text = paragraph(rng, (2, 8))
                if i % 3 == 0:
                    text = text.replace(". ", ".<br /><br />", 1)
                write(os.path.join(base, split, label, "%d_%d.txt" % (i, rating)), text)
        write(os.path.join(base, split, "labeledBow.feat"), "0 0:1\n")
        write(os.path.join(base, split, "urls_pos.txt"), "http://www.imdb.com/title/tt0000001/usercomments\n")
    for i in range(12):
        write(os.path.join(base, "train", "unsup", "%d_0.txt" % i), paragraph(rng))
    write(os.path.join(base, "imdb.vocab"), "\n".join(sorted(set(WORDS))) + "\n")
    write(os.path.join(base, "imdbEr.txt"), "\n".join("%.4f" % v for v in rng.normal(size=len(WORDS))) + "\n")
    write(os.path.join(base, "README"), "Large Movie Review Dataset v1.0 (synthetic)\n")


JENA_COLUMNS = [
    "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)", "VPact (mbar)",
    "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)", "max. wv (m/s)", "wd (deg)",
]


def _jena_csv(path, n=10000):
    import datetime

    rng = rng_for("jena")
    t0 = datetime.datetime(2009, 1, 1, 0, 10)
    step = datetime.timedelta(minutes=10)
    day = np.arange(n) / 144.0
    temp = 9 + 8 * np.sin(2 * np.pi * day / 365.25) + 5 * np.sin(2 * np.pi * day) + rng.normal(0, 1, n)
    rows = []
    for i in range(n):
        T = temp[i]
        p = 990 + rng.normal(0, 8)
        wv = abs(rng.normal(2, 1.5))
        if i % 997 == 5:
            wv = -9999.0  # the real file has these sentinel values
        vals = [p, T, T + 273.15 + 0.5, T - abs(rng.normal(4, 2)), float(np.clip(rng.normal(75, 15), 10, 100)),
                abs(rng.normal(13, 7)), abs(rng.normal(9, 4)), abs(rng.normal(4, 3)), abs(rng.normal(6, 2.5)),
                abs(rng.normal(9.5, 4)), 1215 + rng.normal(0, 40), wv, wv + abs(rng.normal(1, 0.5)),
                float(rng.uniform(0, 360))]
        rows.append([(t0 + i * step).strftime("%d.%m.%Y %H:%M:%S")] + ["%.2f" % v for v in vals])
    write_csv(path, ["Date Time"] + JENA_COLUMNS, rows)


@entry("tree", "jena_climate_2009_2016.csv.zip")
def _jena_zip(root):
    _jena_csv(os.path.join(root, "jena_climate_2009_2016.csv"))


@entry("file", "jena_climate_2009_2016.csv")
def _jena_file(path):
    _jena_csv(path)


@entry("file", "nietzsche.txt", "shakespeare.txt", "input.txt")
def _plain_text(path):
    rng = rng_for(os.path.basename(path))
    paras = []
    while sum(len(p) for p in paras) < 15000:
        paras.append(paragraph(rng, (3, 9)))
    write(path, "\n\n".join(paras) + "\n")


def _translation_pairs(rng, n, lang):
    extra = {"fra": "le la les un une est sont je tu il elle nous vous ils avec pour dans sur pas".split(),
             "spa": "el la los las un una es son yo tu el ella nosotros con para en sobre no".split()}[lang]
    pairs = []
    for _ in range(n):
        k = int(rng.integers(1, 7))
        en = " ".join(rng.choice(WORDS, size=k)).capitalize() + str(rng.choice([".", "!", "?"]))
        tr = " ".join(rng.choice(extra + WORDS[:40], size=k + int(rng.integers(0, 3)))).capitalize() + str(rng.choice([".", "!", "?"]))
        pairs.append((en, tr))
    return pairs


@entry("tree", "fra-eng.zip")
def _fra_eng(root):
    rng = rng_for("fra")
    lines = ["%s\t%s\tCC-BY 2.0 (France) Attribution: tatoeba.org #%d (CM) & #%d (sacredceltic)" % (en, fr, 1000 + i, 2000 + i)
             for i, (en, fr) in enumerate(_translation_pairs(rng, 400, "fra"))]
    write(os.path.join(root, "fra.txt"), "\n".join(lines) + "\n")
    write(os.path.join(root, "_about.txt"), "Tab-delimited Bilingual Sentence Pairs (synthetic)\n")


@entry("tree", "spa-eng.zip")
def _spa_eng(root):
    rng = rng_for("spa")
    lines = ["%s\t%s" % p for p in _translation_pairs(rng, 400, "spa")]
    write(os.path.join(root, "spa-eng", "spa.txt"), "\n".join(lines) + "\n")
    write(os.path.join(root, "spa-eng", "_about.txt"), "synthetic\n")


@entry("tree", "ml-latest-small.zip")
def _movielens(root):
    rng = rng_for("movielens")
    base = os.path.join(root, "ml-latest-small")
    movie_ids = sorted(rng.choice(np.arange(1, 3000), size=150, replace=False).tolist())
    genres = ["Action", "Adventure", "Animation", "Children", "Comedy", "Drama", "Horror", "Romance", "Sci-Fi", "Thriller"]
    write_csv(os.path.join(base, "movies.csv"), ["movieId", "title", "genres"],
              [[m, "%s %s (%d)" % (rng.choice(WORDS).capitalize(), rng.choice(WORDS), 1950 + m % 70),
                "|".join(sorted(set(rng.choice(genres, size=int(rng.integers(1, 4))))))] for m in movie_ids])
    rows = []
    for u in range(1, 61):
        for m in rng.choice(movie_ids, size=int(rng.integers(15, 45)), replace=False):
            rows.append([u, int(m), float(rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])),
                         int(964982703 + rng.integers(0, 10 ** 8))])
    write_csv(os.path.join(base, "ratings.csv"), ["userId", "movieId", "rating", "timestamp"], rows)
    write_csv(os.path.join(base, "links.csv"), ["movieId", "imdbId", "tmdbId"], [[m, 100000 + m, 800 + m] for m in movie_ids])
    write_csv(os.path.join(base, "tags.csv"), ["userId", "movieId", "tag", "timestamp"],
              [[int(rng.integers(1, 61)), int(rng.choice(movie_ids)), str(rng.choice(WORDS)), 1445714994] for _ in range(50)])
    write(os.path.join(base, "README.txt"), "MovieLens small (synthetic)\n")


@entry("file", "heart.csv")
def _heart(path):
    rng = rng_for("heart")
    rows = []
    for _ in range(303):
        rows.append([int(rng.integers(29, 78)), int(rng.integers(0, 2)), int(rng.integers(0, 5)), int(rng.integers(94, 200)),
                     int(rng.integers(126, 565)), int(rng.integers(0, 2)), int(rng.integers(0, 3)), int(rng.integers(71, 203)),
                     int(rng.integers(0, 2)), round(float(rng.uniform(0, 6.2)), 1), int(rng.integers(1, 4)), int(rng.integers(0, 4)),
                     str(rng.choice(["fixed", "normal", "reversible", "normal", "reversible", "1", "2"])), int(rng.integers(0, 2))])
    write_csv(path, ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope", "ca", "thal", "target"], rows)


@entry("file", "auto-mpg.data")
def _auto_mpg(path):
    rng = rng_for("autompg")
    lines = []
    for i in range(398):
        cyl = int(rng.choice([4, 4, 4, 6, 6, 8, 8, 3, 5]))
        disp = cyl * rng.uniform(20, 50)
        hp = "%.1f" % (disp * rng.uniform(0.35, 0.6) + 20) if i % 60 != 7 else "?"
        weight = 1600 + disp * rng.uniform(5, 9)
        mpg = max(9.0, 50 - weight / 120 + rng.normal(0, 2))
        lines.append("%-7.1f%-4d%-11.1f%-11s%-11.1f%-7.1f%-4d%d\t\"%s %s\"" % (
            mpg, cyl, disp, hp, weight, rng.uniform(8, 25), int(rng.integers(70, 83)), int(rng.integers(1, 4)),
            rng.choice(["chevrolet", "ford", "toyota", "datsun", "vw", "amc"]), rng.choice(WORDS)))
    write(path, "\n".join(lines) + "\n")


def _forda(path, n):
    rng = rng_for(os.path.basename(path))
    t = np.linspace(0, 8 * np.pi, 500)
    rows = []
    for i in range(n):
        label = 1 if i % 2 == 0 else -1
        sig = np.sin(t * (1.0 + 0.2 * label)) + rng.normal(0, 0.5, 500)
        sig = (sig - sig.mean()) / sig.std()
        rows.append("\t".join(["%d" % label] + ["%.6f" % v for v in sig]))
    write(path, "\n".join(rows) + "\n")


@entry("file", "FordA_TRAIN.tsv")
def _forda_train(path):
    _forda(path, 120)


@entry("file", "FordA_TEST.tsv")
def _forda_test(path):
    _forda(path, 60)


def _ucr_txt(path, n, length, n_classes, key):
    """UCR archive .txt layout: label (float, 1-based) then the series, space separated, scientific notation."""
    rng = rng_for(key)
    t = np.linspace(0, 2 * np.pi, length)
    rows = []
    for i in range(n):
        label = i % n_classes + 1
        sig = np.sin(t * label) + 0.3 * rng.standard_normal(length)
        sig = (sig - sig.mean()) / sig.std()
        rows.append("  " + "  ".join("%.7e" % v for v in [float(label)] + list(sig)))
    write(path, "\n".join(rows) + "\n")


@entry("tree", "ECG5000.zip")
def _ecg5000(root):
    _ucr_txt(os.path.join(root, "ECG5000_TRAIN.txt"), 100, 140, 5, "ecg5000_train")
    _ucr_txt(os.path.join(root, "ECG5000_TEST.txt"), 60, 140, 5, "ecg5000_test")
    write(os.path.join(root, "ECG5000.txt"), "ECG5000 (synthetic UCR layout)\n")


def _ucr_archive(name, length, n_classes):
    """timeseriesclassification.com <Name>.zip: <Name>_TRAIN.txt / <Name>_TEST.txt in the UCR .txt layout."""
    def build(root):
        _ucr_txt(os.path.join(root, "%s_TRAIN.txt" % name), 96, length, n_classes, name.lower() + "_train")
        _ucr_txt(os.path.join(root, "%s_TEST.txt" % name), 48, length, n_classes, name.lower() + "_test")
        write(os.path.join(root, "%s.txt" % name), "%s (synthetic UCR layout)\n" % name)
    return build


for _name, _len, _k in (("Wafer", 152, 2), ("StarLightCurves", 1024, 3), ("ElectricDevices", 96, 7),
                       ("Earthquakes", 512, 2)):
    CATALOGUE[_name.lower() + ".zip"] = ("tree", _ucr_archive(_name, _len, _k))


@entry("tree", "captcha_images_v2.zip")
def _captcha(root):
    from PIL import Image, ImageDraw

    rng = rng_for("captcha")
    chars = list("2345678bcdefgmnpwxy")
    seen = set()
    while len(seen) < 60:
        seen.add("".join(rng.choice(chars, size=5)))
    for label in sorted(seen):
        img = Image.new("RGBA", (200, 50), (230, 230, 230, 255))
        d = ImageDraw.Draw(img)
        d.text((30, 18), " ".join(label), fill=(60, 60, 60, 255))
        d.line((0, int(rng.integers(10, 40)), 200, int(rng.integers(10, 40))), fill=(90, 90, 90, 255), width=2)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        write(os.path.join(root, "captcha_images_v2", label + ".png"), buf.getvalue())


@entry("file", "mnist_test_seq.npy", "moving_mnist.npy")
def _moving_mnist(path):
    rng = rng_for("movingmnist")
    frames = np.zeros((20, 24, 64, 64), dtype="uint8")
    for s in range(24):
        x, y = rng.integers(0, 44, size=2)
        dx, dy = rng.integers(-3, 4, size=2)
        for t in range(20):
            frames[t, s, y:y + 20, x:x + 20] = 200
            x = int(np.clip(x + dx, 0, 44))
            y = int(np.clip(y + dy, 0, 44))
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        np.save(f, frames)


@entry("file", "592px-Red_sunflower.jpg", "Red_sunflower.jpg", "Red_sunflower")
def _sunflower(path):
    write(path, image_bytes(rng_for("sunflower"), (592, 444)))


@entry("file", "imagenet_class_index.json")
def _imagenet_index(path):
    rng = rng_for("imagenet")
    idx = {str(i): ["n%08d" % (1440764 + i * 1013), "%s_%s" % (rng.choice(WORDS), i)] for i in range(1000)}
    write(path, json.dumps(idx))


@entry("file", "digit-recognizer/train.csv")
def _digits_train(path):
    rng = rng_for("digits-train")
    rows = [[i % 10] + rng.integers(0, 256, size=784).tolist() for i in range(240)]
    write_csv(path, ["label"] + ["pixel%d" % i for i in range(784)], rows)


@entry("file", "digit-recognizer/test.csv")
def _digits_test(path):
    rng = rng_for("digits-test")
    rows = [rng.integers(0, 256, size=784).tolist() for _ in range(60)]
    write_csv(path, ["pixel%d" % i for i in range(784)], rows)


@entry("file", "digit-recognizer/sample_submission.csv")
def _digits_sub(path):
    write_csv(path, ["ImageId", "Label"], [[i, 0] for i in range(1, 61)])


def _titanic_rows(rng, n, start_id, with_label):
    titles = ["Mr.", "Mrs.", "Miss.", "Master.", "Dr.", "Rev."]
    rows = []
    for i in range(n):
        sex = str(rng.choice(["male", "female"]))
        title = str(rng.choice(titles[:4] if i % 20 else titles))
        age = "" if rng.random() < 0.2 else "%.1f" % rng.uniform(0.5, 75)
        pclass = int(rng.choice([1, 2, 3, 3]))
        row = [start_id + i]
        if with_label:
            row.append(int(rng.integers(0, 2)))
        row += [pclass, "%s, %s %s %s" % (str(rng.choice(WORDS)).capitalize(), title, str(rng.choice(WORDS)).capitalize(), str(rng.choice(WORDS)).capitalize()),
                sex, age, int(rng.integers(0, 4)), int(rng.integers(0, 3)), "A/5 %d" % rng.integers(1000, 99999),
                "" if rng.random() < 0.05 else "%.4f" % rng.uniform(5, 260),
                "" if rng.random() < 0.75 else "%s%d" % (rng.choice(list("ABCDEF")), rng.integers(1, 120)),
                "" if rng.random() < 0.02 else str(rng.choice(["S", "S", "C", "Q"]))]
        rows.append(row)
    return rows


@entry("file", "titanic/train.csv")
def _titanic_train(path):
    write_csv(path, ["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare", "Cabin", "Embarked"],
              _titanic_rows(rng_for("titanic-train"), 300, 1, True))


@entry("file", "titanic/test.csv")
def _titanic_test(path):
    write_csv(path, ["PassengerId", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare", "Cabin", "Embarked"],
              _titanic_rows(rng_for("titanic-test"), 100, 892, False))


@entry("file", "titanic/gender_submission.csv")
def _titanic_sub(path):
    write_csv(path, ["PassengerId", "Survived"], [[892 + i, i % 2] for i in range(100)])


@entry("file", "airline-passengers.csv", "international-airline-passengers.csv")
def _airline(path):
    rows = []
    v = 112.0
    rng = rng_for("airline")
    for i in range(144):
        y, m = 1949 + i // 12, i % 12 + 1
        v = v * 1.01 + 20 * np.sin(2 * np.pi * m / 12) + rng.normal(0, 5)
        rows.append(["%d-%02d" % (y, m), int(max(v, 100))])
    write_csv(path, ["Month", "Passengers"], rows)


@entry("file", "pima-indians-diabetes.csv", "pima-indians-diabetes.data.csv")
def _pima(path):
    rng = rng_for("pima")
    rows = [[int(rng.integers(0, 15)), int(rng.integers(50, 200)), int(rng.integers(40, 110)), int(rng.integers(0, 60)),
             int(rng.integers(0, 400)), "%.1f" % rng.uniform(18, 55), "%.3f" % rng.uniform(0.08, 2.4),
             int(rng.integers(21, 80)), int(rng.integers(0, 2))] for _ in range(768)]
    write_csv(path, None, rows)



# ---- extra entries for programs_a ------------------------------------------


@entry("tree", "chest_xray_small.zip", "chest_xray_small.tar.gz")
def _chest_xray(root):
    pool = image_pool("xray", 12, mode="L")
    for split, n in (("train", 30), ("test", 10)):
        for k, cls in enumerate(("NORMAL", "PNEUMONIA")):
            for i in range(n):
                write(os.path.join(root, "chest_xray", split, cls, "person%d_%s.jpeg" % (i, cls.lower())),
                      pool[(i + k) % len(pool)])


@entry("tree", "uk_plates.zip")
def _uk_plates(root):
    from PIL import Image, ImageDraw

    rng = rng_for("plates")
    letters = list("ABCDEFGHJKLMNPRSTVWXYZ")
    digits = list("0123456789")
    seen = set()
    while len(seen) < 60:
        seen.add("".join(rng.choice(letters, 2)) + "".join(rng.choice(digits, 2)) + "".join(rng.choice(letters, 3)))
    for label in sorted(seen):
        img = Image.new("RGB", (160, 40), (250, 215, 40))
        d = ImageDraw.Draw(img)
        d.text((20, 14), label[:4] + " " + label[4:], fill=(10, 10, 10))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        write(os.path.join(root, "plates", label + ".png"), buf.getvalue())


@entry("file", "goodbooks-10k/ratings.csv", "goodbooks-10k/master/ratings.csv")
def _goodbooks_ratings(path):
    rng = rng_for("goodbooks")
    rows = []
    for u in range(1, 81):
        for b in rng.choice(np.arange(1, 201), size=int(rng.integers(10, 40)), replace=False):
            rows.append([int(b), u, int(rng.integers(1, 6))])
    write_csv(path, ["book_id", "user_id", "rating"], rows)


@entry("file", "goodbooks-10k/books.csv", "goodbooks-10k/master/books.csv")
def _goodbooks_books(path):
    rng = rng_for("goodbooks-books")
    rows = [[b, "%s %s" % (str(rng.choice(WORDS)).capitalize(), rng.choice(WORDS)),
             "%s %s" % (str(rng.choice(WORDS)).capitalize(), str(rng.choice(WORDS)).capitalize()),
             int(rng.integers(1850, 2018)), round(float(rng.uniform(2.5, 4.8)), 2)] for b in range(1, 201)]
    write_csv(path, ["book_id", "title", "authors", "original_publication_year", "average_rating"], rows)


@entry("tree", "multiclass_weather.zip", "weather_images.zip")
def _weather_images(root):
    pool = image_pool("weather", 16)
    for k, cls in enumerate(("cloudy", "rain", "shine", "sunrise")):
        for i in range(16):
            write(os.path.join(root, "weather_images", cls, "%s%d.jpg" % (cls, i + 1)), pool[(i + 3 * k) % len(pool)])


# ---- extra public datasets used by programs_b --------------------------------


@entry("file", "winequality-red.csv", "winequality-white.csv")
def _wine_quality(path):
    rng = rng_for(os.path.basename(path))
    cols = ["fixed acidity", "volatile acidity", "citric acid", "residual sugar", "chlorides",
            "free sulfur dioxide", "total sulfur dioxide", "density", "pH", "sulphates", "alcohol", "quality"]
    rows = []
    for _ in range(400):
        alc = rng.uniform(8.4, 14.9)
        rows.append(["%.1f" % rng.uniform(4.6, 15.9), "%.2f" % rng.uniform(0.12, 1.58), "%.2f" % rng.uniform(0, 1),
                     "%.1f" % rng.uniform(0.9, 15.5), "%.3f" % rng.uniform(0.012, 0.611), "%d" % rng.integers(1, 72),
                     "%d" % rng.integers(6, 289), "%.4f" % rng.uniform(0.990, 1.004), "%.2f" % rng.uniform(2.74, 4.01),
                     "%.2f" % rng.uniform(0.33, 2.0), "%.1f" % alc, int(np.clip(round(alc / 2 + rng.normal(0, 0.7)), 3, 8))])
    with open(path, "w", encoding="utf-8") as f:
        f.write(";".join('"%s"' % c for c in cols) + "\n")
        for r in rows:
            f.write(";".join(str(v) for v in r) + "\n")


def _class_tree(root, top, classes, n, key, size=(72, 72), fmt="PNG"):
    pool = image_pool(key, 10, fmt="JPEG")
    for k, cls in enumerate(classes):
        for i in range(n):
            write(os.path.join(root, top, cls, "%s%02d-%d.png" % (cls, k, i)) if fmt == "PNG" else
                  os.path.join(root, top, cls, "%s_%d.jpg" % (cls, i)), pool[(i + k) % len(pool)])


@entry("tree", "rps.zip")
def _rps(root):
    _class_tree(root, "rps", ["paper", "rock", "scissors"], 16, "rps", fmt="JPG")


@entry("tree", "rps-test-set.zip")
def _rps_test(root):
    _class_tree(root, "rps-test-set", ["paper", "rock", "scissors"], 8, "rps-test", fmt="JPG")


@entry("tree", "horse-or-human.zip")
def _horse_or_human(root):
    _class_tree(root, "", ["horses", "humans"], 24, "hoh", fmt="JPG")


@entry("tree", "validation-horse-or-human.zip")
def _horse_or_human_val(root):
    _class_tree(root, "", ["horses", "humans"], 24, "hoh-val", fmt="JPG")


@entry("tree", "sentiment labelled sentences.zip", "sentiment%20labelled%20sentences.zip")
def _sentiment_sentences(root):
    rng = rng_for("sentiment-sentences")
    base = os.path.join(root, "sentiment labelled sentences")
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"):
        lines = []
        for i in range(120):
            lines.append("%s\t%d" % (sentence(rng, 4, 18), i % 2))
        write(os.path.join(base, name), "\n".join(lines) + "\n")
    write(os.path.join(base, "readme.txt"), "Sentiment labelled sentences (synthetic)\n")


@entry("tree", "bbc-fulltext.zip")
def _bbc(root):
    rng = rng_for("bbc")
    for cls in ("business", "entertainment", "politics", "sport", "tech"):
        for i in range(24):
            title = sentence(rng, 3, 8)
            write(os.path.join(root, "bbc", cls, "%03d.txt" % (i + 1)), title + "\n\n" + paragraph(rng, (3, 9)) + "\n")
    write(os.path.join(root, "bbc", "README.TXT"), "BBC news articles (synthetic)\n")


@entry("file", "PRSA_data_2010.1.1-2014.12.31.csv")
def _prsa(path):
    rng = rng_for("prsa")
    rows = []
    n = 3000
    import datetime
    t0 = datetime.datetime(2010, 1, 1)
    for i in range(n):
        day, hour = divmod(i, 24)
        when = t0 + datetime.timedelta(hours=i)
        temp = 12 - 14 * np.cos(2 * np.pi * day / 365) + 5 * np.sin(2 * np.pi * hour / 24) + rng.normal(0, 2)
        pm = "NA" if rng.random() < 0.04 else "%d" % max(3, int(90 + 60 * np.sin(i / 40.0) + rng.normal(0, 25)))
        rows.append([i + 1, when.year, when.month, when.day, hour, pm, int(temp - 10 + rng.normal(0, 3)),
                     int(temp), int(1016 + rng.normal(0, 8)), str(rng.choice(["SE", "NW", "cv", "NE"])),
                     "%.2f" % rng.uniform(0.4, 300), int(rng.integers(0, 3) == 0), int(rng.integers(0, 4) == 0)])
    write_csv(path, ["No", "year", "month", "day", "hour", "pm2.5", "DEWP", "TEMP", "PRES", "cbwd", "Iws", "Is", "Ir"], rows)


@entry("tree", "Bike-Sharing-Dataset.zip")
def _bike(root):
    rng = rng_for("bike")
    rows = []
    for i in range(2400):
        day, hr = divmod(i, 24)
        season = (day // 91) % 4 + 1
        temp = 0.5 + 0.3 * np.sin(2 * np.pi * day / 365) + rng.normal(0, 0.05)
        cnt = max(1, int(150 + 120 * np.sin(np.pi * hr / 24) ** 2 + 200 * temp + rng.normal(0, 30)))
        cas = int(cnt * rng.uniform(0.1, 0.3))
        rows.append([i + 1, "2011-%02d-%02d" % ((day // 28) % 12 + 1, day % 28 + 1), season, 0, (day // 30) % 12 + 1, hr,
                     int(day % 30 == 0), day % 7, int(day % 7 not in (0, 6)), int(rng.integers(1, 4)),
                     "%.2f" % temp, "%.4f" % (temp * 0.95), "%.2f" % rng.uniform(0.2, 1), "%.4f" % rng.uniform(0, 0.5),
                     cas, cnt - cas, cnt])
    write_csv(os.path.join(root, "hour.csv"), ["instant", "dteday", "season", "yr", "mnth", "hr", "holiday", "weekday",
                                               "workingday", "weathersit", "temp", "atemp", "hum", "windspeed",
                                               "casual", "registered", "cnt"], rows)
    write(os.path.join(root, "Readme.txt"), "Bike sharing (synthetic)\n")


@entry("file", "daily-min-temperatures.csv")
def _daily_min_temp(path):
    rng = rng_for("dailymin")
    rows = []
    import datetime
    d0 = datetime.date(1981, 1, 1)
    for i in range(3650):
        t = 11 + 6 * np.cos(2 * np.pi * i / 365.25) + rng.normal(0, 2.5)
        rows.append([(d0 + datetime.timedelta(days=i)).isoformat(), "%.1f" % max(0.0, t)])
    write_csv(path, ["Date", "Temp"], rows)


@entry("file", "adult.data", "adult.test")
def _adult(path):
    rng = rng_for(os.path.basename(path))
    wc = ["Private", "Self-emp-not-inc", "Local-gov", "State-gov", "?"]
    edu = ["Bachelors", "HS-grad", "Some-college", "Masters", "11th", "Assoc-voc"]
    ms = ["Married-civ-spouse", "Never-married", "Divorced", "Separated"]
    occ = ["Tech-support", "Craft-repair", "Sales", "Exec-managerial", "Prof-specialty", "?"]
    rel = ["Husband", "Not-in-family", "Own-child", "Wife", "Unmarried"]
    race = ["White", "Black", "Asian-Pac-Islander", "Other"]
    country = ["United-States", "Mexico", "India", "Germany", "?"]
    lines = []
    for _ in range(500):
        e = int(rng.integers(0, len(edu)))
        lines.append(", ".join(str(v) for v in [
            int(rng.integers(17, 90)), rng.choice(wc), int(rng.integers(20000, 900000)), edu[e], int(rng.integers(5, 16)),
            rng.choice(ms), rng.choice(occ), rng.choice(rel), rng.choice(race), rng.choice(["Male", "Female"]),
            int(rng.integers(0, 20) == 0) * int(rng.integers(1000, 20000)), 0, int(rng.integers(20, 70)),
            rng.choice(country), "<=50K" if rng.random() < 0.75 else ">50K"]))
    write(path, "\n".join(lines) + "\n")


@entry("file", "insurance.csv")
def _insurance(path):
    rng = rng_for("insurance")
    rows = []
    for _ in range(500):
        age = int(rng.integers(18, 65))
        smoker = str(rng.choice(["yes", "no", "no", "no"]))
        bmi = rng.normal(30.6, 6)
        charges = 2000 + 250 * age + (22000 if smoker == "yes" else 0) + rng.normal(0, 3000)
        rows.append([age, str(rng.choice(["female", "male"])), "%.3f" % bmi, int(rng.integers(0, 6)), smoker,
                     str(rng.choice(["southwest", "southeast", "northwest", "northeast"])), "%.4f" % max(1100, charges)])
    write_csv(path, ["age", "sex", "bmi", "children", "smoker", "region", "charges"], rows)


# ---- pre-trained word vectors (GloVe text format: "word v1 v2 ... vd" per line) ----


def _glove_lines(dim, key):
    rng = rng_for(key)
    words = list(dict.fromkeys(w.lower() for w in WORDS)) + [",", ".", "!", "?", "'s"]
    out = []
    for w in words:
        out.append(w + " " + " ".join("%.5f" % v for v in rng.normal(0, 0.4, dim)))
    return "\n".join(out) + "\n"


def _glove_tree(root):
    for d in (50, 100, 200, 300):
        write(os.path.join(root, "glove.6B.%dd.txt" % d), _glove_lines(d, "glove%d" % d))


entry("tree", "glove.6B.zip")(_glove_tree)


def _glove_file(path):
    import re as _re
    m = _re.search(r"(\d+)d", os.path.basename(path))
    d = int(m.group(1)) if m else 100
    write(path, _glove_lines(d, "glove%d" % d))


entry("file", "glove.6B.50d.txt", "glove.6B.100d.txt", "glove.6B.200d.txt", "glove.6B.300d.txt")(_glove_file)


# --------------------------------------------------------------------------
# materialisation
# --------------------------------------------------------------------------


# ---- audio, 3-D MedMNIST and DIV2K downloads ------------------------------


def wav_bytes(rng, seconds=1.0, rate=8000, freq=None):
    """A small 16-bit mono WAV: a tone plus noise."""
    from scipy.io import wavfile

    n = int(seconds * rate)
    t = np.arange(n) / rate
    f = freq or float(rng.uniform(150, 1500))
    x = 0.4 * np.sin(2 * np.pi * f * t) + 0.1 * rng.standard_normal(n)
    buf = io.BytesIO()
    wavfile.write(buf, rate, (np.clip(x, -1, 1) * 32767).astype("int16"))
    return buf.getvalue()


@entry("tree", "esc-50/archive/master.zip", "ESC-50-master.zip")
def _esc50(root):
    rng = rng_for("esc50")
    cats = [("dog", 0, True), ("rooster", 1, True), ("rain", 10, True), ("sea_waves", 11, True),
            ("crackling_fire", 12, True), ("crying_baby", 20, True), ("sneezing", 21, True),
            ("clock_tick", 38, True), ("helicopter", 40, True), ("chainsaw", 41, True),
            ("cow", 3, False), ("frog", 4, False), ("wind", 16, False), ("door_wood_knock", 30, False)]
    rows = []
    for i in range(140):  # 10 clips a category, so a 25 % validation split still holds two batches of 16
        cat, target, esc10 = cats[i % len(cats)]
        fold = i % 5 + 1
        fn = "%d-%d-A-%d.wav" % (fold, 100000 + i * 37, target)
        write(os.path.join(root, "ESC-50-master", "audio", fn), wav_bytes(rng, 1.0, 8000, 100.0 + 40 * target))
        rows.append([fn, fold, target, cat, str(esc10), str(100000 + i * 37), "A"])
    write_csv(os.path.join(root, "ESC-50-master", "meta", "esc50.csv"),
              ["filename", "fold", "target", "category", "esc10", "src_file", "take"], rows)
    write(os.path.join(root, "ESC-50-master", "README.md"), "ESC-50 (synthetic)\n")


@entry("tree", "free-spoken-digit-dataset/archive/v1.0.10.tar.gz", "free-spoken-digit-dataset/archive/v1.0.10.zip",
       "free-spoken-digit-dataset-1.0.10.zip", "free-spoken-digit-dataset-master.zip",
       "free-spoken-digit-dataset/archive/master.zip")
def _fsdd(root):
    rng = rng_for("fsdd")
    base = os.path.join(root, "free-spoken-digit-dataset-1.0.10", "recordings")
    for spk in ("george", "jackson", "lucas", "nicolas", "theo", "yweweler"):
        for d in range(10):
            for k in range(2):
                write(os.path.join(base, "%d_%s_%d.wav" % (d, spk, k)),
                      wav_bytes(rng, float(rng.uniform(0.3, 0.8)), 8000, 200.0 + 60 * d))
    write(os.path.join(root, "free-spoken-digit-dataset-1.0.10", "README.md"), "FSDD (synthetic)\n")


def _medmnist3d(path, n_classes):
    rng = rng_for(os.path.basename(path))
    arrays = {}
    for split, n in (("train", 48), ("val", 16), ("test", 16)):
        arrays[split + "_images"] = rng.integers(0, 256, size=(n, 28, 28, 28)).astype("uint8")
        arrays[split + "_labels"] = (np.arange(n) % n_classes).reshape(n, 1).astype("uint8")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrays)


for _name, _k in (("organmnist3d.npz", 11), ("nodulemnist3d.npz", 2), ("adrenalmnist3d.npz", 2),
                  ("fracturemnist3d.npz", 3), ("vesselmnist3d.npz", 2), ("synapsemnist3d.npz", 2)):
    CATALOGUE[_name] = ("file", (lambda k: (lambda path: _medmnist3d(path, k)))(_k))



def _div2k_tree(root, top, n):
    rng = rng_for(top)
    for i in range(n):
        size = (int(rng.integers(96, 160)), int(rng.integers(96, 160)))
        write(os.path.join(root, top, "%04d.png" % (i + 1)), image_bytes(rng, size, "PNG"))


@entry("tree", "DIV2K_train_HR.zip")
def _div2k_train(root):
    _div2k_tree(root, "DIV2K_train_HR", 24)


@entry("tree", "DIV2K_valid_HR.zip")
def _div2k_valid(root):
    _div2k_tree(root, "DIV2K_valid_HR", 8)


# ---- extra entries for programs_l ------------------------------------------


@entry("tree", "smsspamcollection.zip", "sms+spam+collection.zip")
def _sms_spam(root):
    rng = rng_for("sms-spam")
    lines = []
    for i in range(400):
        label = "spam" if i % 7 == 0 else "ham"
        lines.append("%s\t%s" % (label, sentence(rng, 3, 25)))
    write(os.path.join(root, "SMSSpamCollection"), "\n".join(lines) + "\n")
    write(os.path.join(root, "readme"), "SMS Spam Collection v.1 (synthetic)\n")


@entry("tree", "household_power_consumption.zip", "individual+household+electric+power+consumption.zip")
def _household_power(root):
    import datetime
    rng = rng_for("household-power")
    t0 = datetime.datetime(2006, 12, 16, 17, 24)
    lines = ["Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;Sub_metering_1;Sub_metering_2;Sub_metering_3"]
    for i in range(6000):
        when = t0 + datetime.timedelta(minutes=i)
        if rng.random() < 0.01:
            lines.append("%d/%d/%d;%s;?;?;?;?;?;?;" % (when.day, when.month, when.year, when.strftime("%H:%M:%S")))
            continue
        gap = max(0.08, 1.2 + 0.9 * np.sin(2 * np.pi * i / 1440.0) + rng.normal(0, 0.3))
        lines.append("%d/%d/%d;%s;%.3f;%.3f;%.2f;%.1f;%.3f;%.3f;%.1f" % (
            when.day, when.month, when.year, when.strftime("%H:%M:%S"), gap, abs(rng.normal(0.1, 0.05)),
            rng.normal(240, 3), gap * 4.2, float(rng.integers(0, 3)), float(rng.integers(0, 3)), float(rng.integers(0, 19))))
    write(os.path.join(root, "household_power_consumption.txt"), "\n".join(lines) + "\n")


@entry("file", "data_banknote_authentication.txt")
def _banknote(path):
    rng = rng_for("banknote")
    rows = []
    for i in range(1372):
        y = int(i % 2)
        c = -1.5 if y else 1.5
        rows.append(["%.5f" % rng.normal(c * 2, 2.5), "%.5f" % rng.normal(c * 3, 5), "%.5f" % rng.normal(1, 4),
                     "%.5f" % rng.normal(-1, 2), y])
    write_csv(path, None, rows)


# ---- added for programs_m: Yahoo-Finance style daily price history (Date,Open,High,Low,Close,Adj Close,Volume) ----


def _daily_prices_csv(path, n_days=1500):
    import datetime

    rng = rng_for(os.path.basename(path).lower())
    day = datetime.date(2015, 1, 2)
    price = float(rng.uniform(30, 200))
    rows = []
    while len(rows) < n_days:
        if day.weekday() < 5:
            open_ = price * (1 + rng.normal(0, 0.004))
            close = open_ * (1 + rng.normal(0.0004, 0.015))
            high = max(open_, close) * (1 + abs(rng.normal(0, 0.006)))
            low = min(open_, close) * (1 - abs(rng.normal(0, 0.006)))
            rows.append([day.isoformat(), "%.6f" % open_, "%.6f" % high, "%.6f" % low, "%.6f" % close,
                         "%.6f" % (close * 0.97), int(rng.integers(5 * 10 ** 6, 6 * 10 ** 7))])
            price = close
        day += datetime.timedelta(days=1)
    write_csv(path, ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"], rows)


for _ticker in ("AAPL", "MSFT", "GOOG", "GOOGL", "AMZN", "TSLA", "IBM", "SPY", "NFLX", "META", "BTC-USD", "ETH-USD"):
    CATALOGUE[_ticker.lower() + ".csv"] = ("file", _daily_prices_csv)


# ---- added for programs_o: TF's Stack Overflow questions, Oxford-IIIT Pets, Jigsaw toxic comments ----


@entry("tree", "stack_overflow_16k.tar.gz", "stack_overflow_16k.tgz")
def _stack_overflow(root):
    rng = rng_for("stack-overflow")
    hints = {"csharp": "linq nuget visual studio asp net wpf", "java": "jvm spring maven hibernate android gradle",
             "javascript": "dom react node npm jquery browser", "python": "pandas numpy pip django flask list"}
    for split, n in (("train", 30), ("test", 12)):
        for lang, extra in hints.items():
            for i in range(n):
                words = extra.split()
                text = "%s how do i use %s with %s in blank? %s" % (
                    sentence(rng, 6, 16), rng.choice(words), rng.choice(words), paragraph(rng, (1, 4)))
                write(os.path.join(root, split, lang, "%d.txt" % i), '"' + text + '"\n')
    write(os.path.join(root, "README.md"), "Stack Overflow questions (synthetic)\n")


_PET_BREEDS = [("Abyssinian", 1), ("Bengal", 1), ("Persian", 1), ("beagle", 2), ("boxer", 2), ("pug", 2)]


def _trimap_png(rng, size):
    from PIL import Image

    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    cy, cx, r = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w, rng.uniform(0.2, 0.35) * min(h, w)
    d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    arr = np.where(d < r, 1, np.where(d < r + 3, 3, 2)).astype("uint8")  # 1 pet, 2 background, 3 border
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


def _pet_head_xml(rng, name, size, species):
    """(changed, batch q) the real PASCAL-VOC layout of annotations/xmls/<name>.xml: image size and one
    head bounding box (pixel corners), object name cat/dog."""
    w, h = size
    bw, bh = int(rng.uniform(0.25, 0.6) * w), int(rng.uniform(0.25, 0.6) * h)
    x0, y0 = int(rng.integers(0, w - bw)), int(rng.integers(0, h - bh))
    return ("<annotation><folder>OXIIIT</folder><filename>%s.jpg</filename><source><database>OXFORD-IIIT Pet Dataset"
            "</database><annotation>OXIIIT</annotation><image>flickr</image></source><size><width>%d</width>"
            "<height>%d</height><depth>3</depth></size><segmented>0</segmented><object><name>%s</name>"
            "<pose>Frontal</pose><truncated>0</truncated><occluded>0</occluded><bndbox><xmin>%d</xmin>"
            "<ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox><difficult>0</difficult></object></annotation>"
            % (name, w, h, "cat" if species == 1 else "dog", x0 + 1, y0 + 1, x0 + bw, y0 + bh))


@entry("tree", "images.tar.gz")
def _oxford_pet_images(root):
    pool = image_pool("oxford-pets", 12)
    for k, (breed, _) in enumerate(_PET_BREEDS):
        for i in range(1, 7):
            write(os.path.join(root, "images", "%s_%d.jpg" % (breed, i)), pool[(i + k) % len(pool)])
    write(os.path.join(root, "images", "Abyssinian_100.mat"), b"MATLAB 5.0 MAT-file (synthetic)")


@entry("tree", "annotations.tar.gz")
def _oxford_pet_annotations(root):
    from PIL import Image

    rng = rng_for("oxford-pets-annotations")
    xml_rng = rng_for("oxford-pets-xmls")
    lines = ["#Image CLASS-ID SPECIES BREED ID", "#ID: 1:37 Class ids", "#SPECIES: 1:Cat 2:Dog",
             "#BREED ID: 1-25:Cat 1:12:Dog"]
    for k, (breed, species) in enumerate(_PET_BREEDS):
        for i in range(1, 7):
            name = "%s_%d" % (breed, i)
            size = Image.open(io.BytesIO(image_pool("oxford-pets", 12)[(i + k) % 12])).size
            write(os.path.join(root, "annotations", "trimaps", name + ".png"), _trimap_png(rng, size))
            write(os.path.join(root, "annotations", "trimaps", "._" + name + ".png"), b"\x00\x05\x16\x07")
            write(os.path.join(root, "annotations", "xmls", name + ".xml"), _pet_head_xml(xml_rng, name, size, species))
            lines.append("%s %d %d %d" % (name, k + 1, species, k + 1))
    write(os.path.join(root, "annotations", "list.txt"), "\n".join(lines) + "\n")
    body = [ln for ln in lines if not ln.startswith("#")]
    write(os.path.join(root, "annotations", "trainval.txt"), "\n".join(body[::2]) + "\n")
    write(os.path.join(root, "annotations", "test.txt"), "\n".join(body[1::2]) + "\n")
    write(os.path.join(root, "annotations", "README"), "Oxford-IIIT Pet annotations (synthetic)\n")


_TOXIC_LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def _comment(rng):
    text = paragraph(rng, (1, 5))
    if rng.random() < 0.3:
        text = text.replace(". ", ".\n\n", 1)
    if rng.random() < 0.2:
        text = '"' + text + '" == ' + sentence(rng, 2, 5) + " =="
    return text


@entry("file", "jigsaw-toxic-comment-classification-challenge/train.csv")
def _jigsaw_train(path):
    rng = rng_for("jigsaw-train")
    rows = []
    for _ in range(400):
        toxic = int(rng.random() < 0.15)
        labels = [toxic] + [int(toxic and rng.random() < p) for p in (0.1, 0.5, 0.05, 0.5, 0.1)]
        rows.append(["%016x" % int(rng.integers(0, 2 ** 62)), _comment(rng)] + labels)
    write_csv(path, ["id", "comment_text"] + _TOXIC_LABELS, rows)


@entry("file", "jigsaw-toxic-comment-classification-challenge/test.csv")
def _jigsaw_test(path):
    rng = rng_for("jigsaw-test")
    write_csv(path, ["id", "comment_text"], [["%016x" % int(rng.integers(0, 2 ** 62)), _comment(rng)] for _ in range(150)])


@entry("file", "jigsaw-toxic-comment-classification-challenge/sample_submission.csv")
def _jigsaw_sub(path):
    rng = rng_for("jigsaw-test")
    rows = []
    for _ in range(150):  # same ids as test.csv
        rows.append(["%016x" % int(rng.integers(0, 2 ** 62))] + [0.5] * 6)
        _comment(rng)
    write_csv(path, ["id"] + _TOXIC_LABELS, rows)


# ---- added for programs_n: bank marketing, speech commands, Stack Overflow questions, stroke, seeds ----


def _bank_rows(rng, n):
    jobs = ["admin.", "blue-collar", "technician", "services", "management", "retired", "self-employed",
            "entrepreneur", "unemployed", "housemaid", "student", "unknown"]
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    rows = []
    for _ in range(n):
        y = "yes" if rng.random() < 0.13 else "no"
        pdays = -1 if rng.random() < 0.8 else int(rng.integers(1, 400))
        rows.append([int(rng.integers(18, 95)), str(rng.choice(jobs)), str(rng.choice(["married", "single", "divorced"])),
                     str(rng.choice(["primary", "secondary", "tertiary", "unknown"])), str(rng.choice(["no", "no", "yes"])),
                     int(rng.normal(1300, 3000)), str(rng.choice(["yes", "no"])), str(rng.choice(["no", "no", "yes"])),
                     str(rng.choice(["cellular", "telephone", "unknown"])), int(rng.integers(1, 32)), str(rng.choice(months)),
                     int(rng.integers(0, 1500) * (1.6 if y == "yes" else 1)), int(rng.integers(1, 12)), pdays,
                     0 if pdays < 0 else int(rng.integers(1, 8)),
                     "unknown" if pdays < 0 else str(rng.choice(["failure", "other", "success"])), y])
    return rows


def _bank_csv(path, n, key):
    cols = ["age", "job", "marital", "education", "default", "balance", "housing", "loan", "contact", "day",
            "month", "duration", "campaign", "pdays", "previous", "poutcome", "y"]
    rows = _bank_rows(rng_for(key), n)
    with open(path, "w", encoding="utf-8") as f:  # UCI layout: ';'-separated, strings quoted
        f.write(";".join('"%s"' % c for c in cols) + "\n")
        for r in rows:
            f.write(";".join(('"%s"' % v) if isinstance(v, str) else str(v) for v in r) + "\n")


@entry("tree", "bank.zip", "bank+marketing.zip")
def _bank_marketing(root):
    _bank_csv(os.path.join(root, "bank-full.csv"), 1200, "bank-full")
    _bank_csv(os.path.join(root, "bank.csv"), 300, "bank")
    write(os.path.join(root, "bank-names.txt"), "Bank marketing (synthetic)\n")


@entry("file", "bank-full.csv", "bank.csv")
def _bank_file(path):
    _bank_csv(path, 1200, os.path.basename(path))


@entry("tree", "speech_commands_v0.02.tar.gz", "speech_commands_v0.01.tar.gz")
def _speech_commands(root):
    """Speech Commands layout: <word>/<speaker>_nohash_<n>.wav (1 s, 16 kHz) at the top of the archive,
    _background_noise_/*.wav (longer), validation_list.txt / testing_list.txt."""
    rng = rng_for("speech-commands")
    words = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
             "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow")
    val, test = [], []
    for k, word in enumerate(words):
        for i in range(8):
            secs = 1.0 if i % 4 else float(rng.uniform(0.6, 0.95))  # a few clips are shorter than one second
            rel = "%s/%08x_nohash_%d.wav" % (word, int(rng.integers(0, 2 ** 31)), i % 2)
            write(os.path.join(root, rel), wav_bytes(rng, secs, 16000, 180.0 + 45 * k))
            if i == 6:
                val.append(rel)
            elif i == 7:
                test.append(rel)
    for name in ("doing_the_dishes", "running_tap", "white_noise", "pink_noise"):
        write(os.path.join(root, "_background_noise_", name + ".wav"), wav_bytes(rng, 3.0, 16000))
    write(os.path.join(root, "validation_list.txt"), "\n".join(val) + "\n")
    write(os.path.join(root, "testing_list.txt"), "\n".join(test) + "\n")
    write(os.path.join(root, "README.md"), "Speech Commands (synthetic)\n")
    write(os.path.join(root, "LICENSE"), "CC-BY-4.0\n")


@entry("file", "healthcare-dataset-stroke-data.csv")
def _stroke(path):
    rng = rng_for("stroke")
    rows = []
    for i in range(1500):
        age = float(rng.uniform(0.1, 82))
        stroke = int(rng.random() < (0.01 + 0.08 * (age > 60)))
        rows.append([int(rng.integers(1, 72000)), str(rng.choice(["Male", "Female", "Female", "Other"] if i == 7 else ["Male", "Female"])),
                     ("%.0f" % age) if age > 2 else ("%.2f" % age), int(rng.random() < 0.1), int(rng.random() < 0.05),
                     str(rng.choice(["Yes", "No"])), str(rng.choice(["Private", "Self-employed", "Govt_job", "children", "Never_worked"])),
                     str(rng.choice(["Urban", "Rural"])), "%.2f" % rng.uniform(55, 272),
                     "N/A" if rng.random() < 0.04 else "%.1f" % rng.uniform(10, 60),
                     str(rng.choice(["formerly smoked", "never smoked", "smokes", "Unknown"])), stroke])
    write_csv(path, ["id", "gender", "age", "hypertension", "heart_disease", "ever_married", "work_type",
                     "Residence_type", "avg_glucose_level", "bmi", "smoking_status", "stroke"], rows)


@entry("file", "seeds_dataset.txt")
def _seeds(path):
    """UCI seeds: 7 kernel measurements and the variety (1 Kama, 2 Rosa, 3 Canadian), tab separated; the real
    file has a few doubled tabs, so readers split on any whitespace."""
    rng = rng_for("seeds")
    centres = {1: (14.3, 14.3, 0.880, 5.51, 3.24, 2.67, 5.09), 2: (18.3, 16.1, 0.884, 6.15, 3.68, 3.64, 6.02),
               3: (11.9, 13.2, 0.849, 5.23, 2.85, 4.79, 5.12)}
    lines = []
    for i in range(210):
        c = i // 70 + 1
        vals = [v * (1 + rng.normal(0, 0.04)) for v in centres[c]]
        sep = "\t\t" if i % 37 == 5 else "\t"
        lines.append(sep.join(["%.4g" % v for v in vals] + [str(c)]))
    write(path, "\n".join(lines) + "\n")



# ---- added for programs_p: monthly univariate series (Brownlee's datasets repo), UCI occupancy, wind turbine SCADA ----


def _monthly_series(path, column, start_year, n, level, trend, season, noise, key, fmt="%d"):
    rng = rng_for(key)
    rows = []
    for i in range(n):
        y, m = start_year + i // 12, i % 12 + 1
        v = level + trend * i + season * np.sin(2 * np.pi * (m - 3) / 12) + rng.normal(0, noise)
        rows.append(["%d-%02d" % (y, m), fmt % max(v, 0)])
    write_csv(path, ["Month", column], rows)


@entry("file", "monthly-sunspots.csv")
def _sunspots(path):
    rng = rng_for("sunspots")
    rows = []
    for i in range(2820):
        y, m = 1749 + i // 12, i % 12 + 1
        v = 60 + 55 * np.sin(2 * np.pi * i / 132.0) + rng.normal(0, 15)
        rows.append(["%d-%02d" % (y, m), "%.1f" % max(0.0, v)])
    write_csv(path, ["Month", "Sunspots"], rows)


@entry("file", "Sunspots.csv", "sunspots/Sunspots.csv")
def _sunspots_kaggle(path):
    import datetime
    rng = rng_for("sunspots-kaggle")
    rows = []
    for i in range(3265):
        y, m = 1749 + i // 12, i % 12 + 1
        last = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)).isoformat()
        v = 60 + 55 * np.sin(2 * np.pi * i / 132.0) + rng.normal(0, 15)
        rows.append([i, last, "%.1f" % max(0.0, v)])
    write_csv(path, ["", "Date", "Monthly Mean Total Sunspot Number"], rows)


@entry("file", "monthly-car-sales.csv")
def _car_sales(path):
    _monthly_series(path, "Sales", 1960, 108, 10000, 90, 3500, 900, "car-sales")


@entry("file", "shampoo-sales.csv", "shampoo.csv")
def _shampoo(path):
    rng = rng_for("shampoo")
    rows = [["%d-%02d" % (i // 12 + 1, i % 12 + 1), "%.1f" % (120 + 12 * i + rng.normal(0, 40))] for i in range(36)]
    write_csv(path, ["Month", "Sales"], rows)


@entry("file", "daily-total-female-births.csv")
def _births(path):
    import datetime
    rng = rng_for("births")
    d0 = datetime.date(1959, 1, 1)
    write_csv(path, ["Date", "Births"], [[(d0 + datetime.timedelta(days=i)).isoformat(), int(rng.normal(42, 7))] for i in range(365)])


def _occupancy_rows(rng, n, t0, start_idx):
    import datetime
    rows = []
    for i in range(n):
        when = t0 + datetime.timedelta(minutes=i)
        occ = int(8 <= when.hour < 18 and when.weekday() < 5 and rng.random() > 0.1)
        light = (450 + rng.normal(0, 40)) if occ else max(0.0, rng.normal(5, 10))
        co2 = 420 + occ * 500 + rng.normal(0, 40)
        temp = 20.5 + occ * 1.2 + rng.normal(0, 0.3)
        hum = 25 + 3 * np.sin(i / 600.0) + rng.normal(0, 0.5)
        rows.append([str(start_idx + i), when.strftime("%Y-%m-%d %H:%M:%S"), "%.4g" % temp, "%.5g" % hum,
                     "%.4g" % max(light, 0.0), "%.5g" % co2, "%.6g" % (hum * 0.00016), str(occ)])
    return rows


def _occupancy_file(path, n, t0, start_idx):
    header = '"date","Temperature","Humidity","Light","CO2","HumidityRatio","Occupancy"'
    rows = _occupancy_rows(rng_for(os.path.basename(path)), n, t0, start_idx)
    lines = [header] + ['"%s","%s",%s' % (r[0], r[1], ",".join(r[2:])) for r in rows]
    write(path, "\n".join(lines) + "\n")


@entry("tree", "occupancy_data.zip", "occupancy+detection.zip", "occupancy-detection.zip")
def _occupancy(root):
    import datetime
    _occupancy_file(os.path.join(root, "datatraining.txt"), 3000, datetime.datetime(2015, 2, 4, 17, 51), 1)
    _occupancy_file(os.path.join(root, "datatest.txt"), 900, datetime.datetime(2015, 2, 2, 14, 19), 140)
    _occupancy_file(os.path.join(root, "datatest2.txt"), 1500, datetime.datetime(2015, 2, 11, 14, 48), 1)


@entry("file", "datatraining.txt", "datatest.txt", "datatest2.txt")
def _occupancy_single(path):
    import datetime
    n = 3000 if os.path.basename(path).lower() == "datatraining.txt" else 900
    _occupancy_file(path, n, datetime.datetime(2015, 2, 4, 17, 51), 1)


@entry("file", "wind-turbine-scada-dataset/T1.csv", "T1.csv")
def _wind_turbine(path):
    import datetime
    rng = rng_for("wind-t1")
    t0 = datetime.datetime(2018, 1, 1)
    rows = []
    for i in range(5000):
        when = t0 + datetime.timedelta(minutes=10 * i)
        ws = max(0.0, 7 + 3 * np.sin(2 * np.pi * i / 144.0) + 2 * np.sin(i / 900.0) + rng.normal(0, 1))
        theo = float(np.clip(3600 / (1 + np.exp(-(ws - 9) * 0.9)), 0, 3600)) if ws > 3 else 0.0
        active = max(-2.0, theo * rng.uniform(0.85, 1.02) + rng.normal(0, 30))
        rows.append([when.strftime("%d %m %Y %H:%M"), "%.6f" % active, "%.6f" % ws, "%.6f" % theo,
                     "%.6f" % ((200 + 60 * np.sin(i / 500.0) + rng.normal(0, 20)) % 360)])
    write_csv(path, ["Date/Time", "LV ActivePower (kW)", "Wind Speed (m/s)", "Theoretical_Power_Curve (KWh)",
                     "Wind Direction (°)"], rows)


# (added, batch q) GMB entity-annotated corpus (Kaggle "entity-annotated-corpus"), SNLI 1.0, CMUdict, and the
# credit-card fraud table, in their published layouts.
_NER_ENTITIES = {
    "geo": ["London", "Iraq", "Baghdad", "Paris", "Britain", "Iran", "Afghanistan", "New York", "Gaza Strip"],
    "per": ["Bush", "Putin", "Ban Ki-moon", "John Smith", "Ahmadinejad", "Hugo Chavez"],
    "org": ["United Nations", "Taleban", "European Union", "Hamas", "Reuters", "NATO"],
    "gpe": ["Iraqi", "American", "British", "Palestinian", "Israeli", "French"],
    "tim": ["Monday", "2005", "last week", "Sunday", "January"],
    "art": ["Nobel Prize"], "eve": ["World Cup"], "nat": ["Katrina"],
}
_POS = ["DT", "NN", "NNS", "VBD", "IN", "JJ", "RB", "VBN", "CC", "PRP", "TO", "VB", "VBZ"]


@entry("file", "entity-annotated-corpus/ner_dataset.csv", "ner_dataset.csv")
def _gmb_ner(path):
    """Columns `Sentence #` (only on a sentence's first word), Word, POS, Tag (IOB); latin-1 encoded."""
    rng = rng_for("gmb-ner")
    kinds = list(_NER_ENTITIES)
    weights = np.array([9, 5, 5, 4, 4, 0.5, 0.5, 0.5])
    weights = weights / weights.sum()
    rows = []
    for sid in range(1, 401):
        tokens = []
        for _ in range(int(rng.integers(2, 5))):
            tokens += [(w, str(rng.choice(_POS)), "O") for w in rng.choice(WORDS, size=int(rng.integers(2, 6)))]
            if rng.random() < 0.8:
                kind = str(rng.choice(kinds, p=weights))
                ent = str(rng.choice(_NER_ENTITIES[kind])).split()
                pos = "NNP" if kind not in ("gpe", "tim") else ("JJ" if kind == "gpe" else "CD")
                tokens += [(w, pos, ("B-" if j == 0 else "I-") + kind) for j, w in enumerate(ent)]
        tokens.append((".", ".", "O"))
        for j, (w, pos, tag) in enumerate(tokens):
            rows.append(["Sentence: %d" % sid if j == 0 else "", w, pos, tag])
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="", encoding="latin-1") as f:
        w = csv.writer(f)
        w.writerow(["Sentence #", "Word", "POS", "Tag"])
        w.writerows(rows)


_SNLI_LABELS = ["entailment", "neutral", "contradiction"]


def _binary_parse(sent):
    toks = sent.replace(".", " .").split()
    return "( " + " ".join(toks) + " )"


def _snli_rows(rng, n, split):
    rows = []
    for i in range(n):
        s1 = sentence(rng, 5, 14)
        label = _SNLI_LABELS[i % 3] if rng.random() > 0.02 else "-"
        if label == "entailment":
            s2 = " ".join(s1.rstrip(".!?").split()[: max(3, len(s1.split()) // 2)]) + "."
        else:
            s2 = sentence(rng, 3, 10)
        votes = [label if label != "-" else str(rng.choice(_SNLI_LABELS)) for _ in range(5)]
        rows.append({"annotator_labels": votes, "captionID": "%d.jpg#%d" % (3416050480 + i, i % 5),
                     "gold_label": label, "pairID": "%d.jpg#%dr1%s" % (3416050480 + i, i % 5, label[:1] or "x"),
                     "sentence1": s1, "sentence1_binary_parse": _binary_parse(s1),
                     "sentence1_parse": "(ROOT (S " + s1 + "))", "sentence2": s2,
                     "sentence2_binary_parse": _binary_parse(s2), "sentence2_parse": "(ROOT (S " + s2 + "))"})
    return rows


@entry("tree", "snli_1.0.zip")
def _snli(root):
    """nlp.stanford.edu/projects/snli/snli_1.0.zip: snli_1.0/snli_1.0_{train,dev,test}.{jsonl,txt} (+ __MACOSX)."""
    rng = rng_for("snli")
    base = os.path.join(root, "snli_1.0")
    txt_cols = ["gold_label", "sentence1_binary_parse", "sentence2_binary_parse", "sentence1_parse", "sentence2_parse",
                "sentence1", "sentence2", "captionID", "pairID", "label1", "label2", "label3", "label4", "label5"]
    for split, n in (("train", 600), ("dev", 90), ("test", 90)):
        rows = _snli_rows(rng, n, split)
        write(os.path.join(base, "snli_1.0_%s.jsonl" % split), "".join(json.dumps(r) + "\n" for r in rows))
        lines = ["\t".join(txt_cols)]
        for r in rows:
            lines.append("\t".join([r[c] for c in txt_cols[:9]] + r["annotator_labels"]))
        write(os.path.join(base, "snli_1.0_%s.txt" % split), "\n".join(lines) + "\n")
    write(os.path.join(base, "README.txt"), "Stanford Natural Language Inference corpus (synthetic)\n")
    write(os.path.join(root, "__MACOSX", "snli_1.0", "._README.txt"), b"\x00\x05\x16\x07")


_G2P = {"a": ["AE1"], "b": ["B"], "c": ["K"], "d": ["D"], "e": ["EH1"], "f": ["F"], "g": ["G"], "h": ["HH"],
        "i": ["IH1"], "j": ["JH"], "k": ["K"], "l": ["L"], "m": ["M"], "n": ["N"], "o": ["AA1"], "p": ["P"],
        "q": ["K", "W"], "r": ["R"], "s": ["S"], "t": ["T"], "u": ["AH1"], "v": ["V"], "w": ["W"], "x": ["K", "S"],
        "y": ["Y"], "z": ["Z"]}


@entry("file", "cmudict.dict", "cmudict-0.7b", "cmudict.txt")
def _cmudict(path):
    """cmusphinx/cmudict cmudict.dict: `word PH ON EMES`, alternates as `word(2)`, some `# comment` tails;
    the older cmudict-0.7b layout (upper case, two spaces, `;;;` header) for that name."""
    rng = rng_for("cmudict")
    old = os.path.basename(path).lower().startswith("cmudict-0.7")
    words = set(WORDS)
    letters = "abcdefghijklmnopqrstuvwxyz"
    while len(words) < 1500:
        words.add("".join(rng.choice(list(letters), size=int(rng.integers(3, 10)))))
    lines = [";;; # CMUdict  --  Major Version: 0.07 (synthetic)", ";;; "] if old else []
    for w in sorted(words):
        phones = [p for ch in w for p in _G2P[ch]]
        variants = [phones]
        if rng.random() < 0.08:
            variants.append([("AH0" if p[-1] == "1" else p) for p in phones])
        for k, ph in enumerate(variants):
            head = w if k == 0 else "%s(%d)" % (w, k + 1)
            if old:
                lines.append("%s  %s" % (head.upper(), " ".join(ph)))
            else:
                tail = " # place, foreign" if rng.random() < 0.01 else ""
                lines.append("%s %s%s" % (head, " ".join(ph), tail))
    write(path, "\n".join(lines) + "\n")


@entry("file", "creditcard.csv", "creditcardfraud/creditcard.csv")
def _creditcard(path):
    """Kaggle mlg-ulb creditcard.csv: "Time","V1".."V28","Amount","Class" (Class quoted), time-ordered."""
    rng = rng_for("creditcard")
    n = 3000
    t = np.sort(rng.integers(0, 172792, size=n))
    fraud = rng.random(n) < 0.012
    fraud[[100, 1500, 2900]] = True
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join('"%s"' % c for c in ["Time"] + ["V%d" % i for i in range(1, 29)] + ["Amount", "Class"]) + "\n")
        for i in range(n):
            v = rng.normal(0, 1.5, size=28) + (rng.normal(-2.0, 1.0, size=28) if fraud[i] else 0.0)
            amount = round(float(rng.lognormal(3.0, 1.4)), 2)
            f.write("%d,%s,%s,\"%d\"\n" % (t[i], ",".join(repr(float(x)) for x in v), amount, int(fraud[i])))


def archive_kind(name):
    n = name.lower()
    if n.endswith(".zip"):
        return "zip"
    if n.endswith((".tar.gz", ".tgz")):
        return "w:gz"
    if n.endswith(".tar.bz2"):
        return "w:bz2"
    if n.endswith(".tar"):
        return "w"
    return None


def pack_tree(src_dir, dest, kind=None, only=None):
    kind = kind or archive_kind(dest)
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    tops = sorted(only or os.listdir(src_dir))
    if kind == "zip":
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z:
            for top in tops:
                p = os.path.join(src_dir, top)
                if os.path.isfile(p):
                    z.write(p, top)
                for dirpath, _, files in os.walk(p):
                    for fn in sorted(files):
                        full = os.path.join(dirpath, fn)
                        z.write(full, os.path.relpath(full, src_dir))
    else:
        with tarfile.open(dest, kind) as t:
            for top in tops:
                t.add(os.path.join(src_dir, top), arcname=top)


def lookup(path_or_url):
    """Catalogue key for a URL / path, or None."""
    s = str(path_or_url).split("?")[0].rstrip("/").replace("\\", "/")
    low = s.lower()
    for key in CATALOGUE:
        if "/" in key and low.endswith("/" + key) or low == key:
            return key
    base = low.rsplit("/", 1)[-1]
    if base in CATALOGUE:
        return base
    return None


def materialize(key, dest, name_hint=None):
    """Write catalogue entry `key` at `dest` (a file path)."""
    kind, fn = CATALOGUE[key]
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    if kind == "file":
        fn(dest)
        return dest
    fmt = archive_kind(name_hint or key) or archive_kind(key)
    stage = tempfile.mkdtemp(prefix="stage_")
    try:
        fn(stage)
        if fmt is None:  # plain name: give the tree as a directory
            shutil.copytree(stage, dest, dirs_exist_ok=True)
        else:
            pack_tree(stage, dest, fmt)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return dest


# --------------------------------------------------------------------------
# keras.datasets replacements
# --------------------------------------------------------------------------


def _balanced_labels(rng, n, k):
    y = np.arange(n) % k
    rng.shuffle(y)
    return y


def _images(name, shape, k, label_shape=()):
    def load_data(*args, **kwargs):
        rng = rng_for(name)
        out = []
        # cifar100.load_data(label_mode="coarse") has the 20 superclasses
        mode = kwargs.get("label_mode", args[0] if args else "fine")
        n_classes = 20 if name == "cifar100" and mode == "coarse" else k
        for n in (N_TRAIN, N_TEST):
            x = rng.integers(0, 256, size=(n,) + shape).astype("uint8")
            y = _balanced_labels(rng, n, n_classes).astype("uint8" if name != "cifar100" else "int64").reshape((n,) + label_shape)
            out.append((x, y))
        return tuple(out)

    return load_data


def _word_index(n_words=12000):
    idx = {}
    for i, w in enumerate(sorted(set(WORDS))):
        idx[w] = i + 1
    r = len(idx) + 1
    while len(idx) < n_words:
        idx["w%d" % r] = r
        r += 1
    return idx


def _sequences(name, k, total_words=12000):
    def load_data(path=None, num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
                  index_from=3, test_split=0.2, **kwargs):
        rng = rng_for(name)
        out = []
        for n in (N_TRAIN, N_TEST):
            xs = []
            for _ in range(n):
                length = int(rng.integers(20, 320))
                ranks = np.minimum(rng.zipf(1.3, size=length), total_words - 1)
                seq = [w + index_from for w in ranks.tolist()]
                if start_char is not None:
                    seq = [start_char] + seq
                if maxlen:
                    seq = seq[:maxlen]
                if num_words or skip_top:
                    nw = num_words or (total_words + index_from)
                    seq = [w if skip_top <= w < nw else oov_char for w in seq]
                xs.append(seq)
            x = np.empty(n, dtype=object)
            x[:] = xs
            y = _balanced_labels(rng, n, k).astype("int64")
            out.append((x, y))
        return tuple(out)

    def get_word_index(path=None):
        return _word_index(total_words)

    return load_data, get_word_index


def _regression(name, d):
    def load_data(*args, **kwargs):
        rng = rng_for(name)
        out = []
        for n in (N_TRAIN + 8, N_TEST):
            x = np.abs(rng.normal(5, 3, size=(n, d)))
            y = x[:, :3].sum(axis=1) + rng.normal(0, 1, size=n)
            out.append((x.astype("float64"), y.astype("float64")))
        return tuple(out)

    return load_data


imdb_load, imdb_index = _sequences("imdb", 2)
reuters_load, reuters_index = _sequences("reuters", 46, 30000)

DATASETS = {
    "mnist": {"load_data": _images("mnist", (28, 28), 10)},
    "fashion_mnist": {"load_data": _images("fashion_mnist", (28, 28), 10)},
    "cifar10": {"load_data": _images("cifar10", (32, 32, 3), 10, (1,))},
    "cifar100": {"load_data": _images("cifar100", (32, 32, 3), 100, (1,))},
    "imdb": {"load_data": imdb_load, "get_word_index": imdb_index},
    "reuters": {"load_data": reuters_load, "get_word_index": reuters_index,
                "get_label_names": lambda: tuple("label_%d" % i for i in range(46))},
    "boston_housing": {"load_data": _regression("boston", 13)},
    "california_housing": {"load_data": _regression("california", 8)},
}


def fetch_california_housing(data_home=None, download_if_missing=True, return_X_y=False, as_frame=False, n_retries=3, delay=1.0):
    from sklearn.utils import Bunch

    rng = rng_for("sk-california")
    n = 600
    names = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]
    X = np.column_stack([rng.gamma(3, 1.3, n), rng.integers(1, 53, n).astype(float), rng.normal(5.4, 1.5, n),
                         rng.normal(1.1, 0.1, n), rng.gamma(2, 700, n), rng.normal(3, 0.8, n),
                         rng.uniform(32.5, 42, n), rng.uniform(-124.3, -114.3, n)])
    y = np.clip(0.4 * X[:, 0] + rng.normal(0, 0.5, n), 0.15, 5.0)
    frame = None
    if as_frame:
        import pandas as pd

        Xf = pd.DataFrame(X, columns=names)
        yf = pd.Series(y, name="MedHouseVal")
        frame = pd.concat([Xf, yf], axis=1)
        X, y = Xf, yf
    if return_X_y:
        return X, y
    return Bunch(data=X, target=y, frame=frame, target_names=["MedHouseVal"], feature_names=names,
                 DESCR="California housing dataset (synthetic stand-in).")


# --------------------------------------------------------------------------
# directory / array dataset utilities (need TF in Keras 3)
# --------------------------------------------------------------------------

IMAGE_EXTS = (".jpeg", ".jpg", ".png", ".bmp", ".gif")


def _index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links=False):
    directory = str(directory)
    if not os.path.isdir(directory):
        raise ValueError("The `directory` argument should point to a directory. Received: directory=%s" % directory)
    if labels == "inferred" or labels is None:
        subdirs = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        if labels is None:
            subdirs = None
        if class_names is not None:
            subdirs = list(class_names)
    else:
        subdirs = None
    paths, idx = [], []
    if subdirs is None:
        for dirpath, _, files in os.walk(directory, followlinks=follow_links):
            for fn in sorted(files):
                if fn.lower().endswith(formats):
                    paths.append(os.path.join(dirpath, fn))
                    idx.append(0)
    else:
        for k, sd in enumerate(subdirs):
            for dirpath, _, files in sorted(os.walk(os.path.join(directory, sd), followlinks=follow_links)):
                for fn in sorted(files):
                    if fn.lower().endswith(formats):
                        paths.append(os.path.join(dirpath, fn))
                        idx.append(k)
    if labels not in ("inferred", None):
        idx = list(labels)
    idx = np.asarray(idx, dtype="int32")
    if shuffle:
        order = np.random.default_rng(seed if seed is not None else np.random.randint(1e6)).permutation(len(paths))
        paths = [paths[i] for i in order]
        idx = idx[order]
    return paths, idx, (subdirs or [])


def _split(paths, idx, validation_split, subset):
    if not validation_split:
        return paths, idx
    n_val = int(validation_split * len(paths))
    if subset == "training":
        return paths[: len(paths) - n_val], idx[: len(paths) - n_val]
    return paths[len(paths) - n_val:], idx[len(paths) - n_val:]


def _labels_out(idx, label_mode, n_classes):
    if label_mode == "int":
        return idx.astype("int32")
    if label_mode == "binary":
        return idx.astype("float32").reshape(-1, 1)
    if label_mode == "categorical":
        return np.eye(n_classes, dtype="float32")[idx]
    return None


def _load_image(path, image_size, color_mode, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio):
    from PIL import Image

    img = Image.open(path)
    img = img.convert({"rgb": "RGB", "grayscale": "L", "rgba": "RGBA"}[color_mode])
    resample = {"nearest": Image.NEAREST, "bicubic": Image.BICUBIC, "lanczos3": Image.LANCZOS, "lanczos5": Image.LANCZOS,
                "area": Image.BOX}.get(interpolation, Image.BILINEAR)
    img = img.resize((image_size[1], image_size[0]), resample)
    arr = np.asarray(img, dtype="float32")
    if arr.ndim == 2:
        arr = arr[..., None]
    return arr


def make_image_dataset_from_directory(Dataset):
    def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, color_mode="rgb",
                                     batch_size=32, image_size=(256, 256), shuffle=True, seed=None, validation_split=None,
                                     subset=None, interpolation="bilinear", follow_links=False, crop_to_aspect_ratio=False,
                                     pad_to_aspect_ratio=False, data_format=None, format="tf", verbose=True):
        if labels is None:
            label_mode = None
        paths, idx, names = _index_directory(directory, labels, IMAGE_EXTS, class_names, shuffle, seed, follow_links)
        if verbose:
            print("Found %d files belonging to %d classes." % (len(paths), len(names)))
        size = tuple(image_size)

        def build(sub):
            p, i = _split(paths, idx, validation_split, sub)
            if verbose and validation_split:
                print("Using %d files for %s." % (len(p), sub))
            lab = _labels_out(i, label_mode, len(names))

            def it():
                for j, path in enumerate(p):
                    img = _load_image(path, size, color_mode, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio)
                    yield img if lab is None else (img, lab[j])

            ds = Dataset(it, len(p))
            if batch_size is not None:
                ds = ds.batch(batch_size)
            ds.class_names = list(names)
            ds.file_paths = list(p)
            return ds

        if subset == "both":
            return build("training"), build("validation")
        return build(subset)

    return image_dataset_from_directory


def make_text_dataset_from_directory(Dataset, string_array):
    def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                    max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                    follow_links=False, format="tf", verbose=True):
        if labels is None:
            label_mode = None
        paths, idx, names = _index_directory(directory, labels, (".txt",), class_names, shuffle, seed, follow_links)
        if verbose:
            print("Found %d files belonging to %d classes." % (len(paths), len(names)))

        def build(sub):
            p, i = _split(paths, idx, validation_split, sub)
            if verbose and validation_split:
                print("Using %d files for %s." % (len(p), sub))
            lab = _labels_out(i, label_mode, len(names))

            def it():
                for j, path in enumerate(p):
                    with open(path, "rb") as f:
                        txt = f.read()
                    if max_length is not None:
                        txt = txt[:max_length]
                    t = string_array(np.array(txt, dtype=object))
                    yield t if lab is None else (t, lab[j])

            ds = Dataset(it, len(p))
            if batch_size is not None:
                ds = ds.batch(batch_size)
            ds.class_names = list(names)
            ds.file_paths = list(p)
            return ds

        if subset == "both":
            return build("training"), build("validation")
        return build(subset)

    return text_dataset_from_directory


def make_timeseries_dataset_from_array(Dataset):
    def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1, batch_size=128,
                                      shuffle=False, seed=None, start_index=None, end_index=None):
        data = np.asarray(data)
        if start_index is None:
            start_index = 0
        if end_index is None:
            end_index = len(data)
        if targets is not None:
            targets = np.asarray(targets)
        num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
        if targets is not None:
            num_seqs = min(num_seqs, len(targets))
        start_positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
        if shuffle:
            np.random.default_rng(seed if seed is not None else np.random.randint(1e6)).shuffle(start_positions)
        span = sequence_length * sampling_rate
        window = data[start_index:end_index]
        twin = targets[start_index:end_index] if targets is not None else None

        def it():
            for pos in start_positions:
                seq = window[pos:pos + span:sampling_rate]
                yield seq if twin is None else (seq, twin[pos])

        ds = Dataset(it, len(start_positions))
        if batch_size is not None:
            ds = ds.batch(batch_size)
        return ds

    return timeseries_dataset_from_array


def wav_floats(raw):
    """A WAV file's bytes as (sample rate, float32 samples of shape (samples, channels)), as tf.audio.decode_wav
    gives them (integer samples scaled to [-1, 1])."""
    from scipy.io import wavfile

    rate, arr = wavfile.read(io.BytesIO(raw))
    arr = np.asarray(arr)
    if arr.dtype.kind in "iu":
        info = np.iinfo(arr.dtype)
        arr = arr.astype("float32") / float(max(abs(info.min), info.max))
    arr = arr.astype("float32")
    return rate, arr[:, None] if arr.ndim == 1 else arr


def _load_wav(path):
    with open(path, "rb") as f:
        return wav_floats(f.read())[1]


def make_audio_dataset_from_directory(Dataset):
    """keras.utils.audio_dataset_from_directory on the NumPy dataset: (batch, samples, channels) float32,
    cut/padded to `output_sequence_length`, else zero-padded to the longest clip of each batch."""

    def audio_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                     sampling_rate=None, output_sequence_length=None, ragged=False, shuffle=True,
                                     seed=None, validation_split=None, subset=None, follow_links=False, verbose=True):
        if labels is None:
            label_mode = None
        paths, idx, names = _index_directory(directory, labels, (".wav",), class_names, shuffle, seed, follow_links)
        if verbose:
            print("Found %d files belonging to %d classes." % (len(paths), len(names)))

        def clip(path):
            a = _load_wav(path)
            if output_sequence_length is not None:
                L = int(output_sequence_length)
                a = a[:L] if a.shape[0] >= L else np.concatenate([a, np.zeros((L - a.shape[0], a.shape[1]), "float32")], 0)
            return a

        def build(sub):
            p, i = _split(paths, idx, validation_split, sub)
            if verbose and validation_split:
                print("Using %d files for %s." % (len(p), sub))
            lab = _labels_out(i, label_mode, len(names))

            if batch_size is None:
                def it():
                    for j, path in enumerate(p):
                        a = clip(path)
                        yield a if lab is None else (a, lab[j])

                ds = Dataset(it, len(p))
            else:
                bs = int(batch_size)

                def it():
                    for s in range(0, len(p), bs):
                        clips = [clip(path) for path in p[s:s + bs]]
                        L = max(c.shape[0] for c in clips)
                        batch = np.zeros((len(clips), L, clips[0].shape[1]), "float32")
                        for k, c in enumerate(clips):
                            batch[k, :c.shape[0]] = c
                        yield batch if lab is None else (batch, lab[s:s + bs])

                ds = Dataset(it, -(-len(p) // bs))
            ds.class_names = list(names)
            ds.file_paths = list(p)
            return ds

        if subset == "both":
            return build("training"), build("validation")
        return build(subset)

    return audio_dataset_from_directory
