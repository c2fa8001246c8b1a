// The small window a context-menu click opens: shows what is being sent and asks what to do.
// "Scrape this list" builds a structured-extraction schema, previews rows from the live page and
// saves a schedule (the daemon runs it through the scheduler; no model needed).
import { UiBridge } from "../shared/bridge.js";
import { runRequest } from "../../sw/menus.js";

const bridge = new UiBridge("prompt");
const $ = (id) => document.getElementById(id);
const key = new URLSearchParams(location.search).get("key");

function parseFields(text) {
  const fields = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const m = /^([\w-]+)\s*=\s*(.+?)(?:@(\w[\w-]*))?$/.exec(line);
    if (!m) throw new Error(`cannot read the field line "${line}" (name=CSS or name=CSS@attr)`);
    fields[m[1]] = m[3] ? { selector: m[2].trim(), attr: m[3] } : m[2].trim();
  }
  if (!Object.keys(fields).length) throw new Error("add at least one field");
  return fields;
}

async function main() {
  const stored = (await chrome.storage.session.get(key))[key];
  if (!stored) {
    $("source").textContent = "This prompt has expired; use the menu again.";
    $("go").disabled = true;
    return;
  }
  const { mode, source } = stored;
  $("source").textContent = [source.title, source.url, source.selection && `“${source.selection.slice(0, 400)}”`, source.link && `link: ${source.link}`].filter(Boolean).join("\n");
  if (mode === "scrape") {
    $("heading").textContent = "Scrape this list on a schedule";
    $("send").hidden = true;
    $("scrape").hidden = false;
  }
  $("go").addEventListener("click", async () => {
    const text = $("instruction").value.trim();
    if (!text) return ($("msg").textContent = "Say what to do.");
    $("go").disabled = true;
    try {
      const r = await bridge.call("runs.start", runRequest(text, source));
      $("msg").textContent = `Run ${r.id} started. Follow it with \`swarmbridge runs show ${r.id}\`.`;
      await chrome.storage.session.remove(key);
      setTimeout(() => window.close(), 1500);
    } catch (e) {
      $("msg").textContent = e.message;
      $("go").disabled = false;
    }
  });
  const schema = () => ({ item: $("item").value.trim(), fields: parseFields($("fields").value) });
  $("preview").addEventListener("click", async () => {
    try {
      const r = await bridge.call("browser.extract", { tabId: source.tabId, mode: "structured", schema: schema() });
      $("rows").hidden = false;
      $("rows").textContent = `${r.rows.length} rows\n` + r.rows.slice(0, 10).map((row) => JSON.stringify(row)).join("\n");
    } catch (e) {
      $("smsg").textContent = e.message;
    }
  });
  $("save").addEventListener("click", async () => {
    try {
      const name = $("name").value.trim() || new URL(source.url).hostname.replace(/\W+/g, "-");
      const spec = { name, cron: $("cron").value.trim(), trigger: { kind: "scrape", url: source.url, schema: schema() } };
      await bridge.call("schedule.add", spec);
      $("smsg").textContent = `Saved schedule "${name}".`;
    } catch (e) {
      $("smsg").textContent = e.message;
    }
  });
}

main();
