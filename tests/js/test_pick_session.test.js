// The in-page pick session (content/pick_overlay.js) on jsdom, and the prompt's recipe builder
// (ui/prompt/recipe.js): steps, what a pick adds, errors kept in the state, the closed overlay,
// page-made clicks ignored, Esc, and the trigger/job spec sent to the daemon.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { page, EXT } = require("./helpers.js");

const SHOP = `<section id="list">${["Tent", "Stove", "Lamp"].map((n, i) => `<article class="card"><h3><a href="/p/${i}">${n}</a></h3><b class="price">$${i + 1}</b></article>`).join("")}</section>
  <nav><a class="next" href="?page=2">Next</a></nav>`;
const plain = (x) => JSON.parse(JSON.stringify(x));

function session() {
  const p = page(SHOP, { scripts: ["refs", "extract", "pick", "pick_overlay"] });
  const q = (s) => p.document.querySelector(s);
  const qa = (s) => Array.from(p.document.querySelectorAll(s));
  const state = p.SB.pickSession.commands.start({ key: "k1" });
  return { ...p, q, qa, state, s: p.SB.pickSession.current(), cmd: p.SB.pickSession.commands };
}

test("a session: examples -> items, fields, next link, live rows from the one extractor", () => {
  const { q, qa, s, cmd, state, document } = session();
  assert.equal(state.step, "items");
  const host = document.querySelector("swarmbridge-pick");
  assert.ok(host, "the overlay is in the page");
  assert.equal(host.shadowRoot, null, "its shadow root is closed: page scripts cannot reach in");
  s.pick(qa(".card a")[0]);
  assert.equal(cmd.state().item, null, "one example is not enough");
  s.pick(qa(".card .price")[2]);
  let st = cmd.state();
  assert.deepEqual([st.item, st.count, st.examples], ["article.card", 3, 2]);
  assert.equal(cmd.step({ step: "fields" }).step, "fields");
  s.pick(qa(".card a")[1]);
  s.pick(qa(".card .price")[1]);
  cmd.step({ step: "next" });
  s.pick(q("a.next"));
  st = cmd.state();
  assert.deepEqual(plain(st.fields.map((f) => f.name)), ["title", "title_url", "price"]);
  assert.equal(st.next, "a.next");
  assert.deepEqual(plain(st.rows.map((r) => [r.title, r.price])), [["Tent", "$1"], ["Stove", "$2"], ["Lamp", "$3"]]);
  assert.deepEqual(plain(st.schema), { item: "article.card", fields: { title: "a", title_url: { selector: "a", attr: "href" }, price: "b.price" }, next: "a.next" });
  cmd.rename({ index: 2, name: "cost" });
  cmd.remove({ index: 1 });
  assert.deepEqual(Object.keys(cmd.state().schema.fields), ["title", "cost"]);
  assert.equal(cmd.step({ step: "done" }).step, "done");
  assert.equal(document.querySelector("swarmbridge-pick"), null, "done removes the overlay");
  assert.deepEqual(Object.keys(cmd.state().rows[0]), ["title", "cost"], "the state stays for the prompt window");
});

test("one example picked: hovering a second shows the list it would make", () => {
  const { qa, q, s, cmd } = session();
  assert.equal(s.guessFor(qa(".card a")[1]).length, 0, "nothing to guess from before the first example");
  s.pick(qa(".card a")[0]);
  assert.equal(s.guessFor(qa(".card .price")[2]).length, 3);
  assert.equal(s.guessFor(q("nav a")).length, 0, "a pair from different lists makes none");
  assert.equal(s.guessFor(qa(".card")[0]).length, 0, "nor an element around the example");
  s.pick(qa(".card a")[2]);
  assert.equal(s.guessFor(qa(".card a")[1]).length, 0, "two examples: the real items are drawn instead");
  assert.equal(cmd.state().count, 3);
});

test("mistakes are kept in the state as messages, nothing is lost", () => {
  const { qa, q, s, cmd } = session();
  assert.match(cmd.step({ step: "fields" }).error, /two examples of the item first/);
  assert.equal(cmd.state().step, "items");
  s.pick(qa(".card a")[0]);
  s.pick(q("nav a"));
  assert.match(cmd.state().error, /different lists/);
  s.pick(q("nav a")); // a second click takes the example back
  s.pick(qa(".card a")[2]);
  assert.equal(cmd.state().count, 3);
  assert.equal(cmd.state().error, "");
  cmd.step({ step: "fields" });
  s.pick(q("nav a"));
  assert.match(cmd.state().error, /inside one of the highlighted items/);
  assert.equal(cmd.state().fields.length, 0);
  s.pick(qa(".card .price")[0]);
  s.pick(qa(".card .price")[2]); // the same field again (in another item) takes it back
  assert.equal(cmd.state().fields.length, 0);
  s.pick(qa(".card a")[0]);
  s.pick(qa(".card .price")[0]);
  s.pick(qa(".card a")[1]); // title and its URL are there already: both go
  assert.deepEqual(plain(cmd.state().fields.map((f) => f.name)), ["price"]);
  assert.throws(() => cmd.rename({ index: 0, name: "bad name!" }), /a field name is/);
  assert.throws(() => cmd.remove({ index: 5 }), (e) => e.code === "not_found");
  assert.throws(() => cmd.step({ step: "nowhere" }), (e) => e.code === "invalid_params");
});

