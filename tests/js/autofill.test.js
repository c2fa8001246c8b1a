const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { page, AUTOFILL } = require("./helpers.js");

const FORMS = path.join(__dirname, "..", "fixtures", "forms");
const load = (name) => page(fs.readFileSync(path.join(FORMS, name), "utf8"), { scripts: AUTOFILL });

test("every labelled field of the fixture forms is classified as expected", () => {
  let total = 0;
  const misses = [];
  for (const name of fs.readdirSync(FORMS).filter((f) => f.endsWith(".html"))) {
    const { SB, document } = load(name);
    const fields = SB.autofill.classify(document);
    for (const f of fields) {
      const want = f.el.getAttribute("data-expect");
      if (!want) continue;
      total++;
      if (want !== f.type) misses.push(`${name} ${f.el.name}: ${f.type} != ${want}`);
    }
  }
  // A development set of real-world markup (checkouts, sign-ups, bookings, government and bank
  // forms in a dozen languages): a floor, not a perfect score, so a rule is never bent to one page.
  assert.ok(total >= 450, `labelled fields: ${total}`);
  assert.ok((total - misses.length) / total >= 0.97, `accuracy ${(total - misses.length)}/${total}; misses:\n${misses.join("\n")}`);
});

test("shipping and billing sections are told apart", () => {
  const { SB, document } = load("billing-shipping.html");
  const sections = SB.autofill.describe(document).filter((f) => f.type === "postal-code").map((f) => f.section);
  assert.deepEqual(JSON.parse(JSON.stringify(sections)), ["shipping", "billing"]);
});

const PROFILE = {
  "given-name": "Ada", "family-name": "Lovelace", email: "ada@example.org", tel: "+1 (415) 555-0134",
  "address-line1": "12 Analytical Way", "address-level2": "Springfield", "address-level1": "CA", "postal-code": "94016",
  country: "US", organization: "Engines Ltd", "cc-number": "4111111111111111", "cc-exp-month": "7", "cc-exp-year": "2029",
};

test("fill uses real setters and events, matches options, skips payment data by default, never submits", () => {
  const { SB, window, document } = load("us-checkout.html");
  let submitted = 0;
  document.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); submitted++; });
  const changes = [];
  document.getElementById("s_fn").addEventListener("input", (e) => changes.push(e.target.value));
  const r = SB.autofill.fill(document, PROFILE);
  assert.equal(document.getElementById("s_fn").value, "Ada");
  assert.deepEqual(changes, ["Ada"]);
  assert.equal(document.getElementById("s_state").value, "CA");
  assert.equal(document.getElementById("s_phone").value, "+1 (415) 555-0134");
  assert.equal(document.getElementById("cc_num").value, "", "card number needs explicit permission");
  assert.match(r.fields.find((f) => f.type === "cc-number").reason, /sensitive/);
  assert.equal(submitted, 0);
  const withCard = SB.autofill.fill(document, PROFILE, { includeSensitive: true });
  assert.equal(document.getElementById("cc_num").value, "4111111111111111");
  assert.equal(document.getElementById("cc_m").value, "07", "month 7 matches option 07");
  assert.equal(document.getElementById("cc_y").value, "2029");
  assert.equal(withCard.fields.find((f) => f.type === "cc-number").value, "••••", "previews never echo card numbers");
});

test("preview reports values without touching the page; split phone gets its parts", () => {
  const { SB, document } = load("split-phone.html");
  const prev = SB.autofill.fill(document, { ...PROFILE, name: "Ada Lovelace" }, { preview: true });
  assert.equal(document.querySelector("[name=ph1]").value, "");
  const byType = Object.fromEntries(prev.fields.filter((f) => f.filled).map((f) => [f.type, f.value]));
  assert.equal(byType["tel-area-code"], "415");
  assert.equal(byType["tel-local-prefix"], "555");
  assert.equal(byType["tel-local-suffix"], "0134");
  assert.equal(byType.name, "Ada Lovelace");
  SB.autofill.fill(document, { ...PROFILE, name: "Ada Lovelace" });
  assert.equal(document.querySelector("[name=ph3]").value, "0134");
});

test("a whole street address goes into a one-line box with commas, into a textarea with its line breaks", () => {
  const { SB, document } = page('<form><label for="a">Address</label><input id="a"></form><form><label for="t">Address</label><textarea id="t"></textarea></form>', { scripts: AUTOFILL });
  const profile = { "address-line1": "Hauptstr. 5", "address-line2": "Hinterhaus, 2. OG" };
  const out = SB.autofill.fill(document, profile);
  assert.equal(document.getElementById("a").value, "Hauptstr. 5, Hinterhaus, 2. OG", "an input drops line breaks: they must not glue the lines together");
  assert.equal(out.fields[0].value, "Hauptstr. 5, Hinterhaus, 2. OG", "the preview shows what is filled");
  assert.equal(document.getElementById("t").value, "Hauptstr. 5\nHinterhaus, 2. OG");
});
