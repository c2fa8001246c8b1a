// Selector inference for point-and-pick scrapes (extension/src/content/pick.js) on jsdom fixtures:
// the inferred schema is run through the real extractor (extract.js), as a scheduled run would.
const test = require("node:test");
const assert = require("node:assert/strict");
const { page } = require("./helpers.js");

const SCRIPTS = ["refs", "extract", "pick"];
const load = (html) => page(html, { scripts: SCRIPTS });
const plain = (x) => JSON.parse(JSON.stringify(x));

// Fields picked in the first item, extracted from every item with extract.js.
function scrape(p, exampleSel, fieldSels, next) {
  const { SB, document } = p;
  const q = (s) => document.querySelector(s);
  const examples = exampleSel.map(q);
  const { item, items } = SB.pick.inferItems(document, examples);
  const used = new Set();
  const fields = fieldSels.flatMap((s) => {
    const el = q(s);
    return SB.pick.inferFields(items, items.find((it) => it.contains(el)), el, used);
  });
  const schema = SB.pick.schemaFor(item, fields, next && SB.pick.nextSelector(document, q(next)));
  return { item, items, fields, schema, ...SB.extract.structured(document, schema) };
}

const CARDS = `<main><h1>Shop</h1>
<aside><ul class="links"><li class="item"><a href="/help">Help</a></li><li class="item"><a href="/faq">FAQ</a></li></ul></aside>
<section id="catalogue">${[["Tent", "$120"], ["Stove", "$45"], ["Lamp", "$12"], ["Mat", "$30"]]
  .map(([n, p], i) => `<div class="card${i === 2 ? " card--featured" : ""}"><h3 class="title"><a href="/p/${i + 1}">${n}</a></h3><span class="price">${p}</span><span class="stock">in stock</span></div>`)
  .join("")}</section>
<nav class="pager"><a href="?page=1">1</a><a href="?page=2" class="next">Next</a></nav></main>`;

test("a list of cards: two examples give every card, fields by class, the next link", () => {
  const r = scrape(load(CARDS), ["#catalogue .card:nth-child(1) a", "#catalogue .card:nth-child(3) .price"], [".card .title a", ".card .price"], "a.next");
  assert.equal(r.item, "div.card");
  assert.equal(r.items.length, 4);
  assert.deepEqual(plain(r.schema.fields), { title: "a", title_url: { selector: "a", attr: "href" }, price: "span.price" });
  assert.equal(r.schema.next, "a.next");
  assert.deepEqual(plain(r.rows.map((x) => [x.title, x.price])), [["Tent", "$120"], ["Stove", "$45"], ["Lamp", "$12"], ["Mat", "$30"]]);
  assert.equal(r.rows[1].title_url, "http://127.0.0.1:8000/p/2");
  assert.equal(r.next, "http://127.0.0.1:8000/page?page=2");
});

test("the same classes elsewhere on the page: the item selector is narrowed to the picked list", () => {
  const p = load(`<ul class="results"><li class="item"><b>one</b></li><li class="item"><b>two</b></li><li class="item"><b>three</b></li></ul>
    <ol class="related"><li class="item"><b>other</b></li><li class="item"><b>other 2</b></li></ol>`);
  const r = scrape(p, [".results li:nth-child(1) b", ".results li:nth-child(2) b"], [".results b"]);
  assert.equal(r.item, "ul.results > li.item");
  assert.deepEqual(plain(r.rows.map((x) => x.text)), ["one", "two", "three"]);
});

test("table rows: cells are fields of the row, never the item; header rows are left out", () => {
  const p = load(`<table id="t"><thead><tr><th>Name</th><th>Price</th></tr></thead><tbody>
    <tr><td>Tea</td><td>3</td></tr><tr><td>Coffee</td><td>4</td></tr><tr><td>Cocoa</td><td>5</td></tr></tbody></table>`);
  const r = scrape(p, ["tbody tr:nth-child(1) td", "tbody tr:nth-child(3) td:nth-child(2)"], ["tbody tr td", "tbody tr td:nth-child(2)"]);
  assert.equal(r.item, "tbody > tr");
  assert.equal(r.items.length, 3, "the header row is not an item");
  assert.deepEqual(plain(r.rows), [{ text: "Tea", text_2: "3" }, { text: "Coffee", text_2: "4" }, { text: "Cocoa", text_2: "5" }]);
  assert.match(r.schema.fields.text_2, /nth-of-type\(2\)/, "cells with nothing else to tell them apart fall back to their position");
});

