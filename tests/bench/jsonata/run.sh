#!/usr/bin/env bash
# JSONata benchmark: Stepline's native engine vs the reference implementation
# (npm `jsonata` 2.0.6 under Node), on the same expressions and the same data.
#
#   tests/bench/jsonata/run.sh            # from the repository root
#
# Methodology
# - Data: gen-data.js writes a deterministic document of 1,000 orders
#   (customers, addresses, 1-6 line items, prices, ISO dates; ~530 KB) and a
#   small Step Functions-style state input. Both sides read the same files.
# - Expressions: cases.json (name, expression, which document is the input or
#   is bound as $states.input). Both sides run exactly these.
# - Each expression is compiled once (Expression::Compile / jsonata(expr)),
#   then evaluated N times; N is chosen so that one measurement lasts at least
#   0.5 s. Before measuring, each side warms up (Node: 1 s per expression so
#   V8's JIT reaches its optimising tier; Stepline: 0.2 s). The figure is the
#   median of 5 measurements, in microseconds per evaluation.
# - Node awaits every `expr.evaluate(input, bindings)`: jsonata 2.x evaluate()
#   is async and returns a Promise. The cost of awaiting a Promise by itself is
#   measured separately and printed under the table (it is part of the
#   library's real per-evaluation cost, and small).
# - Stepline's figure includes converting the result to a plain Json value
#   (the public Evaluate() API); Node's result is already a JS value.
# - Results are compared for deep equality (numbers exactly); any mismatch
#   fails the run, so both sides provably do the same work.
# - The two sides run one after the other, never concurrently, in BENCH_ROUNDS
#   rounds (default 3) that alternate them. Each side's figure for an
#   expression is its lowest median over the rounds: on a shared machine the
#   slow rounds are other people's load, and alternating gives both sides the
#   same chances.
#
# Environment: BUILD_DIR (default build-jbench), BENCH_MIN_SECONDS (0.5),
# BENCH_REPS (5), BENCH_ROUNDS (3), BENCH_ONLY (substring of case names),
# OUT_DIR (results and generated data; default a temporary directory).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-jbench}"
OUT_DIR="${OUT_DIR:-$(mktemp -d /tmp/stepline-jsonata-bench.XXXXXX)}"
mkdir -p "$OUT_DIR"

echo "== npm: jsonata 2.0.6" >&2
(cd "$HERE" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; \
  else npm install --no-audit --no-fund --loglevel=error; fi) >&2
node -e 'const v=require(process.argv[1]+"/node_modules/jsonata/package.json").version; if (v!=="2.0.6") { console.error("jsonata "+v+" installed, want 2.0.6"); process.exit(1); }' "$HERE"

echo "== build: $BUILD_DIR" >&2
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPLINE_BENCH=ON >&2
fi
ninja -C "$BUILD_DIR" jsonata_bench >&2

echo "== data: $OUT_DIR" >&2
mkdir -p "$OUT_DIR/data"
node "$HERE/gen-data.js" "$OUT_DIR/data"

ROUNDS="${BENCH_ROUNDS:-3}"
for r in $(seq "$ROUNDS"); do
  echo "== round $r/$ROUNDS: Stepline" >&2
  "$BUILD_DIR/tests/jsonata_bench" "$HERE/cases.json" "$OUT_DIR/data" "$OUT_DIR/stepline.$r.json"
  echo "== round $r/$ROUNDS: jsonata-js $(node --version)" >&2
  (cd "$HERE" && node bench.js "$HERE/cases.json" "$OUT_DIR/data" "$OUT_DIR/jsonata-js.$r.json")
done
node "$HERE/min-of.js" "$OUT_DIR/stepline.json" "$OUT_DIR"/stepline.[0-9]*.json
node "$HERE/min-of.js" "$OUT_DIR/jsonata-js.json" "$OUT_DIR"/jsonata-js.[0-9]*.json

echo "" >&2
node "$HERE/compare.js" "$OUT_DIR/stepline.json" "$OUT_DIR/jsonata-js.json" 10
