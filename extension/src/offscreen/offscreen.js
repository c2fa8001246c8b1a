// Parses HTML fetched by the service worker (browser.fetch) and runs the same extractors the
// content scripts use. The parsed document is inert: DOMParser runs no scripts and loads nothing.
(function () {
  const SB = globalThis.SwarmBridge;

  function parse(html, url) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const base = doc.createElement("base");
    base.href = url;
    (doc.head || doc.documentElement).prepend(base);
    return doc;
  }

  function run({ html, url, extract }) {
    const doc = parse(html, url);
    const title = (doc.title || "").trim();
    if (extract === "article") return { title, ...globalThis.SwarmBridgeArticle.extract(doc, { url }) };
    if (extract === "text") return { title, text: SB.snapshot.clean(doc.body ? doc.body.textContent : "") };
    if (extract === "table") return { title, ...SB.extract.tables(doc) };
    if (extract && typeof extract === "object") return { title, ...SB.extract.structured(doc, extract.schema || extract) };
    throw new SB.BridgeError("invalid_params", `unknown extract ${JSON.stringify(extract)}`);
  }

  chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
    if (!msg || msg.target !== "offscreen" || msg.sb !== 1) return false;
    try {
      sendResponse({ ok: true, result: run(msg) });
    } catch (e) {
      sendResponse({ ok: false, error: { code: e.code || "internal_error", message: String(e.message || e) } });
    }
    return false;
  });
})();
