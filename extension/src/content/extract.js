// Structured extraction: a schema of fields over repeated items, and tables as rows. Works on a
// live document (content script) and on a parsed one (offscreen document, node tests).
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.extract) return;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);
  const clean = (s) => (s || "").replace(/\s+/g, " ").trim();

  function textOf(el) {
    return clean(el.innerText !== undefined && el.ownerDocument.defaultView && el.isConnected ? el.innerText : el.textContent);
  }

  function fieldValue(item, spec) {
    if (typeof spec === "string") spec = { selector: spec };
    if (!spec || typeof spec !== "object") throw E("invalid_params", "a field is a CSS selector or {selector, attr}");
    let el = item;
    if (spec.selector && spec.selector !== ":scope") {
      try {
        el = item.querySelector(spec.selector);
      } catch (e) {
        throw E("invalid_params", `bad selector ${spec.selector}: ${e.message}`);
      }
    }
    if (!el) return null;
    if (spec.attr) {
      if (spec.attr === "href" || spec.attr === "src") {
        const v = el.getAttribute(spec.attr);
        if (v == null) return null;
        try {
          return new URL(v, el.ownerDocument.baseURI).href;
        } catch (_) {
          return v;
        }
      }
      return el.getAttribute(spec.attr);
    }
    if (spec.html) return el.innerHTML;
    return textOf(el);
  }

  function structured(doc, schema) {
    if (!schema || typeof schema.item !== "string" || !schema.fields || typeof schema.fields !== "object") {
      throw E("invalid_params", "schema needs item (CSS) and fields {name: CSS | {selector, attr}}");
    }
    let items;
    try {
      items = SB.refs.querySelectorAllDeep(doc, schema.item);
    } catch (e) {
      throw E("invalid_params", `bad item selector: ${e.message}`);
    }
    const rows = [];
    for (const item of items) {
      const row = {};
      for (const [name, spec] of Object.entries(schema.fields)) row[name] = fieldValue(item, spec);
      rows.push(row);
    }
    let next = null;
    if (schema.next) {
      const a = SB.refs.querySelectorDeep(doc, schema.next);
      if (a && !a.disabled && a.getAttribute("aria-disabled") !== "true") next = a.getAttribute("href") ? new URL(a.getAttribute("href"), doc.baseURI).href : "click";
    }
    return { rows, next };
  }

  function tables(doc, { selector = "table", maxRows = 5000 } = {}) {
    const out = [];
    for (const table of SB.refs.querySelectorAllDeep(doc, selector)) {
      const trs = Array.from(table.rows || table.querySelectorAll("tr"));
      if (!trs.length) continue;
      let headers = [];
      let start = 0;
      const headRow = table.tHead && table.tHead.rows[0];
      if (headRow) {
        headers = Array.from(headRow.cells).map(textOf);
        start = trs.indexOf(headRow) + 1;
      } else if (trs[0].querySelectorAll("th").length && !trs[0].querySelectorAll("td").length) {
        headers = Array.from(trs[0].cells).map(textOf);
        start = 1;
      }
      const rows = [];
      for (const tr of trs.slice(start, start + maxRows)) {
        if (tr.parentElement && tr.parentElement.tagName === "THEAD") continue;
        const cells = Array.from(tr.cells).map(textOf);
        if (!cells.length) continue;
        rows.push(headers.length === cells.length ? Object.fromEntries(headers.map((h, i) => [h || `col${i + 1}`, cells[i]])) : cells);
      }
      const caption = table.caption ? textOf(table.caption) : "";
      out.push({ caption, headers, rows });
    }
    return { tables: out };
  }

  // Search results: the engine's own selectors when known, else a generic reading (links whose
  // text is a heading, with the nearest following block of text as the snippet).
  function searchResults(doc, spec, max = 10) {
    const results = [];
    const seen = new Set();
    const push = (title, url, snippet) => {
      if (!title || !url || seen.has(url) || !/^https?:/.test(url)) return;
      seen.add(url);
      results.push({ title: clean(title), url, snippet: clean(snippet).slice(0, 400) });
    };
    const abs = (a) => { try { return new URL(a.getAttribute("href"), doc.baseURI).href; } catch (_) { return null; } };
    if (spec.item) {
      for (const item of doc.querySelectorAll(spec.item)) {
        const t = spec.title ? item.querySelector(spec.title) : item;
        const a = spec.link ? item.querySelector(spec.link) : item.querySelector("a[href]");
        const s = spec.snippet ? item.querySelector(spec.snippet) : null;
        if (t && a) push(textOf(t), abs(a), s ? textOf(s) : "");
        if (results.length >= max) return { results };
      }
      if (results.length) return { results };
    }
    for (const h of doc.querySelectorAll("h2, h3")) {
      const a = h.querySelector("a[href]") || h.closest("a[href]");
      if (!a) continue;
      let snippet = "";
      const box = h.closest("li, article, div") || h.parentElement;
      if (box) for (const p of box.querySelectorAll("p, span, div")) { const t = textOf(p); if (t.length > 40 && !t.includes(textOf(h))) { snippet = t; break; } }
      push(textOf(h), abs(a), snippet);
      if (results.length >= max) break;
    }
    return { results };
  }

  SB.extract = { structured, tables, fieldValue, searchResults };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
