'use strict';
// Merges benchmark result files: each expression keeps its lowest figure.
//   node min-of.js OUT.json IN.json [IN.json ...]
const fs = require('fs');
const [out, ...inputs] = process.argv.slice(2);
const merged = new Map();
let extra = {};
for (const file of inputs) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [k, v] of Object.entries(doc)) if (k !== 'results') extra[k] = v;
  for (const r of doc.results) {
    const seen = merged.get(r.name);
    if (!seen || r.us < seen.us) merged.set(r.name, r);
  }
}
fs.writeFileSync(out, JSON.stringify({ ...extra, results: [...merged.values()] }));