test("hashed class names are never used: stable attributes and structure instead", () => {
  const p = load(`<div class="sc-gKclnd kCmVUT"><h2 class="css-1q2w3e4">Results</h2>
    ${["Ada", "Grace", "Linus"].map((n, i) => `<div class="Card_root__3xYz1 hJtwYq" data-testid="result-card"><span class="css-9z8y7x6">${n}</span><span class="Card_meta__a8B2c">${i + 1}0 pts</span><img class="x7Yb2Qa" src="/a/${i}.png"></div>`).join("")}</div>`);
  const r = scrape(p, ['[data-testid="result-card"]:nth-of-type(1) span', '[data-testid="result-card"]:nth-of-type(3) span'], ['[data-testid="result-card"] span', '[data-testid="result-card"] span + span', '[data-testid="result-card"] img']);
  assert.equal(r.item, 'div[data-testid="result-card"]');
  const all = JSON.stringify(r.schema);
  for (const hash of ["kCmVUT", "hJtwYq", "css-", "3xYz1", "a8B2c", "x7Yb2Qa", "sc-gKclnd"]) assert.ok(!all.includes(hash), `${hash} in ${all}`);
  assert.equal(r.schema.fields.meta, 'span[class*="Card_meta__"]', "a CSS-module class keeps its stable prefix");
  assert.deepEqual(plain(r.rows.map((x) => [x.text, x.meta])), [["Ada", "10 pts"], ["Grace", "20 pts"], ["Linus", "30 pts"]]);
  assert.equal(r.rows[2].image, "http://127.0.0.1:8000/a/2.png");
});

test("a grid in rows: the cards are the items, across rows", () => {
  const row = (names) => `<div class="row">${names.map((n) => `<div class="tile"><p class="name">${n}</p></div>`).join("")}</div>`;
  const p = load(`<div id="grid">${row(["a", "b", "c"])}${row(["d", "e", "f"])}</div>`);
  const r = scrape(p, [".row:nth-child(1) .tile:nth-child(1) p", ".row:nth-child(2) .tile:nth-child(2) p"], [".tile p"]);
  assert.equal(r.item, "div.tile");
  assert.deepEqual(plain(r.rows.map((x) => x.name)), ["a", "b", "c", "d", "e", "f"]);
  const column = scrape(p, [".row:nth-child(1) .tile:nth-child(1) p", ".row:nth-child(2) .tile:nth-child(1) p"], [".row p"]);
  assert.equal(column.item, "div.row", "picked down one column: ambiguous, the outer level is taken (a third example settles it)");
});

test("items whose fields sit in same-class wrappers: the item, not the wrapper", () => {
  const card = (t, pr) => `<div class="card"><div class="line"><span>${t}</span></div><div class="line"><span>${pr}</span></div></div>`;
  const p = load(`<div id="list">${card("Tent", "$1")}${card("Stove", "$2")}${card("Lamp", "$3")}</div>`);
  const r = scrape(p, [".card:nth-child(1) .line:nth-child(1) span", ".card:nth-child(3) .line:nth-child(1) span"], [".card .line span", ".card .line:nth-child(2) span"]);
  assert.equal(r.item, "div.card");
  assert.deepEqual(plain(r.rows.map((x) => [x.line, x.line_2])), [["Tent", "$1"], ["Stove", "$2"], ["Lamp", "$3"]]);
});

test("nested lists: examples in one inner list give that list; across inner lists every member; outer items", () => {
  const p = load(`<ul class="groups">
    <li class="group"><h4>Fruit</h4><ul class="members"><li class="m"><span>apple</span></li><li class="m"><span>pear</span></li></ul></li>
    <li class="group"><h4>Veg</h4><ul class="members"><li class="m"><span>leek</span></li><li class="m"><span>kale</span></li><li class="m"><span>bean</span></li></ul></li></ul>`);
  const inner = scrape(p, [".group:nth-child(2) .m:nth-child(1) span", ".group:nth-child(2) .m:nth-child(3) span"], [".group:nth-child(2) .m span"]);
  assert.match(inner.item, /li\.m$/);
  assert.deepEqual(plain(inner.rows.map((x) => x.text)), ["leek", "kale", "bean"], "only the list the examples came from");
  const across = scrape(p, [".group:nth-child(1) .m:nth-child(1) span", ".group:nth-child(2) .m:nth-child(3) span"], [".m span"]);
  assert.equal(across.item, "li.m");
  assert.equal(across.rows.length, 5, "every member, in both groups");
  const outer = scrape(p, [".group:nth-child(1) h4", ".group:nth-child(2) h4"], [".group h4"]);
  assert.equal(outer.item, "li.group");
  assert.deepEqual(plain(outer.rows.map((x) => x.title)), ["Fruit", "Veg"]);
});

