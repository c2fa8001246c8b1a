// The small window a context-menu click opens: shows what is being sent and asks what to do.
// "Scrape this list" follows the point-and-pick session in the page (scrape.js), previews rows
// and saves a schedule (the daemon runs it through the scheduler; no model needed).
import { UiBridge } from "../shared/bridge.js";
import { runRequest } from "../../sw/menus.js";
import { initScrape } from "./scrape.js";

const bridge = new UiBridge("prompt");
const $ = (id) => document.getElementById(id);
const key = new URLSearchParams(location.search).get("key");

async function main() {
  const stored = (await chrome.storage.session.get(key))[key];
  if (!stored) {
    $("source").textContent = "This prompt has expired; use the menu again.";
    $("go").disabled = true;
    return;
  }
  const { mode, source, pickError } = stored;
  $("source").textContent = [source.title, source.url, source.selection && `“${source.selection.slice(0, 400)}”`, source.link && `link: ${source.link}`].filter(Boolean).join("\n");
  if (mode === "scrape") {
    $("heading").textContent = "Scrape this list on a schedule";
    document.title = "Scrape on a schedule";
    $("send").hidden = true;
    $("scrape").hidden = false;
    window.scrape = initScrape(bridge, key, source, pickError); // its state, readable from devtools and tests
    return;
  }
  $("go").addEventListener("click", async () => {
    const text = $("instruction").value.trim();
    if (!text) return ($("msg").textContent = "Say what to do.");
    $("go").disabled = true;
    try {
      const r = await bridge.call("runs.start", runRequest(text, source));
      $("msg").textContent = `Run ${r.id} started. It shows in the side panel (\`swarmbridge runs show ${r.id}\` in a terminal).`;
      chrome.storage.session.set({ panelTarget: { run: r.id, at: Date.now() } }).catch(() => {}); // the side panel the menu opened shows this run
      await chrome.storage.session.remove(key);
      setTimeout(() => window.close(), 1500);
    } catch (e) {
      $("msg").textContent = e.message;
      $("go").disabled = false;
    }
  });
}

main();
