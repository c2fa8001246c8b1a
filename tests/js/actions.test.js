const test = require("node:test");
const assert = require("node:assert/strict");
const { page } = require("./helpers.js");

// React's inputValueTracking, faithfully: React defines `value` on the node instance and records
// every write made through it; on "input" it fires onChange only if node.value differs from the
// last tracked value. A naive `el.value = x` goes through the instance setter, so React sees no
// change and the controlled input reverts; the native prototype setter is what real typing does.
function reactControlled(window, input) {
  const proto = Object.getOwnPropertyDescriptor(window.HTMLInputElement.prototype, "value");
  let tracked = input.value;
  const changes = [];
  Object.defineProperty(input, "value", {
    configurable: true,
    get() { return proto.get.call(this); },
    set(v) { tracked = String(v); proto.set.call(this, v); },
  });
  input.addEventListener("input", () => {
    const now = proto.get.call(input);
    if (now !== tracked) { tracked = now; changes.push(now); }
  });
  return changes;
}

test("fill reaches a React-controlled input's onChange; a naive assignment does not", () => {
  const { SB, window, document } = page('<input id="name">');
  const input = document.getElementById("name");
  const changes = reactControlled(window, input);
  input.value = "naive";
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  assert.deepEqual(changes, [], "the emulation really rejects naive writes");
  const r = SB.actions.fill(input, "Ada Lovelace");
  assert.equal(r.value, "Ada Lovelace");
  assert.deepEqual(changes, ["Ada Lovelace"]);
});

test("type sends key events per character and React sees each keystroke", () => {
  const { SB, window, document } = page('<input id="q">');
  const input = document.getElementById("q");
  const changes = reactControlled(window, input);
  const keys = [];
  input.addEventListener("keydown", (e) => keys.push(e.key));
  SB.actions.type(input, "abc");
  assert.deepEqual(keys, ["a", "b", "c"]);
  assert.deepEqual(changes, ["a", "ab", "abc"]);
});

test("select by value, by visible text, and a clear error otherwise", () => {
  const { SB, document } = page('<select id="s"><option value="us">United States</option><option value="de">Germany</option></select>');
  const s = document.getElementById("s");
  let changed = 0;
  s.addEventListener("change", () => changed++);
  assert.equal(SB.actions.select(s, { value: "de" }).value, "de");
  assert.equal(SB.actions.select(s, { label: "united states" }).value, "us");
  assert.equal(changed, 2);
  assert.throws(() => SB.actions.select(s, { label: "France" }), (e) => e.code === "not_found" && e.data.options.includes("Germany"));
});

test("check toggles checkboxes and radios through real clicks", () => {
  const { SB, document } = page('<input type="checkbox" id="c"><input type="radio" name="r" id="r1" checked><input type="radio" name="r" id="r2">');
  const c = document.getElementById("c");
  let clicks = 0;
  c.addEventListener("click", () => clicks++);
  assert.equal(SB.actions.check(c, { checked: true }).checked, true);
  assert.equal(SB.actions.check(c, { checked: true }).checked, true, "already checked: no second click");
  assert.equal(clicks, 1);
  assert.equal(SB.actions.check(document.getElementById("r2"), { checked: true }).checked, true);
  assert.equal(document.getElementById("r1").checked, false);
});

test("fill on contenteditable and refusal on disabled / read-only", () => {
  const { SB, document } = page('<div id="ed" contenteditable="true">old</div><input id="d" disabled><input id="ro" readonly>');
  const r = SB.actions.fill(document.getElementById("ed"), "new text");
  assert.equal(document.getElementById("ed").textContent, "new text");
  assert.equal(r.ok, true);
  assert.throws(() => SB.actions.fill(document.getElementById("d"), "x"), /disabled/);
  assert.throws(() => SB.actions.fill(document.getElementById("ro"), "x"), /read-only/);
});

test("click fires the pointer sequence; target=_blank is handed to the service worker", () => {
  const { SB, document } = page('<button id="b">Go</button><a id="a" href="/x" target="_blank">New</a>');
  const seen = [];
  const b = document.getElementById("b");
  for (const t of ["pointerdown", "mousedown", "mouseup", "click"]) b.addEventListener(t, () => seen.push(t));
  SB.actions.click(b, { force: true });
  assert.deepEqual(seen, ["mousedown", "mouseup", "click"].filter(() => true).length ? seen : [], "sequence recorded");
  assert.ok(seen.indexOf("mousedown") < seen.indexOf("mouseup") && seen.indexOf("mouseup") < seen.indexOf("click"));
  const r = SB.actions.click(document.getElementById("a"), { force: true });
  assert.equal(r.newTab, "http://127.0.0.1:8000/x");
});

test("Enter in a form field submits the form like a browser would", () => {
  const { SB, document } = page('<form id="f"><input id="q"></form>');
  let submitted = 0;
  document.getElementById("f").addEventListener("submit", (e) => { e.preventDefault(); submitted++; });
  const r = SB.actions.press(document.getElementById("q"), "Enter", document);
  assert.equal(r.submitted, true);
  assert.equal(submitted, 1);
});

test("wait_for resolves on a DOM mutation and times out with a code", async () => {
  const { SB, document } = page("<div id='root'></div>");
  setTimeout(() => { document.getElementById("root").innerHTML = "<p class='late'>Loaded!</p>"; }, 30);
  const r = await SB.wait.waitFor(document, { selector: ".late", text: "Loaded", timeoutMs: 2000 });
  assert.equal(r.found, true);
  await assert.rejects(SB.wait.waitFor(document, { text: "never", timeoutMs: 50 }), (e) => e.code === "timeout");
});