test("one example, examples from different lists, nested examples: a clear error each", () => {
  const { SB, document } = load(CARDS);
  const q = (s) => document.querySelector(s);
  const bad = (examples, re) => assert.throws(() => SB.pick.inferItems(document, examples), (e) => e.code === "invalid_params" && re.test(e.message));
  bad([q(".card a")], /at least two examples/);
  bad([q(".card a"), q(".card a")], /at least two examples/);
  bad([q(".card .price"), q("aside li a")], /different lists/);
  bad([q(".card"), q(".card .price")], /contains another/);
  bad([q(".card .title a"), q(".card .price")], /parts of one item/);
  const { items } = SB.pick.inferItems(document, [q(".card a"), q(".card:nth-child(2) a")]);
  assert.throws(() => SB.pick.inferFields(items, items[0], q("aside a")), /inside one of the highlighted items/);
});

test("a third example refines the pick; clicking the item itself picks the whole item", () => {
  const { SB, document } = load(CARDS);
  const cards = Array.from(document.querySelectorAll(".card"));
  const r = SB.pick.inferItems(document, [cards[0], cards[1], cards[3]]);
  assert.equal(r.item, "div.card");
  assert.equal(SB.pick.fieldSelector(r.items, cards[0], cards[0]), ":scope");
});

test("generated-class heuristics", () => {
  const { SB } = load("<p></p>");
  for (const c of ["css-1q2w3e4", "sc-bdVaJa", "kCmVUT", "Card_title__3xYz1", "item-12345", "a1b2c3", "jss42x"]) assert.ok(SB.pick.generatedClass(c), c);
  for (const c of ["card", "product-title", "card__title", "productCard", "ProductCard", "h1", "col-md-6", "mt-2", "is-active"]) assert.ok(!SB.pick.generatedClass(c), c);
});

test("next link: rel=next, a label, or the last link of the pager when nothing else names it", () => {
  const { SB, document } = load(`<div class="pg"><a href="?p=1">Prev</a><a href="?p=2">1</a><a href="?p=3">Next</a></div>
    <a rel="next" href="?x">more</a><button aria-label="Next page">›</button>`);
  assert.equal(SB.pick.nextSelector(document, document.querySelector('a[rel="next"]')), 'a[rel~="next"]');
  assert.equal(SB.pick.nextSelector(document, document.querySelector("button")), 'button[aria-label="Next page"]');
  assert.equal(SB.pick.nextSelector(document, document.querySelector(".pg a:last-child")), "div.pg > a:last-of-type");
});

test("no stable name anywhere: structure and, for the list only, its position", () => {
  const p = load(`<div class="x7Yb2Qa"><div>intro</div></div><div class="q9Zr4Tb">${["a", "b", "c"].map((n) => `<div><a href="/${n}">${n}</a></div>`).join("")}</div>`);
  const r = scrape(p, ["div.q9Zr4Tb > div:nth-child(1) a", "div.q9Zr4Tb > div:nth-child(3) a"], ["div.q9Zr4Tb > div a"]);
  assert.ok(!/x7Yb2Qa|q9Zr4Tb/.test(r.item), r.item);
  assert.match(r.item, /nth-of-type\(2\) > div$/);
  assert.deepEqual(plain(r.rows.map((x) => x.link)), ["a", "b", "c"]);
});

test("three examples, two in one row of a grid: the cards are still the items", () => {
  const row = (names) => `<div class="row">${names.map((n) => `<div class="tile"><p class="name">${n}</p></div>`).join("")}</div>`;
  const p = load(`<div id="grid">${row(["a", "b", "c"])}${row(["d", "e", "f"])}</div>`);
  const r = scrape(p, [".row:nth-child(1) .tile:nth-child(1) p", ".row:nth-child(1) .tile:nth-child(3) p", ".row:nth-child(2) .tile:nth-child(2) p"], [".tile p"]);
  assert.equal(r.item, "div.tile");
  assert.equal(r.rows.length, 6);
});

