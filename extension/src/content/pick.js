// Selector inference for point-and-pick scrapes: from two or three clicked examples of a repeated
// item, the CSS selector of every item in that list; from a click inside one item, a field's
// selector relative to the item; from a click on a "next" link, its selector.
//
// Why these rules (see pick.design.md): selectors must survive the next deploy, so generated class
// names (css-in-js hashes, CSS-module suffixes) are never used, stable attributes (data-testid,
// itemprop, role...) come first, then semantic classes, then tag structure; positions
// (:nth-of-type) only when nothing else tells the elements apart. Every candidate is checked
// against the live document before it is accepted. Pure DOM code: runs in the page (isolated
// world) and in node tests against jsdom.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.pick) return;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);

  const STABLE_ATTRS = ["data-testid", "data-test", "data-test-id", "data-qa", "data-cy", "itemprop", "itemtype", "data-type", "data-role", "role", "name"];
  const CELL_ROLES = new Set(["cell", "gridcell", "columnheader", "rowheader"]);

  // ---- names that survive a deploy -------------------------------------------------------------
  function generatedClass(c) {
    if (/^(css|sc|jsx|jss|emotion|svelte|styled|makeStyles|tw)-/i.test(c)) return true; // css-in-js
    if (/\d{3,}/.test(c)) return true; // ids and counters: item-12345
    if (/^_?[A-Za-z0-9]{5,10}$/.test(c) && /\d/.test(c) && /[A-Za-z]/.test(c) && !/^[a-z]+\d$/.test(c)) return true; // a1b2c3, _3xYz1 (h1/col2 are fine)
    if (/^[A-Za-z]{5,8}$/.test(c) && (c.match(/[A-Z]/g) || []).length >= 2 && !/^[A-Z]?[a-z]+([A-Z][a-z]+)*$/.test(c)) return true; // kCmVUT, dxKGbh
    const mod = /__([A-Za-z0-9_-]+)$/.exec(c); // CSS modules: Card_title__3xYz1 (BEM's card__title is fine)
    return !!mod && /\d|[a-z][A-Z]/.test(mod[1]);
  }

  // "Card_title__3xYz1" -> "Card_title__": the part of a CSS-module class that does not change.
  function modulePrefix(c) {
    const m = /^([A-Za-z][\w-]*?__)[A-Za-z0-9_-]+$/.exec(c);
    return m && generatedClass(c) && !/^(css|sc|jsx|jss)-/i.test(c) ? m[1] : null;
  }

  function ident(s) {
    const t = String(s).replace(/[^\w-]/g, (ch) => `\\${ch}`);
    return /^\d/.test(t) ? `\\3${t[0]} ${t.slice(1)}` : t;
  }
  const quote = (v) => `"${String(v).replace(/["\\]/g, (ch) => `\\${ch}`).replace(/\n/g, "\\a ")}"`;
  const tagOf = (el) => el.tagName.toLowerCase();
  // An element's element children, walked (Array.from(children) is slow on jsdom's live collection).
  function kids(el) {
    const out = [];
    for (let c = el ? el.firstElementChild : null; c; c = c.nextElementSibling) out.push(c);
    return out;
  }
  const classes = (el) => Array.from(el.classList || []);
  const stableClasses = (el) => classes(el).filter((c) => !generatedClass(c));

  function common(lists) {
    return lists.length ? lists[0].filter((x) => lists.every((l) => l.includes(x))) : [];
  }

  // Two elements are the same kind of thing: same tag, and their stable classes agree when both
  // have some (a featured card may carry an extra class; a sidebar list has other classes).
  function sameKind(els) {
    const tag = els[0].tagName;
    if (!els.every((e) => e.tagName === tag)) return false;
    const withCls = els.map(stableClasses).filter((l) => l.length);
    return withCls.length < 2 || common(withCls).length > 0;
  }

  const isCell = (el) => el.tagName === "TD" || el.tagName === "TH" || CELL_ROLES.has(el.getAttribute("role") || "");

  // Simple selectors that describe every element of `peers`, best first.
  function simpleCandidates(peers) {
    const tag = tagOf(peers[0]);
    const out = [];
    // Known test/semantic attributes first, then any other data-* attribute all peers share.
    const dataAttrs = Array.from(peers[0].attributes || []).map((a) => a.name).filter((n) => n.startsWith("data-") && !STABLE_ATTRS.includes(n));
    for (const name of [...STABLE_ATTRS, ...dataAttrs]) {
      const vals = peers.map((p) => p.getAttribute(name));
      if (vals[0] !== null && vals[0] !== "" && vals[0].length <= 60 && vals.every((v) => v === vals[0]) && !/\d{3,}/.test(vals[0])) out.push(`${tag}[${name}=${quote(vals[0])}]`);
    }
    const cls = common(peers.map(stableClasses));
    if (cls.length) out.push(tag + cls.slice(0, 2).map((c) => `.${ident(c)}`).join(""));
    const prefixes = common(peers.map((p) => classes(p).map(modulePrefix).filter(Boolean)));
    if (prefixes.length) out.push(`${tag}[class*=${quote(prefixes[0])}]`);
    out.push(tag);
    return out;
  }

  const queryAll = (scope, sel) => Array.from(scope.querySelectorAll(sel));
  // What the extractor will match: extract.js looks through open shadow roots too.
  const deepAll = (doc, sel) => SB.refs.querySelectorAllDeep(doc, sel);
  const sameSet = (a, b) => {
    if (a.length !== b.length) return false;
    const set = new Set(b);
    return a.every((x) => set.has(x));
  };
  // Up to `n` items spread over the list: enough to score a field selector on a long page.
  const sample = (items, n = 200) => (items.length <= n ? items : Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]));

  // A selector that matches `el` and nothing else in `doc`: an id, a unique simple selector, or the
  // parent's unique selector plus a position.
  function uniqueSelector(doc, el) {
    if (el === doc.body || el === doc.documentElement) return tagOf(el);
    if (el.id && !generatedClass(el.id) && deepAll(doc, `#${ident(el.id)}`).length === 1) return `#${ident(el.id)}`;
    for (const c of simpleCandidates([el])) if (deepAll(doc, c).length === 1) return c;
    const parent = el.parentElement;
    if (!parent) return simpleCandidates([el])[0]; // the top of a shadow root: CSS cannot anchor higher
    const same = kids(parent).filter((s) => s.tagName === el.tagName);
    const pos = same.length === 1 ? "" : same[same.length - 1] === el && same.length > 2 ? ":last-of-type" : `:nth-of-type(${same.indexOf(el) + 1})`;
    return `${uniqueSelector(doc, parent)} > ${simpleCandidates([el])[0]}${pos}`;
  }

  function ancestors(el) {
    const out = [];
    for (let e = el; e; e = e.parentElement) out.push(e);
    return out;
  }

  function lowestCommonAncestor(els) {
    const first = ancestors(els[0]);
    return first.find((a) => els.every((e) => a.contains(e)));
  }

  // The elements strictly below `top` on the way down to `el` (top excluded, el included).
  const pathBelow = (top, el) => ancestors(el).slice(0, ancestors(el).indexOf(top)).reverse();

  // Repetition is judged on every class, generated ones included: two spans of different
  // components (css-a1b2c3 vs css-z9y8x7) are different things, two cards of one component alike.
  function alike(a, b) {
    if (a.tagName !== b.tagName) return false;
    const ca = classes(a);
    const cb = classes(b);
    return (!ca.length && !cb.length) || ca.some((c) => cb.includes(c));
  }
  function hasSimilarSibling(el) {
    for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (alike(s, el)) return true;
    for (let s = el.nextElementSibling; s; s = s.nextElementSibling) if (alike(s, el)) return true;
    return false;
  }
  function placeAmongAlike(el) {
    let n = 0;
    for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (alike(s, el)) n++;
    return n;
  }

  // Examples (clicked elements, anywhere inside their items) -> {item: selector, items: [...]}.
  function inferItems(doc, examples) {
    const ex = Array.from(new Set(examples.filter(Boolean)));
    if (ex.length < 2) throw E("invalid_params", "click at least two examples of the repeated item: one example cannot show what repeats");
    if (ex.some((a) => ex.some((b) => a !== b && a.contains(b)))) throw E("invalid_params", "one example contains another: click separate items of the list");
    const top = lowestCommonAncestor(ex);
    const scope = ex[0].getRootNode();
    const inPage = scope === doc || (scope.host && scope.host.isConnected && scope.mode === "open");
    if (!top || !inPage || !ex.every((e) => e.getRootNode() === scope)) {
      throw E("invalid_params", "the examples are not in one document or shadow root: pick examples from one list");
    }
    const paths = ex.map((e) => pathBelow(top, e));
    const depth = Math.min(...paths.map((p) => p.length));
    let best = 0; // deepest repeating level where the examples sit at different places
    let firstRepeat = 0; // shallowest repeating level (when every level has them at one place)
    let firstDistinct = 0;
    for (let d = 0; d < depth; d++) {
      const level = paths.map((p) => p[d]);
      if (!sameKind(level)) {
        if (d === 0 && top !== doc.body && hasSimilarSibling(top)) throw E("invalid_params", "the examples are parts of one item: click the same part of two different items");
        if (d === 0) throw E("invalid_params", `the examples are in different lists (${level.map((l) => simpleCandidates([l])[0]).join(" vs ")}): click examples from one list`);
        break;
      }
      if (new Set(level).size !== level.length) continue; // two examples inside the same element: the items are further down
      if (isCell(level[0])) break; // a table cell is a field of its row, never the item
      if (!firstDistinct) firstDistinct = d + 1;
      if (!level.every(hasSimilarSibling)) continue;
      if (!firstRepeat) firstRepeat = d + 1;
      // Examples that are all the n-th of their kind here (each card's first .row) are more
      // likely a field's wrapper inside the item than the items: the level above wins. A grid
      // picked down one column is the rare loser; a third example in another column settles it.
      const at = level.map(placeAmongAlike);
      if (d === 0 || at.some((i) => i !== at[0])) best = d + 1;
    }
    best = best || firstRepeat || firstDistinct;
    if (!best) throw E("invalid_params", "the examples have no repeated structure in common: click the same part of two different items");
    const levels = Array.from({ length: best }, (_, d) => paths.map((p) => p[d]));
    const parts = levels.map((peers) => simpleCandidates(peers));
    const anchor = uniqueSelector(doc, top);
    const strict = `${anchor} > ${parts.map((c) => c[0]).join(" > ")}`;
    const expected = queryAll(scope, strict);
    // Shortest first: the item alone, then with its parents for context, then anchored.
    const tries = [...parts[best - 1]];
    for (let k = best - 2; k >= 0; k--) tries.push(`${parts.slice(k, best - 1).map((c) => c[0]).join(" > ")} > ${parts[best - 1][0]}`);
    tries.push(`${simpleCandidates([top])[0]} > ${parts.map((c) => c[0]).join(" > ")}`, strict);
    const item = tries.find((t) => sameSet(deepAll(doc, t), expected)) || strict;
    return { item, items: deepAll(doc, item), container: anchor };
  }

  // The element a field names in `item`, found by position only (always right for the picked item).
  function strictPath(item, el) {
    return ":scope > " + pathBelow(item, el).map((e) => {
      const same = kids(e.parentElement).filter((s) => s.tagName === e.tagName);
      return same.length === 1 ? tagOf(e) : `${tagOf(e)}:nth-of-type(${same.indexOf(e) + 1})`;
    }).join(" > ");
  }

  const first = (scope, sel) => {
    try {
      return scope.querySelector(sel);
    } catch (_) {
      return null;
    }
  };

  // A selector relative to the item for `el` (inside `item`), chosen to find the same field in as
  // many of `items` as possible; positions only when nothing else singles the element out.
  function fieldSelector(items, item, el) {
    if (el === item) return ":scope";
    if (!item.contains(el)) throw E("invalid_params", "pick fields inside one of the highlighted items");
    const strict = strictPath(item, el);
    const tries = [...simpleCandidates([el])];
    const parent = el.parentElement;
    if (parent !== item) for (const p of simpleCandidates([parent]).slice(0, -1)) tries.push(`${p} > ${tagOf(el)}`);
    tries.push(strict);
    let best = null;
    let bestScore = -1;
    for (const t of tries) {
      if (first(item, t) !== el) continue;
      let score = 0;
      for (const it of sample(items)) {
        const got = first(it, t);
        const want = first(it, strict);
        if (got && (!want || got === want)) score++;
      }
      if (score > bestScore) [best, bestScore] = [t, score];
    }
    return best || strict;
  }

  const slug = (s) => String(s || "").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);

  // A readable field name: itemprop / test ids, a semantic class, else what the element is.
  // The element's own name first, then its wrappers' inside the item (a link inside h3.title is
  // the title).
  function fieldName(el, used, item) {
    const own = (e) => {
      const attr = e.getAttribute("itemprop") || e.getAttribute("data-field") || e.getAttribute("data-testid");
      const cls = stableClasses(e).map((c) => c.split("__").pop()).find((c) => /[a-z]{3}/i.test(c));
      const mod = classes(e).map(modulePrefix).filter(Boolean).map((c) => c.replace(/__$/, "").split("_").pop())[0];
      return slug(attr) || slug(cls) || slug(mod);
    };
    const chain = item ? pathBelow(item, el).reverse() : [el];
    const byTag = (e) => (/^H[1-6]$/.test(e.tagName) ? "title" : { IMG: "image", TIME: "date" }[e.tagName]);
    const base = chain.map(own).find(Boolean) || chain.map(byTag).find(Boolean) || (el.tagName === "A" ? "link" : "text");
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  }

  // Field specs for a click inside an item: text (or an image's src), plus the link's URL when the
  // click was on or inside a link of the item.
  function inferFields(items, item, el, used = new Set()) {
    const out = [];
    if (el.tagName === "IMG") {
      out.push({ name: fieldName(el, used, item), selector: fieldSelector(items, item, el), attr: "src" });
      return out;
    }
    const name = fieldName(el, used, item);
    out.push({ name, selector: fieldSelector(items, item, el) });
    const link = el.closest("a[href]");
    if (link && item.contains(link)) {
      let url = `${name}_url`;
      for (let n = 2; used.has(url); n++) url = `${name}_url_${n}`;
      used.add(url);
      out.push({ name: url, selector: fieldSelector(items, item, link), attr: "href" });
    }
    return out;
  }

  // The "next page" control: rel=next, its label, a class, else its place among its siblings.
  function nextSelector(doc, el) {
    const a = el.closest("a[href], button, [role=button], [role=link]") || el;
    const tries = [];
    if (/\bnext\b/i.test(a.getAttribute("rel") || "")) tries.push(`${tagOf(a)}[rel~="next"]`);
    for (const attr of ["aria-label", "title"]) if (a.getAttribute(attr)) tries.push(`${tagOf(a)}[${attr}=${quote(a.getAttribute(attr))}]`);
    tries.push(...simpleCandidates([a]).slice(0, -1));
    const parent = a.parentElement;
    const same = kids(parent).filter((s) => s.tagName === a.tagName);
    if (same.length > 1 && same[same.length - 1] === a) tries.push(`${uniqueSelector(doc, parent)} > ${tagOf(a)}:last-of-type`);
    tries.push(uniqueSelector(doc, a));
    const deepFirst = (t) => {
      try {
        return SB.refs.querySelectorDeep(doc, t);
      } catch (_) {
        return null;
      }
    };
    return tries.find((t) => deepFirst(t) === a) || uniqueSelector(doc, a);
  }

  // The schema extract.js runs (the one extractor, live preview and scheduled runs alike).
  function schemaFor(item, fields, next) {
    const schema = { item, fields: {} };
    for (const f of fields) schema.fields[f.name] = f.attr ? { selector: f.selector, attr: f.attr } : f.selector;
    if (next) schema.next = next;
    return schema;
  }

  SB.pick = { inferItems, inferFields, fieldSelector, nextSelector, schemaFor, generatedClass, uniqueSelector };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