test("page-made clicks are not picks; Esc cancels and lets the page have its clicks back", () => {
  const { window, document, qa, cmd } = session();
  let pageSaw = 0;
  document.addEventListener("click", () => pageSaw++);
  const fake = new window.MouseEvent("click", { bubbles: true, cancelable: true });
  qa(".card a")[0].dispatchEvent(fake); // isTrusted is false: a page script cannot pick for the user
  assert.equal(cmd.state().examples, 0);
  assert.equal(pageSaw, 1);
  document.body.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  assert.equal(cmd.state().step, "cancelled");
  assert.equal(document.querySelector("swarmbridge-pick"), null);
  assert.equal(cmd.start({ key: "k2" }).key, "k2", "the menu can start over");
  const s2 = window.SwarmBridge.pickSession.current();
  s2.pick(qa(".card a")[0]);
  qa(".card")[0].remove(); // the page re-renders its list
  s2.pick(qa(".card a")[1]);
  assert.deepEqual([cmd.state().examples, cmd.state().error], [1, ""], "a removed example is forgotten, not an error");
  assert.equal(cmd.stop({ key: "k1" }).step, "items", "an older prompt window closing leaves the new session alone");
  assert.equal(cmd.stop({ key: "k2" }).step, "cancelled");
});

async function recipe() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sbrecipe-"));
  fs.copyFileSync(path.join(EXT, "src", "ui", "prompt", "recipe.js"), path.join(dir, "recipe.js"));
  fs.writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
  return import(path.join(dir, "recipe.js"));
}

test("recipe: the scrape trigger and job spec the prompt sends, and its refusals", async () => {
  const { triggerFor, jobSpec, defaultKey, defaultName, columns } = await recipe();
  const state = { url: "http://127.0.0.1:9/shop", item: "article.card", next: "a.next",
    fields: [{ name: "title", selector: "a" }, { name: "title_url", selector: "a", attr: "href" }],
    schema: { item: "article.card", fields: { title: "a", title_url: { selector: "a", attr: "href" } }, next: "a.next" } };
  assert.equal(defaultKey(state.fields), "title_url");
  assert.equal(defaultKey([{ name: "a" }]), "a");
  assert.equal(defaultName("https://shop.example.org/list"), "shop-example-org-list");
  assert.equal(defaultName("not a url"), "list-list");
  const t = triggerFor(state, {}, { scroll: true, maxPages: "4", key: "title", format: "xlsx", notify: false });
  assert.deepEqual(t, { kind: "scrape", url: state.url, wait_selector: "article.card", scroll: false, schema: { ...state.schema, scroll: true },
    notify_on_change: false, paginate: { maxPages: 4 }, key: "title", output: "xlsx" }, "scroll every page the next link reaches");
  assert.equal(state.schema.scroll, undefined, "the pick's own schema is left alone");
  const plainT = triggerFor({ ...state, next: null }, {}, {});
  assert.equal(plainT.paginate, undefined);
  assert.equal(plainT.scroll, false);
  const feed = triggerFor({ ...state, next: null }, {}, { scroll: true });
  assert.deepEqual([feed.scroll, feed.item_selector, feed.schema.scroll], [true, "article.card", undefined], "an infinite list scrolls once, before extracting");
  assert.throws(() => triggerFor({ ...state, item: null }, {}), /two examples/);
  assert.throws(() => triggerFor({ ...state, fields: [] }, {}), /at least one field/);
  assert.throws(() => triggerFor(state, {}, { maxPages: 0 }), /1 to 200/);
  assert.throws(() => triggerFor(state, {}, { key: "price" }), /not one of the fields/);
  assert.throws(() => triggerFor(state, {}, { format: "pdf" }), /unknown output format/);
  assert.deepEqual(jobSpec(" shop ", "*/30 * * * *", "Europe/Berlin", t), { name: "shop", cron: "*/30 * * * *", tz: "Europe/Berlin", trigger: t });
  assert.throws(() => jobSpec("my shop", "@daily", "UTC", t), /schedule name/);
  assert.throws(() => jobSpec("shop", " ", "UTC", t), /cron expression/);
  assert.deepEqual(columns([{ a: 1 }, { b: 2, a: 3 }]), ["a", "b"]);
});