test("a list inside a web component's open shadow root: picked and extracted through it", () => {
  const p = load(`<shop-list id="host"></shop-list><ol><li class="r"><b>decoy</b></li><li class="r"><b>decoy 2</b></li></ol>`);
  const { SB, document } = p;
  const root = document.getElementById("host").attachShadow({ mode: "open" });
  root.innerHTML = '<div class="wrap"><ul><li class="r"><b>a</b></li><li class="r"><b>b</b></li><li class="r"><b>c</b></li></ul></div>';
  const [a, , c] = root.querySelectorAll("b");
  const { item, items } = SB.pick.inferItems(document, [a, c]);
  assert.equal(item, "ul > li.r", "narrowed past the light-DOM decoys");
  assert.equal(items.length, 3);
  const fields = SB.pick.inferFields(items, items[1], items[1].querySelector("b"));
  assert.deepEqual(plain(SB.extract.structured(document, SB.pick.schemaFor(item, fields)).rows.map((r) => r.text)), ["a", "b", "c"]);
  assert.throws(() => SB.pick.inferItems(document, [a, document.querySelector("ol b")]), (e) => e.code === "invalid_params" && /one document or shadow root/.test(e.message));
  const closed = document.createElement("div");
  document.body.appendChild(closed);
  const hidden = closed.attachShadow({ mode: "closed" });
  hidden.innerHTML = "<ul><li><i>x</i></li><li><i>y</i></li></ul>";
  assert.throws(() => SB.pick.inferItems(document, Array.from(hidden.querySelectorAll("i"))), /one document or shadow root/, "a closed root cannot be extracted, so it cannot be picked");
});

test("items that are links themselves: the URL comes from the item (:scope)", () => {
  const p = load(`<div class="results">${["one", "two", "three"].map((n) => `<a class="hit" href="/r/${n}"><span class="label">${n}</span></a>`).join("")}</div>`);
  const r = scrape(p, [".hit:nth-child(1) span", ".hit:nth-child(2) span"], [".hit span"]);
  assert.equal(r.item, "a.hit");
  assert.deepEqual(plain(r.schema.fields), { label: "span.label", label_url: { selector: ":scope", attr: "href" } });
  assert.deepEqual(plain(r.rows.map((x) => x.label_url)), ["one", "two", "three"].map((n) => `http://127.0.0.1:8000/r/${n}`));
});

test("a news table where each story is a row plus a subtext row: the story rows, the title link past the vote link", () => {
  const story = (i) => `<tr class="athing submission" id="${4000 + i}"><td class="title"><span class="rank">${i}.</span></td>
    <td class="votelinks"><center><a id="up_${4000 + i}" href="vote?id=${i}"><div class="votearrow"></div></a></center></td>
    <td class="title"><span class="titleline"><a href="https://ex.org/${i}">Story ${i}</a> <span class="sitebit">(ex.org)</span></span></td></tr>
    <tr><td colspan="2"></td><td class="subtext"><span class="score">${i * 10} points</span></td></tr><tr class="spacer"></tr>`;
  const p = load(`<table id="hnmain"><tr><td><table><tbody>${[1, 2, 3, 4].map(story).join("")}</tbody></table></td></tr></table>`);
  const r = scrape(p, ['tr[id="4001"] .titleline a', 'tr[id="4003"] .titleline a'], ['tr[id="4002"] .titleline a', 'tr[id="4002"] .rank']);
  assert.equal(r.item, "tr.athing.submission");
  assert.equal(r.schema.fields.titleline, "span.titleline > a", "not the first link of the row (the vote arrow)");
  assert.deepEqual(plain(r.rows.map((x) => [x.rank, x.titleline, x.titleline_url])), [1, 2, 3, 4].map((i) => [`${i}.`, `Story ${i}`, `https://ex.org/${i}`]));
});

test("search results with sponsored look-alikes: a shared data attribute leaves the ads out", () => {
  const hit = (i, kind) => `<div class="s-result-item s-asin" data-asin="B0${i}XYZ" data-index="${i}" data-component-type="${kind}">
    <h2><a class="a-link-normal" href="/dp/${i}"><span>Product ${i}</span></a></h2><span class="a-price">$${i}.99</span></div>`;
  const p = load(`<div class="s-main-slot">${hit(1, "sp-sponsored-result")}${hit(2, "s-search-result")}${hit(3, "s-search-result")}${hit(4, "sp-sponsored-result")}${hit(5, "s-search-result")}</div>`);
  const r = scrape(p, ['[data-index="2"] h2 span', '[data-index="5"] h2 span'], ['[data-index="3"] h2 span', '[data-index="3"] .a-price']);
  assert.equal(r.item, 'div[data-component-type="s-search-result"]');
  assert.deepEqual(plain(r.rows.map((x) => x.a_price)), ["$2.99", "$3.99", "$5.99"]);
});
