// Point-and-pick selector inference speed on generated pages (jsdom, so slower than a browser):
// a catalogue of N cards with hashed classes beside a sidebar list; time to infer the item
// selector from two examples, three field selectors, and extract every row with the schema.
//     node bench/pick_infer.js [N ...]        (default 100 1000 5000)
// Last stdout line: one JSON object {N: {items_ms, fields_ms, extract_ms, rows}}.
const path = require("node:path");
const { page } = require(path.join(__dirname, "..", "tests", "js", "helpers.js"));

function html(n) {
  const cards = Array.from({ length: n }, (_, i) => `<div class="sc-x${i % 7}Q kCmVUT" data-testid="card"><h3 class="css-1a2b3c"><a href="/p/${i}">Item ${i}</a></h3>` +
    `<span class="Card_price__9xQ2a">$${i}</span><span class="css-9z8y7x">${i % 3 ? "in stock" : "sold out"}</span></div>`).join("");
  return `<aside><ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul></aside><main><section>${cards}</section></main>`;
}

const ms = (t0) => Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
const out = {};
for (const n of (process.argv.slice(2).length ? process.argv.slice(2) : ["100", "1000", "5000"]).map(Number)) {
  const { SB, document } = page(html(n), { scripts: ["refs", "extract", "pick"] });
  const cards = document.querySelectorAll('[data-testid="card"]');
  let t0 = process.hrtime.bigint();
  const { item, items } = SB.pick.inferItems(document, [cards[0].querySelector("a"), cards[Math.min(5, n - 1)].querySelector("a")]);
  const itemsMs = ms(t0);
  t0 = process.hrtime.bigint();
  const used = new Set();
  const fields = [cards[1].querySelector("a"), ...cards[1].querySelectorAll("span")].flatMap((el) => SB.pick.inferFields(items, cards[1], el, used));
  const fieldsMs = ms(t0);
  t0 = process.hrtime.bigint();
  const { rows } = SB.extract.structured(document, SB.pick.schemaFor(item, fields, null));
  out[n] = { item, items_ms: itemsMs, fields_ms: fieldsMs, extract_ms: ms(t0), rows: rows.length };
  if (rows.length !== n) throw new Error(`expected ${n} rows, got ${rows.length}`);
}
console.log(JSON.stringify(out));
