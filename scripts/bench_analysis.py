#!/usr/bin/env python3
"""crmd's analysis algorithms against scikit-learn's, on the same data and split.

Called by scripts/bench-analysis.sh, which builds crmd in release mode, starts
it, fills it with demo data, exports the demo dataset and runs this script in
a venv with scikit-learn and numpy. It can also be run alone against a running
crmd (CRMD_SOCKET or --socket), or with --sklearn-only to print scikit-learn's
half without crmd.

For every row it fits scikit-learn's model as ../shared/yardsticks/README.md
says (StandardScaler fitted on the training rows before SVC, LinearSVC and
MLP; fit time = median of 3 fits, time.perf_counter around fit only) and
trains crmd's counterpart 3 times with `crmctl analysis train --cv-folds 1`
(fit time = median of the models' fit_seconds; accuracy and macro-F1 from the
stored evaluation). The two sides alternate so that both see the same load.

The goal on every row: crmd's accuracy no more than one point below
scikit-learn's, and its fit time no slower. The verdict column says `ok`,
`ACC` (accuracy goal missed) and/or `SLOW` (fit time goal missed). Missing a
goal never fails the script; it exits non-zero only on errors (a row that
could not run is printed as `error` and reported below the table).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier

REPO = Path(__file__).resolve().parent.parent

# (table name, scikit-learn factory, scaled?, crmd algorithm, crmd parameters)
MODELS = {
    "DecisionTree": (lambda: DecisionTreeClassifier(random_state=0), False,
                     "decision-tree", {"random_state": "0"}),
    "SVC rbf": (lambda: SVC(kernel="rbf"), True, "svm", {"kernel": "rbf"}),
    "LinearSVC": (lambda: LinearSVC(), True, "svm", {"kernel": "linear"}),
    "MLP 64": (lambda: MLPClassifier(hidden_layer_sizes=(64,), max_iter=200, random_state=0), True,
               "neural-network", {"hidden_layer_sizes": "64", "max_iter": "200", "random_state": "0"}),
}
ALL_MODELS = list(MODELS)


@dataclass
class Dataset:
    name: str  # what --only matches
    title: str  # the first table cell
    csv: Path
    split: Path
    models: list[str]
    label: str = "label"
    head_rows: int | None = None  # only the first n data rows
    # Filled by load():
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    test: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Result:
    accuracy: float
    macro_f1: float
    fit_seconds: float
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, label: str, head_rows: int | None):
    """Features as floats (empty or non-numeric: NaN), labels as text."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if label not in header:
            raise SystemExit(f"{path}: no column {label!r} (columns: {', '.join(header)})")
        li = header.index(label)
        feats = [i for i in range(len(header)) if i != li]
        rows, labels = [], []
        for n, row in enumerate(reader):
            if head_rows is not None and n >= head_rows:
                break
            if not row:
                continue
            labels.append(row[li])
            rows.append([_number(row[i]) for i in feats])
    return [header[i] for i in feats], np.array(rows, dtype=np.float64), labels


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def read_split(path: Path, head_rows: int | None) -> np.ndarray:
    with open(path) as f:
        lines = f.read().split()
    if not lines or lines[0] != "is_test":
        raise SystemExit(f"{path}: expected a header `is_test`")
    values = lines[1:] if head_rows is None else lines[1:head_rows + 1]
    return np.array([v.strip().lower() in ("1", "true") for v in values], dtype=bool)


def load(ds: Dataset) -> None:
    _, x, labels = read_table(ds.csv, ds.label, ds.head_rows)
    test = read_split(ds.split, ds.head_rows)
    if len(test) != len(labels):
        raise SystemExit(f"{ds.split}: {len(test)} rows, {ds.csv}: {len(labels)}")
    keep = np.array([lab != "" for lab in labels])
    if not keep.all():
        ds.notes.append(f"{int((~keep).sum())} rows without a label left out")
    labels = [lab for lab, k in zip(labels, keep) if k]
    x, test = x[keep], test[keep]
    # Integer labels stay integers so that the class order (and so tie-breaking) is the
    # yardstick's; the demo dataset's labels are names.
    try:
        y = np.array([int(lab) for lab in labels])
    except ValueError:
        y = np.array(labels, dtype=object).astype(str)
    missing = int(np.isnan(x).sum())
    if missing:
        ds.notes.append(f"{missing} missing values, imputed with the training median (as crmd does)")
    ds.x, ds.y, ds.test = x, y, test


