// Writes random JSONata paths over random documents, with the answers of the
// reference implementation (npm jsonata 2.0.6), for check.py to put to
// `stepline jsonata`. The paths are what Stepline's shortcuts take (the
// plain-JSON walker, array constructors over sequences, `$count`/`$sum` of
// paths, the root path gathered as JSON) mixed with what makes them fall
// back (predicates, computed steps, objects holding functions), so a shortcut
// that departs from step-by-step evaluation shows as a difference.
//   node gen.js OUT.json [COUNT] [SEED]
const jsonata = require(require('path').join(__dirname, '../../bench/jsonata/node_modules/jsonata'));

const out = process.argv[2];
const count = Number(process.argv[3] || 3000);
let seed = Number(process.argv[4] || 20261122);
// A small LCG: the same seed gives the same cases on any Node.
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const names = ['a', 'b', 'items'];

function doc(depth) {
  const r = rnd();
  if (depth > 3 || (depth > 0 && r < 0.25)) return pick([1, 2.5, -3, 'str', 'a string longer than fourteen', true, false, null, 0]);
  if (r < 0.65) {
    const o = {};
    const n = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) o[pick(names)] = doc(depth + 1);
    return o;
  }
  const a = [];
  const n = Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) a.push(doc(depth + 1));
  return a;
}

// `descend`: whether '**' may occur (not over a function: jsonata-js would
// descend into its lambda object's internals).
function steps(descend = true) {
  const n = 1 + Math.floor(rnd() * 3);
  const s = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    s.push(r < 0.15 ? '*' : r < 0.22 && descend ? '**' : pick(names));
  }
  return s.join('.');
}

const forms = [
  (p) => p,
  (p) => '$count(' + p + ')',
  (p) => '$sum(' + p + '[$type($) = "number"])',
  (p) => '[' + p + ']',
  (p) => '[' + p + ', ' + steps() + ']',
  (p) => '$string(' + p + ')',
  (p) => p + '[]',
  (p) => '$.' + p,
  (p) => '[a, b, {"a": [1, {"b": 2}]}].' + p,
  (p) => '$append(a, [{"x": {"a": 3}}]).' + p,
  (p) => '(' + p + ').' + pick(names),
  (p) => pick(names) + '[0].' + p,
  (p) => p + '[0]',
  (p) => p + '[-1]',
  (p) => '{"k": ' + p + '}',
  (p) => p + '.$string()',
  (p) => p + '[$type($) = "object"].' + pick(names),
  (p) => '$v.' + p,
  (p) => p + '{$string($type($)): $count($)}',
  (p) => '$map(' + p + ', function($e) { $type($e) })',
  // Objects holding a function are not plain JSON: the step-by-step path.
  (p) => '$count([' + p + ', {"a": [1], "b": {"a": [2]}, "f": function(){1}}].' + steps(false) + ')',
  (p) => '([' + p + ', {"a": [[1]], "items": {"b": [2]}, "f": function(){1}}].' + steps(false) + ').$type($)',
  (p) => '[[' + p + '], {"a": [[3]], "g": function(){1}}].' + steps(false) + '[$type($) != "function"]',
];

(async () => {
  const cases = [];
  for (let i = 0; i < count; i++) {
    const input = doc(0);
    const bindings = { v: doc(0) };
    const expr = pick(forms)(steps());
    let result;
    try {
      const r = await jsonata(expr).evaluate(input, bindings);
      result = r === undefined ? { undefined: true } : { value: r };
    } catch (e) {
      result = { error: e.code };
    }
    cases.push({ expr, input, bindings, ...result });
  }
  require('fs').writeFileSync(out, JSON.stringify(cases));
})();
