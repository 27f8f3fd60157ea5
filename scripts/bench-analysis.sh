#!/usr/bin/env bash
# crmd's analysis algorithms against scikit-learn's, printed side by side as numbers
# (never asserted): accuracy, macro-F1 and fit time of decision-tree, svm (rbf and
# linear) and neural-network against DecisionTreeClassifier, SVC, LinearSVC and
# MLPClassifier, on the yardstick files (../shared/yardsticks/data) and on the
# dataset crmd builds from its demo data (next-category, 90-day horizon).
#
# Usage: scripts/bench-analysis.sh [--quick] [--only DATASET] [--customers N]
#                                  [--models LIST] [--repeats N]
#   --quick          skip synth100k (the slow rows)
#   --only DATASET   iris, wine, breast_cancer, synth100k or demo
#   --customers N    size of the demo data set (default 3000)
#   --models LIST    e.g. "SVC rbf,LinearSVC"; --repeats N fits per side (default 3)
# Environment: YARDSTICKS_DATA (default ../shared/yardsticks/data).
#
# Builds crmd, crmctl and the three plugins in release mode (in .build-release;
# ~15 min the first time), installs scikit-learn and numpy into
# .build-release/venv (PyPI), starts crmd on a temporary folder with the release
# plugins, fills it with `crmctl demo`, exports the demo dataset with
# `crmctl analysis export`, then runs scripts/bench_analysis.py. Exits non-zero
# only on errors, never because a goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="scripts/bench-analysis.sh${*:+ $*}"

customers=3000
only=""
pass=()
while [ $# -gt 0 ]; do
    case "$1" in
        --customers) customers=${2:?--customers needs a value}; shift 2 ;;
        --customers=*) customers=${1#*=}; shift ;;
        --only) only=${2:?--only needs a value}; pass+=("$1" "$2"); shift 2 ;;
        --only=*) only=${1#*=}; pass+=("$1"); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) pass+=("$1"); shift ;;
    esac
done

scripts/install-deps.sh

venv=.build-release/venv
sklearn_version=1.9.1 # the version of ../shared/yardsticks/README.md
if ! "$venv/bin/python" -c 'import sklearn, numpy' 2>/dev/null; then
    echo "installing: scikit-learn $sklearn_version, numpy (PyPI) into $venv" >&2
    mkdir -p .build-release
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "scikit-learn==$sklearn_version" numpy
fi

# A scratch folder of its own, so that the debug build in .build stays usable meanwhile.
release=(swift build -c release --scratch-path .build-release)
for product in crmd crmctl crmplugin-decision-tree crmplugin-svm crmplugin-neural-network; do
    "${release[@]}" --product "$product" >&2
done
bin=$("${release[@]}" --show-bin-path)

work=$(mktemp -d /tmp/crmd-bench-analysis.XXXXXX)
cleanup() {
    if [ -f "$work/pid" ]; then
        kill "$(cat "$work/pid")" 2>/dev/null || true
        wait "$(cat "$work/pid")" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# --plugin-dir: the release plugins (libcrmplugin-*.so) beside the binaries.
"$bin/crmd" --data-dir "$work/data" --socket "$work/crmd.sock" --plugin-dir "$bin" --log-level warning &
echo $! >"$work/pid"
for _ in $(seq 100); do [ -S "$work/crmd.sock" ] && break; sleep 0.1; done
[ -S "$work/crmd.sock" ] || { echo "crmd did not start" >&2; exit 1; }
export CRMD_SOCKET="$work/crmd.sock"

demo=()
if [ -z "$only" ] || [ "$only" = demo ]; then
    "$bin/crmctl" demo --customers "$customers" >&2
    "$bin/crmctl" analysis export --target next-category --horizon 90d \
        --out "$work/demo.csv" --split-out "$work/demo.split.csv" >&2
    demo=(--demo-csv "$work/demo.csv" --demo-split "$work/demo.split.csv"
        --demo-title "$customers customers")
fi

"$venv/bin/python" scripts/bench_analysis.py --command "$command_line" --crmctl "$bin/crmctl" \
    --work "$work" ${demo[@]+"${demo[@]}"} ${pass[@]+"${pass[@]}"}