def shape_title(ds: Dataset) -> str:
    train, test = int((~ds.test).sum()), int(ds.test.sum())
    return f"{ds.title} ({train}/{test} × {ds.x.shape[1]}, {len(np.unique(ds.y))})"


class SklearnRow:
    """scikit-learn's side of one row, prepared once, fitted on demand."""

    def __init__(self, ds: Dataset, model: str):
        factory, scaled, _, _ = MODELS[model]
        self.factory = factory
        xtr, xte = ds.x[~ds.test], ds.x[ds.test]
        if np.isnan(ds.x).any():
            imputer = SimpleImputer(strategy="median").fit(xtr)
            xtr, xte = imputer.transform(xtr), imputer.transform(xte)
        if scaled:
            scaler = StandardScaler().fit(xtr)
            xtr, xte = scaler.transform(xtr), scaler.transform(xte)
        self.xtr, self.xte = xtr, xte
        self.ytr, self.yte = ds.y[~ds.test], ds.y[ds.test]
        self.times: list[float] = []
        self.scores: tuple[float, float] | None = None
        self.converged = True

    def fit_once(self) -> None:
        clf = self.factory()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            start = time.perf_counter()
            clf.fit(self.xtr, self.ytr)
            self.times.append(time.perf_counter() - start)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            self.converged = False
        pred = clf.predict(self.xte)
        self.scores = (accuracy_score(self.yte, pred), f1_score(self.yte, pred, average="macro"))

    def result(self) -> Result:
        notes = [] if self.converged else ["scikit-learn's fit stopped at its iteration limit (ConvergenceWarning)"]
        return Result(self.scores[0], self.scores[1], statistics.median(self.times), notes)


class CrmdRow:
    """crmd's side of one row: `crmctl analysis train` runs."""

    def __init__(self, args, ds: Dataset, model: str, csv_path: Path):
        _, _, algorithm, params = MODELS[model]
        self.command = [args.crmctl]
        if args.socket:
            self.command += ["--socket", args.socket]
        self.command += ["analysis", "train", "--csv", str(csv_path), "--label", ds.label,
                         "--test-rows", str(ds.split if ds.head_rows is None else csv_path.with_suffix(".split.csv")),
                         "--algorithm", algorithm, "--cv-folds", "1", "--quiet", "-o", "json"]
        for key, value in params.items():
            self.command += ["--param", f"{key}={value}"]
        self.timeout = args.timeout
        self.models: list[dict] = []

    def fit_once(self) -> None:
        try:
            proc = subprocess.run(self.command, capture_output=True, text=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"timed out after {self.timeout} s: {' '.join(self.command)}")
        if proc.returncode != 0:
            raise RuntimeError(f"exit {proc.returncode}: {' '.join(self.command)}\n{proc.stderr.strip()}")
        self.models.append(parse_model(proc.stdout))

    def result(self) -> Result:
        def ev(m, *keys):
            e = m.get("evaluation", {})
            return float(next((e[k] for k in keys if k in e), 0.0))

        accs = [ev(m, "accuracy") for m in self.models]
        f1s = [ev(m, "macro_f1", "macroF1") for m in self.models]
        times = [float(next((m[k] for k in ("fit_seconds", "fitSeconds") if k in m), math.nan)) for m in self.models]
        notes = []
        if len(set(accs)) > 1:
            notes.append("crmd's accuracy differed between runs: " + ", ".join(f"{a:.4f}" for a in accs))
        if any(math.isnan(t) for t in times):
            notes.append("a model had no fit_seconds")
        return Result(accs[0], f1s[0], statistics.median(times), notes)


