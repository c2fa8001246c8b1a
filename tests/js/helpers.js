// Test helpers: load the extension's classic content scripts into a fresh jsdom window, and the
// service worker's ES modules from a temp copy marked as a module package.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { JSDOM } = require("jsdom");

const ROOT = path.resolve(__dirname, "..", "..");
const EXT = path.join(ROOT, "extension");
const GOLDEN = path.join(ROOT, "host", "swarmbridge", "protocol", "golden");
const CONTENT = ["refs", "snapshot", "actions", "wait", "extract", "article"];
// Autofill's scripts in the order the service worker injects them (read from sw/frames.js, so a new
// file there is loaded here too): everything up to autofill.js.
const INJECTED = [...fs.readFileSync(path.join(EXT, "src", "sw", "frames.js"), "utf8").matchAll(/"src\/content\/(\w+)\.js"/g)].map((m) => m[1]);
const AUTOFILL = INJECTED.slice(0, INJECTED.indexOf("autofill") + 1);

function page(html, { url = "http://127.0.0.1:8000/page", scripts = CONTENT } = {}) {
  const dom = new JSDOM(html, { url, runScripts: "outside-only", pretendToBeVisual: true });
  for (const name of scripts) {
    dom.window.eval(fs.readFileSync(path.join(EXT, "src", "content", `${name}.js`), "utf8"));
  }
  return { dom, window: dom.window, document: dom.window.document, SB: dom.window.SwarmBridge, Article: dom.window.SwarmBridgeArticle };
}

// The types autofill gives the controls of a form holding `html` on a page in `lang`, in page order
// (plain strings, out of the jsdom realm).
function autofillTypes(html, lang = "") {
  const { SB, document } = page(`<!doctype html><html${lang ? ` lang="${lang}"` : ""}><body><form>${html}</form></body></html>`, { scripts: AUTOFILL });
  return JSON.parse(JSON.stringify(SB.autofill.classify(document).map((f) => f.type)));
}

let swDir;
async function sw(name) {
  if (!swDir) {
    swDir = fs.mkdtempSync(path.join(os.tmpdir(), "sbsw-"));
    fs.cpSync(path.join(EXT, "src", "sw"), swDir, { recursive: true });
    fs.writeFileSync(path.join(swDir, "package.json"), '{"type":"module"}');
  }
  return import(path.join(swDir, `${name}.js`));
}

function golden(name) {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN, name), "utf8"));
}

module.exports = { page, sw, golden, GOLDEN, EXT, AUTOFILL, autofillTypes };
