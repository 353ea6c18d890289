'use strict';
// Compares the two sides' results and prints the table (see run.sh).
//   node compare.js STEPLINE.json JSONATA_JS.json [TARGET_SPEEDUP]
// Exit 1 when any case's results differ (the two sides must do the same work).
const fs = require('fs');
const util = require('util');

const [cppFile, jsFile, targetArg] = process.argv.slice(2);
const target = Number(targetArg || 10);
const cpp = JSON.parse(fs.readFileSync(cppFile, 'utf8'));
const js = JSON.parse(fs.readFileSync(jsFile, 'utf8'));

const fmt = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us >= 1 ? us.toFixed(2) : us.toFixed(3));
const rows = [];
let mismatches = 0;
let logSum = 0;
for (const j of js.results) {
  const c = cpp.results.find((r) => r.name === j.name);
  if (!c) { console.error(`missing Stepline result for "${j.name}"`); mismatches++; continue; }
  const same = !!c.undefined === !!j.undefined && util.isDeepStrictEqual(c.value, j.value);
  if (!same) {
    mismatches++;
    console.error(`RESULT MISMATCH for "${j.name}":\n  stepline:   ${JSON.stringify(c.value).slice(0, 400)}\n  jsonata-js: ${JSON.stringify(j.value).slice(0, 400)}`);
  }
  const speedup = j.us / c.us;
  logSum += Math.log(speedup);
  rows.push([j.name, fmt(c.us), fmt(j.us), speedup.toFixed(1) + 'x', same ? '' : ' MISMATCH']);
}
const geo = Math.exp(logSum / rows.length);
console.log('| expression | Stepline µs/eval | jsonata-js µs/eval | speed-up |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]}${r[4]} |`);
console.log(`| **geometric mean** | | | **${geo.toFixed(1)}x** |`);
const min = rows.reduce((m, r) => Math.min(m, parseFloat(r[3])), Infinity);
console.log('');
console.log(`Node ${js.node}: awaiting a resolved Promise alone costs ${js.promise_us.toFixed(3)} µs ` +
  '(included in every jsonata-js figure; jsonata 2.x evaluate() is async).');
console.log(`Slowest speed-up ${min.toFixed(1)}x; target ${target}x: ${min >= target ? 'met on every expression' : 'NOT met on every expression'}.`);
if (mismatches) {
  console.error(`${mismatches} result mismatch(es): the benchmark is invalid`);
  process.exit(1);
}