def parse_model(text: str) -> dict:
    """The Model message in crmctl's JSON output (alone, or as the last object printed)."""
    text = text.strip()
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        # One JSON object per line (e.g. progress messages, then the model).
        objs = [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]
        if not objs:
            raise RuntimeError(f"no JSON in crmctl's output: {text[:200]!r}")
        obj = objs[-1]
    if isinstance(obj, list):
        obj = obj[-1]
    if "evaluation" not in obj and isinstance(obj.get("model"), dict):
        obj = obj["model"]
    if "evaluation" not in obj:
        raise RuntimeError(f"crmctl's JSON has no evaluation: {text[:300]!r}")
    return obj


def seconds(x: float) -> str:
    if math.isnan(x):
        return "–"
    if x < 0.01:
        return f"{x:.5f}"
    if x < 1:
        return f"{x:.4f}"
    if x < 100:
        return f"{x:.2f}"
    return f"{x:.1f}"


def ratio(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def datasets(args) -> list[Dataset]:
    d = Path(args.data_dir)
    out = [
        Dataset("iris", "iris", d / "iris.csv", d / "iris.split.csv", ALL_MODELS),
        Dataset("wine", "wine", d / "wine.csv", d / "wine.split.csv", ALL_MODELS),
        Dataset("breast_cancer", "breast_cancer", d / "breast_cancer.csv", d / "breast_cancer.split.csv",
                ALL_MODELS),
        Dataset("synth100k", "synth100k", d / "synth100k.csv", d / "synth100k.split.csv",
                ["DecisionTree", "LinearSVC", "MLP 64"]),
        Dataset("synth100k", "synth100k first 20k", d / "synth100k.csv", d / "synth100k_first20k.split.csv",
                ["SVC rbf"], head_rows=20_000),
    ]
    if args.demo_csv:
        out.append(Dataset("demo", f"demo {args.demo_title}".strip(), Path(args.demo_csv), Path(args.demo_split),
                           ALL_MODELS))
    if args.quick:
        out = [ds for ds in out if ds.name != "synth100k"]
    if args.only:
        names = {ds.name for ds in out}
        if args.only not in names:
            raise SystemExit(f"--only {args.only}: not one of {', '.join(sorted(names))}"
                             + (" (demo needs --demo-csv)" if args.only == "demo" else "")
                             + (" (synth100k is skipped by --quick)" if args.only == "synth100k" else ""))
        out = [ds for ds in out if ds.name == args.only]
    if args.models:
        wanted = [m.strip() for m in args.models.split(",")]
        for m in wanted:
            if m not in MODELS:
                raise SystemExit(f"--models: {m!r} is not one of {', '.join(MODELS)}")
        for ds in out:
            ds.models = [m for m in ds.models if m in wanted]
        out = [ds for ds in out if ds.models]
    return out


def head_csv(ds: Dataset, work: Path) -> Path:
    """The first ds.head_rows data rows of ds.csv (with the header), and their split beside it."""
    out = work / f"{ds.csv.stem}_first{ds.head_rows // 1000}k.csv"
    with open(ds.csv) as src, open(out, "w") as dst:
        for n, line in enumerate(src):
            if n > ds.head_rows:
                break
            dst.write(line)
    with open(ds.split) as src, open(out.with_suffix(".split.csv"), "w") as dst:
        for n, line in enumerate(src):
            if n > ds.head_rows:
                break
            dst.write(line)
    return out


def git_describe() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="skip synth100k")
    p.add_argument("--only", metavar="DATASET", help="iris, wine, breast_cancer, synth100k or demo")
    p.add_argument("--models", metavar="LIST", help=f"comma-separated subset of: {', '.join(MODELS)}")
    p.add_argument("--repeats", type=int, default=3, help="fits per side and row; the median time is shown")
    p.add_argument("--data-dir", default=os.environ.get("YARDSTICKS_DATA", str(REPO.parent / "shared/yardsticks/data")))
    p.add_argument("--demo-csv", help="the dataset crmd exported (crmctl analysis export --out)")
    p.add_argument("--demo-split", help="its split (crmctl analysis export --split-out)")
    p.add_argument("--demo-title", default="", help="what the demo row says about the data, e.g. its size")
    p.add_argument("--crmctl", default="crmctl", help="the crmctl binary")
    p.add_argument("--socket", help="crmd's socket (default: CRMD_SOCKET)")
    p.add_argument("--sklearn-only", action="store_true", help="scikit-learn's half only, without crmd")
    p.add_argument("--timeout", type=float, default=3600, help="seconds per crmctl call")
    p.add_argument("--work", help="folder for temporary files (default: a new temporary folder)")
    p.add_argument("--command", help="the command line to print (set by scripts/bench-analysis.sh)")
    args = p.parse_args()
    if args.demo_csv and not args.demo_split:
        p.error("--demo-csv needs --demo-split")
    if args.repeats < 1:
        p.error("--repeats must be at least 1")

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-analysis."))
    work.mkdir(parents=True, exist_ok=True)
    sets = datasets(args)

    command = args.command or " ".join([sys.argv[0]] + sys.argv[1:])
    print(f"command: {command}")
    print(f"crmd {git_describe()}, release build; nproc {len(os.sched_getaffinity(0))}; "
          f"load {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {platform.python_version()}; "
          f"fit time = median of {args.repeats} fits each side; "
          f"crmd: `crmctl analysis train --cv-folds 1`, fit_seconds")
    if args.sklearn_only:
        print("SKLEARN ONLY: crmd was not run")
    print(flush=True)

    header = ["dataset (train/test × features, classes)", "model", "sklearn acc", "crmd acc", "Δacc (pt)",
              "sklearn macro-F1", "crmd macro-F1", "sklearn fit s", "crmd fit s", "crmd/sklearn", "verdict"]
    rows, errors, notes = [], [], []
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header), flush=True)
    for ds in sets:
        load(ds)
        for n in ds.notes:
            notes.append(f"{ds.title}: {n}")
        csv_path = head_csv(ds, work) if ds.head_rows else ds.csv
        title = shape_title(ds)
        for i, model in enumerate(ds.models):
            cell = title if i == 0 else ""
            sk = SklearnRow(ds, model)
            cr = None if args.sklearn_only else CrmdRow(args, ds, model, csv_path)
            print(f"  {ds.title} / {model} …", file=sys.stderr, flush=True)
            try:
                for _ in range(args.repeats):
                    sk.fit_once()
                    if cr:
                        cr.fit_once()
            except RuntimeError as e:
                errors.append(f"{ds.title} / {model}: {e}")
                cells = [cell, model] + ["error"] * 8 + ["error"]
                print("| " + " | ".join(cells) + " |", flush=True)
                continue
            s = sk.result()
            notes += [f"{ds.title} / {model}: {n}" for n in s.notes]
            if cr:
                c = cr.result()
                notes += [f"{ds.title} / {model}: {n}" for n in c.notes]
                delta = (c.accuracy - s.accuracy) * 100
                r = c.fit_seconds / s.fit_seconds if s.fit_seconds > 0 else math.inf
                verdict = []
                if delta < -1 - 1e-9:
                    verdict.append("ACC")
                if not r <= 1:
                    verdict.append("SLOW")
                cells = [cell, model, f"{s.accuracy:.4f}", f"{c.accuracy:.4f}", f"{delta:+.2f}",
                         f"{s.macro_f1:.4f}", f"{c.macro_f1:.4f}", seconds(s.fit_seconds), seconds(c.fit_seconds),
                         ratio(r), " ".join(verdict) or "ok"]
            else:
                cells = [cell, model, f"{s.accuracy:.4f}", "–", "–", f"{s.macro_f1:.4f}", "–",
                         seconds(s.fit_seconds), "–", "–", "–"]
            rows.append(cells)
            print("| " + " | ".join(cells) + " |", flush=True)

    if not args.sklearn_only and rows:
        verdicts = [r[-1] for r in rows]
        ok = sum(v == "ok" for v in verdicts)
        print()
        print(f"goal met on {ok} of {len(rows)} rows; accuracy goal missed on "
              f"{sum('ACC' in v for v in verdicts)}, fit time goal missed on {sum('SLOW' in v for v in verdicts)}"
              + (f"; {len(errors)} rows failed" if errors else ""))
    for n in notes:
        print(f"note: {n}")
    for e in errors:
        print(f"ERROR: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
