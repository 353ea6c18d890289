'use strict';
// Reference side of the JSONata benchmark (see run.sh for the methodology).
//   node bench.js CASES.json DATA_DIR OUT.json
// For every case: compile once with jsonata(expr), then time
// `await expr.evaluate(input, bindings)`. jsonata 2.x evaluate() is async (it
// returns a Promise), so every evaluation is awaited; the cost of awaiting a
// Promise by itself is measured separately and reported as "promise_us".
// Environment: BENCH_MIN_SECONDS (default 0.5) per measurement,
// BENCH_REPS (default 5) measurements (the median is reported),
// BENCH_WARMUP_SECONDS (default 1.0) warm-up per case (lets V8's JIT tier up),
// BENCH_ONLY=substring runs only the cases whose name contains it.
const fs = require('fs');
const path = require('path');
const jsonata = require('jsonata');

const MIN_SECONDS = Number(process.env.BENCH_MIN_SECONDS || 0.5);
const REPS = Number(process.env.BENCH_REPS || 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS || 1.0);

const [casesFile, dataDir, outFile] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const docs = {};
for (const f of fs.readdirSync(dataDir)) {
  if (f.endsWith('.json')) docs[f.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'));
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Runs `once` n times, returns seconds.
async function timeN(once, n) {
  const t0 = now();
  for (let i = 0; i < n; i++) await once();
  return now() - t0;
}

// Warm up for WARMUP_SECONDS, pick N so one measurement lasts >= MIN_SECONDS,
// then return the median of REPS measurements in microseconds per call.
async function measure(once) {
  let n = 1;
  const warmEnd = now() + WARMUP_SECONDS;
  while (now() < warmEnd) await once();
  for (;;) {
    const t = await timeN(once, n);
    if (t >= MIN_SECONDS) break;
    n = t <= 0 ? n * 10 : Math.max(n + 1, Math.ceil(n * Math.min(10, 1.15 * MIN_SECONDS / t)));
  }
  const per = [];
  for (let r = 0; r < REPS; r++) per.push((await timeN(once, n)) / n * 1e6);
  return { us: median(per), n, reps: per };
}

(async () => {
  const results = [];
  // The Promise machinery alone: awaiting an already-resolved promise from an
  // async function, which is the least every jsonata 2.x evaluate() costs.
  const sink = { x: 0 };
  const promiseOnly = await measure(async () => { sink.x++; });
  for (const c of cases) {
    if (process.env.BENCH_ONLY && !c.name.includes(process.env.BENCH_ONLY)) continue;
    const input = c.input ? docs[c.input] : undefined;
    const bindings = c.bindings ? { states: { input: docs[c.bindings] } } : undefined;
    const expr = jsonata(c.expr);
    const first = await expr.evaluate(input, bindings);
    let last;
    const m = await measure(async () => { last = await expr.evaluate(input, bindings); });
    if (last === undefined && first !== undefined) throw new Error('result changed: ' + c.name);
    // Plain JSON (drops jsonata's sequence flags); undefined -> null marker.
    const result = first === undefined ? { undefined: true } : { value: JSON.parse(JSON.stringify(first)) };
    results.push({ name: c.name, us: m.us, n: m.n, reps: m.reps, ...result });
    process.stderr.write(`  jsonata-js  ${c.name.padEnd(36)} ${m.us.toFixed(2)} us/eval (N=${m.n})\n`);
  }
  fs.writeFileSync(outFile, JSON.stringify({ node: process.version, promise_us: promiseOnly.us, results }));
})().catch((e) => { console.error(e); process.exit(1); });