test("recipe: selectors typed by hand round-trip with the pick's fields and give the same schema shape", async () => {
  const { parseFields, fieldsText, manualState, triggerFor } = await recipe();
  const text = 'title=h3 a\nurl = h3 a@href\nmeta=span[class*="Card_meta__"]';
  const fields = parseFields(text);
  assert.deepEqual(fields, [{ name: "title", selector: "h3 a" }, { name: "url", selector: "h3 a", attr: "href" }, { name: "meta", selector: 'span[class*="Card_meta__"]' }]);
  assert.equal(fieldsText(fields), 'title=h3 a\nurl=h3 a@href\nmeta=span[class*="Card_meta__"]');
  const st = manualState("k", "http://x/list", " li.r ", text, " a.next ");
  assert.deepEqual(st.schema, { item: "li.r", fields: { title: "h3 a", url: { selector: "h3 a", attr: "href" }, meta: 'span[class*="Card_meta__"]' }, next: "a.next" });
  assert.equal(triggerFor(st, {}).paginate.maxPages, 10);
  assert.throws(() => parseFields("no equals sign"), /cannot read the field line/);
  assert.throws(() => parseFields("a=x\na=y"), /twice/);
  assert.throws(() => parseFields("  \n "), /at least one field/);
  assert.throws(() => manualState("k", "u", " ", "a=b", ""), /each item/);
});

test("an infinite list that grows while picking: new items are outlined and counted after a scroll", async () => {
  const { window, document, qa, s, cmd } = session();
  s.pick(qa(".card a")[0]);
  s.pick(qa(".card a")[1]);
  assert.equal(cmd.state().count, 3);
  const more = document.createElement("article");
  more.className = "card";
  more.innerHTML = '<h3><a href="/p/9">Rope</a></h3><b class="price">$9</b>';
  document.getElementById("list").appendChild(more);
  window.dispatchEvent(new window.Event("scroll"));
  await new Promise((r) => setTimeout(r, 60)); // one animation frame
  assert.equal(cmd.state().count, 4);
});

test("the scrape menu shows where a list's items are right-clicked (page, selection, link, image)", async () => {
  const { sw } = require("./helpers.js");
  const { MENUS, sourceOf } = await sw("menus");
  const scrape = MENUS.find((m) => m.id === "sb-scrape");
  assert.deepEqual(scrape.contexts, ["page", "selection", "link", "image"]);
  const src = sourceOf({ menuItemId: "sb-scrape", linkUrl: "http://x/p/1", pageUrl: "http://x/list" }, { id: 4, url: "http://x/list", title: "List" });
  assert.deepEqual(src, { kind: "page", tabId: 4, url: "http://x/list", title: "List" }, "the page is the source, not the link");
});

test("the extension side of a session: injection on demand and replies mapped to bridge errors", async () => {
  const { sw } = require("./helpers.js");
  const { startPick, pickCommand, PICK_FILES } = await sw("handlers/pick");
  const injected = [];
  let reply = { ok: true, result: { step: "items", key: "k" } };
  globalThis.chrome = {
    scripting: { executeScript: async (o) => { if (o.files.includes("src/content/pick.js") && globalThis.refuse) throw new Error("Cannot access a chrome:// URL"); injected.push(o.files); } },
    tabs: { sendMessage: async (tab, msg, opts) => { if (reply instanceof Error) throw reply; return msg.sbPick === "cmd" && opts.frameId === 0 ? reply : undefined; } },
  };
  try {
    assert.deepEqual(await startPick(7, "k"), { step: "items", key: "k" });
    assert.ok(injected[0].includes("src/content/extract.js"), "the usual content scripts first (the preview reuses the extractor)");
    assert.deepEqual(injected[1], PICK_FILES);
    reply = { ok: false, error: { code: "invalid_params", message: "a field name is 1-40 letters" } };
    await assert.rejects(pickCommand(7, "rename", { index: 0, name: "!" }), (e) => e.code === "invalid_params" && /1-40/.test(e.message));
    reply = undefined;
    await assert.rejects(pickCommand(7, "state"), (e) => e.code === "unavailable" && /did not answer/.test(e.message));
    reply = new Error("Could not establish connection. Receiving end does not exist.");
    await assert.rejects(pickCommand(7, "state"), (e) => e.code === "unavailable" && /use the menu again/.test(e.message));
    globalThis.refuse = true;
    await assert.rejects(startPick(7, "k"), (e) => e.code === "unavailable" && /cannot pick on this page/.test(e.message));
  } finally {
    delete globalThis.chrome;
    delete globalThis.refuse;
  }
});
