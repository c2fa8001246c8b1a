const test = require("node:test");
const assert = require("node:assert/strict");
const { page } = require("./helpers.js");

test("structured extraction over repeated items, absolute links, next page", () => {
  const { SB, document } = page(`<ul>
    <li class="item"><a class="t" href="/p/1">First</a><span class="price">$1</span></li>
    <li class="item"><a class="t" href="/p/2">Second</a></li>
  </ul><a class="next" href="?page=2">Next</a>`);
  const r = SB.extract.structured(document, { item: ".item", fields: { title: ".t", url: { selector: ".t", attr: "href" }, price: ".price" }, next: ".next" });
  assert.deepEqual(JSON.parse(JSON.stringify(r.rows)), [
    { title: "First", url: "http://127.0.0.1:8000/p/1", price: "$1" },
    { title: "Second", url: "http://127.0.0.1:8000/p/2", price: null },
  ]);
  assert.equal(r.next, "http://127.0.0.1:8000/page?page=2");
  assert.throws(() => SB.extract.structured(document, { item: ".item" }), (e) => e.code === "invalid_params");
  assert.throws(() => SB.extract.structured(document, { item: "!!bad", fields: { a: "b" } }), (e) => e.code === "invalid_params");
});

test("tables become rows keyed by header", () => {
  const { SB, document } = page(`<table><caption>Prices</caption><thead><tr><th>Name</th><th>Price</th></tr></thead>
    <tbody><tr><td>Tea</td><td>3</td></tr><tr><td>Coffee</td><td>4</td></tr></tbody></table>
    <table><tr><td>a</td><td>b</td></tr></table>`);
  const { tables } = SB.extract.tables(document);
  assert.equal(tables.length, 2);
  assert.equal(tables[0].caption, "Prices");
  assert.deepEqual(JSON.parse(JSON.stringify(tables[0].rows)), [{ Name: "Tea", Price: "3" }, { Name: "Coffee", Price: "4" }]);
  assert.deepEqual(JSON.parse(JSON.stringify(tables[1].rows)), [["a", "b"]]);
});

test("search results: known layout and generic fallback", () => {
  const { SB, document } = page(`<div class="r"><h3><a href="https://a.example/1">Alpha result</a></h3><p>Alpha is the first letter of the Greek alphabet, used widely.</p></div>
    <div class="r"><h3><a href="https://b.example/2">Beta result</a></h3><p>Beta follows alpha in the Greek alphabet and in most software releases.</p></div>`);
  const generic = SB.extract.searchResults(document, {}, 10).results;
  assert.equal(generic.length, 2);
  assert.equal(generic[0].url, "https://a.example/1");
  assert.match(generic[1].snippet, /Beta follows alpha/);
  const known = SB.extract.searchResults(document, { item: ".r", title: "h3", link: "a", snippet: "p" }, 1).results;
  assert.deepEqual(JSON.parse(JSON.stringify(known.map((r) => r.title))), ["Alpha result"]);
});
