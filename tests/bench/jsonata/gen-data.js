'use strict';
// Writes the benchmark's input documents into the directory given as argv[2]:
//   orders.json  1,000 orders (customers, addresses, line items, prices, dates)
//   small.json   a small Step Functions-style state input
// Deterministic: a fixed-seed LCG, so every run measures the same data.
const fs = require('fs');
const path = require('path');

let seed = 20240611;
function rnd() {  // Park-Miller minimal standard generator, in [0, 1)
  seed = (seed * 48271) % 2147483647;
  return (seed - 1) / 2147483646;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const cents = (lo, hi) => int(lo * 100, hi * 100) / 100;

const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Ken', 'Dennis', 'Margaret',
  'John', 'Frances', 'Leslie', 'Tony', 'Niklaus', 'Radia', 'Sophie'];
const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Thompson', 'Ritchie',
  'Hamilton', 'Backus', 'Allen', 'Lamport', 'Hoare', 'Wirth', 'Perlman', 'Wilson'];
const cities = [['Seattle', 'US'], ['Dublin', 'IE'], ['Berlin', 'DE'], ['Tokyo', 'JP'],
  ['Sydney', 'AU'], ['Toronto', 'CA'], ['Paris', 'FR'], ['Sao Paulo', 'BR']];
const streets = ['Main Street', 'Harbour Road', 'Elm Avenue', 'Station Square', 'Mill Lane', 'Park Row'];
const products = [
  ['BK-101', 'Paperback book', 12.5], ['BK-207', 'Hardcover book', 29.99], ['EL-330', 'USB-C cable', 9.99],
  ['EL-412', 'Wireless mouse', 24.0], ['EL-519', 'Mechanical keyboard', 119.0], ['HM-602', 'Coffee mug', 8.75],
  ['HM-640', 'Desk lamp', 45.5], ['SP-710', 'Yoga mat', 32.0], ['SP-733', 'Water bottle', 15.25],
  ['TY-801', 'Puzzle 1000 pieces', 18.99], ['TY-845', 'Board game', 39.95], ['EL-990', 'Monitor 27"', 289.0],
];
const statuses = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'];

const customers = [];
for (let i = 0; i < 120; i++) {
  const [city, country] = pick(cities);
  customers.push({
    id: 'C' + String(1000 + i),
    name: pick(first) + ' ' + pick(last),
    email: 'customer' + i + '@example.com',
    tier: pick(['standard', 'standard', 'silver', 'gold']),
    address: { street: int(1, 400) + ' ' + pick(streets), city, country, zip: String(int(10000, 99999)) },
  });
}

const base = Date.UTC(2024, 0, 1);
const orders = [];
for (let i = 0; i < 1000; i++) {
  const items = [];
  const n = int(1, 6);
  for (let k = 0; k < n; k++) {
    const [sku, name, price] = pick(products);
    items.push({ sku, name, qty: int(1, 5), price });
  }
  // Totals are rounded to cents by the generator, as a shop would store them.
  const total = Math.round(items.reduce((s, it) => s + it.qty * it.price, 0) * 100) / 100;
  const c = pick(customers);
  orders.push({
    id: 'ORD-' + String(i + 1).padStart(5, '0'),
    customer: { id: c.id, name: c.name, email: c.email, tier: c.tier },
    address: c.address,
    date: new Date(base + int(0, 365 * 86400) * 1000).toISOString(),
    status: pick(statuses),
    items,
    total,
    shipping: cents(0, 25),
    tags: [pick(['web', 'mobile', 'store']), pick(['promo', 'regular', 'gift'])],
  });
}

const dir = process.argv[2] || '.';
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'orders.json'), JSON.stringify({ shop: 'stepline-demo', currency: 'EUR', orders }));
fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify({
  orderId: 'ORD-00042', customerId: 'C1007', amount: 129.5, currency: 'EUR',
  items: [{ sku: 'BK-101', qty: 2 }, { sku: 'EL-412', qty: 1 }], express: true,
}));
