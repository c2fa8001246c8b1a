// Article extraction from a rendered (or parsed) document: title, byline, date, language, and the
// body as plain text and Markdown. Scores text blocks by length, punctuation, link density and
// class/id hints, picks the best container, merges related siblings, then cleans boilerplate inside
// it. Uses layout (visibility) when the document is rendered, static signals when it is not.
(function (root) {
  if (root.SwarmBridgeArticle) return;

  const NEG = /(^|[-_\s])(comment|comments|meta|footer|footnote|foot|related|share|sharing|social|sidebar|sponsor|ad|ads|advert|advertisement|promo|promotion|nav|navbar|menu|newsletter|subscribe|subscription|signup|popup|modal|cookie|consent|banner|masthead|widget|tags|tag-list|breadcrumb|breadcrumbs|outbrain|taboola|recirc|recommend|recommended|more-stories|most-popular|trending|byline|author-bio|bio|toolbar|print|login|disclaimer|hidden|skip|caption|credit|copyright|pagination|pager|rating|jump|toc|in-article-links|read-more|readmore|also|newsletter-signup|inline-ad|related-content|correction-footer)([-_\s]|$)/i;
  const POS = /(^|[-_\s])(article|articlebody|article-body|article__body|body|content|entry|entry-content|main|page|post|post-content|text|blog|story|story-body|prose|rich-text|paragraph)([-_\s]|$)/i;
  const DROP_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "SVG", "CANVAS", "FORM", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "NAV", "ASIDE", "FOOTER", "OBJECT", "EMBED", "VIDEO", "AUDIO", "DIALOG", "MENU"]);
  const BLOCKS = new Set(["P", "DIV", "SECTION", "ARTICLE", "MAIN", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI", "BLOCKQUOTE", "PRE", "TABLE", "TR", "FIGURE", "FIGCAPTION", "HEADER", "DL", "DT", "DD", "HR", "BR"]);
  const clean = (s) => (s || "").replace(/[\s\u00a0]+/g, " ").trim();

  function hint(el) {
    return (el.getAttribute("class") || "") + " " + (el.id || "") + " " + (el.getAttribute("role") || "") + " " + (el.getAttribute("itemprop") || "");
  }

  function makeVisible(doc) {
    const view = doc.defaultView;
    const rendered = !!(view && doc.documentElement && doc.documentElement.isConnected && view.innerHeight > 0 && typeof doc.body?.checkVisibility === "function");
    return (el) => {
      if (el.hidden || el.getAttribute("aria-hidden") === "true") return false;
      const style = (el.getAttribute("style") || "").replace(/\s/g, "");
      if (/display:none|visibility:hidden/i.test(style)) return false;
      if (rendered) return el.checkVisibility({ checkVisibilityCSS: true });
      return true;
    };
  }

  function linkDensity(el) {
    const total = clean(el.textContent).length || 1;
    let links = 0;
    for (const a of el.querySelectorAll("a")) links += clean(a.textContent).length;
    return links / total;
  }

  function meta(doc, names) {
    for (const n of names) {
      const el = doc.querySelector(`meta[property="${n}"], meta[name="${n}"], meta[itemprop="${n}"]`);
      if (el && clean(el.getAttribute("content"))) return clean(el.getAttribute("content"));
    }
    return "";
  }

  function jsonLd(doc) {
    const out = [];
    for (const s of doc.querySelectorAll('script[type="application/ld+json"]')) {
      try {
        const data = JSON.parse(s.textContent);
        const walk = (o) => {
          if (!o || typeof o !== "object") return;
          if (Array.isArray(o)) return o.forEach(walk);
          if (o["@graph"]) walk(o["@graph"]);
          const type = [].concat(o["@type"] || []).join(" ");
          if (/Article|Posting|Report|NewsArticle|BlogPosting/i.test(type)) out.push(o);
        };
        walk(data);
      } catch (_) {
        // page data, possibly malformed: ignore
      }
    }
    return out[0] || null;
  }

  function findTitle(doc, ld) {
    const og = meta(doc, ["og:title", "twitter:title"]);
    const h1 = doc.querySelector("article h1, main h1, h1");
    const h1t = h1 ? clean(h1.textContent) : "";
    if (h1t && h1t.length > 10) return h1t;
    if (ld && typeof ld.headline === "string") return clean(ld.headline);
    if (og) return og;
    return clean((doc.title || "").split(/\s[|–—-]\s/)[0]);
  }

  function findByline(doc, ld) {
    const m = meta(doc, ["author", "article:author", "parsely-author", "sailthru.author"]);
    if (m && !/^https?:/.test(m)) return m;
    if (ld && ld.author) {
      const a = [].concat(ld.author).map((x) => (typeof x === "string" ? x : x && x.name)).filter(Boolean);
      if (a.length) return a.join(", ");
    }
    const el = doc.querySelector('[rel="author"], [itemprop="author"], .byline, .author, [class*="byline"], [class*="author-name"]');
    return el ? clean(el.textContent).slice(0, 200) : "";
  }

  function findDate(doc, ld) {
    const m = meta(doc, ["article:published_time", "datePublished", "og:published_time", "pubdate", "publishdate", "date", "dc.date", "DC.date.issued"]);
    if (m) return m;
    if (ld && ld.datePublished) return String(ld.datePublished);
    const t = doc.querySelector("time[datetime]");
    return t ? t.getAttribute("datetime") : "";
  }

  // Score every element that directly holds paragraph-like text; credit its ancestors.
  function candidates(doc, visible) {
    const scores = new Map();
    const body = doc.body || doc.documentElement;
    const blocks = body.querySelectorAll("p, pre, blockquote, li, h2, h3, div, section, td, span");
    for (const el of blocks) {
      if (el.tagName === "DIV" || el.tagName === "SECTION" || el.tagName === "TD" || el.tagName === "SPAN") {
        // Only count containers that hold text directly (sites that use <div> as paragraphs).
        let direct = "";
        for (const c of el.childNodes) if (c.nodeType === 3) direct += c.nodeValue;
        if (clean(direct).length < 80) continue;
      }
      const text = clean(el.textContent);
      if (text.length < 25) continue;
      if (!visible(el)) continue;
      let s = 1 + (text.match(/[,،、，]/g) || []).length + Math.min(Math.floor(text.length / 100), 3);
      if (el.tagName === "LI" || el.tagName === "H2" || el.tagName === "H3") s *= 0.4;
      let node = el.parentElement;
      for (let level = 0; node && level < 4; level++, node = node.parentElement) {
        const div = level === 0 ? 1 : level === 1 ? 2 : level * 3;
        scores.set(node, (scores.get(node) || 0) + s / div);
      }
    }
    const ranked = [];
    for (const [el, s] of scores) {
      let w = 0;
      const h = hint(el);
      if (NEG.test(h)) w -= 25;
      if (POS.test(h)) w += 25;
      if (el.tagName === "ARTICLE" || el.tagName === "MAIN") w += 15;
      if (el.getAttribute("itemprop") === "articleBody") w += 50;
      ranked.push({ el, score: (s + w) * (1 - linkDensity(el)) });
    }
    ranked.sort((a, b) => b.score - a.score);
    return ranked;
  }

  // Characters of paragraph-like, link-poor, visible text under el.
  function proseMass(el, visible) {
    let n = 0;
    for (const p of el.querySelectorAll("p")) {
      const t = clean(p.textContent).length;
      if (t >= 80 && linkDensity(p) < 0.3 && visible(p) && !p.closest("aside, nav, footer, figure, form, [role=complementary]") && !negAncestor(p, el)) n += t;
    }
    return n;
  }

  function negAncestor(node, stop) {
    for (let n = node.parentElement; n && n !== stop; n = n.parentElement) if (NEG.test(hint(n))) return true;
    return false;
  }

  function pickContainer(doc, visible) {
    const ranked = candidates(doc, visible);
    if (!ranked.length) return { el: doc.body, score: 0, scores: new Map() };
    let top = ranked[0];
    // Prefer an ancestor when the top candidate is only one of several strong siblings.
    const strong = ranked.filter((r) => r.score >= top.score * 0.6).slice(0, 5);
    if (strong.length >= 3) {
      let anc = top.el.parentElement;
      while (anc && anc !== doc.body) {
        const within = strong.filter((r) => anc.contains(r.el)).length;
        if (within >= 3) {
          if (!NEG.test(hint(anc)) && linkDensity(anc) < 0.35) top = { el: anc, score: top.score };
          break;
        }
        anc = anc.parentElement;
      }
    }
    // A story split into several blocks (figures, ads or pull quotes between them) sits under an
    // ancestor holding clearly more good paragraph text than the best block alone: climb to it.
    let el = top.el;
    let mass = proseMass(el, visible);
    for (let anc = el.parentElement, up = 0; anc && anc !== doc.body && anc !== doc.documentElement && up < 6; anc = anc.parentElement, up++) {
      const m = proseMass(anc, visible);
      if (m >= mass * 1.25 && m - mass >= 400 && !NEG.test(hint(anc)) && linkDensity(anc) < 0.3) {
        el = anc;
        mass = m;
      }
    }
    return { el, score: top.score, scores: new Map(ranked.map((r) => [r.el, r.score])) };
  }

  // Readability-style: siblings of the chosen container that also look like body text join it
  // (stories split into several blocks by ads, pull quotes or paywall markup).
  function withSiblings(pick, visible) {
    const top = pick.el;
    const parent = top.parentElement;
    if (!parent || top.tagName === "BODY") return [top];
    const threshold = Math.max(10, pick.score * 0.2);
    const cls = top.getAttribute("class") || "";
    const nodes = [];
    for (const sib of parent.children) {
      if (sib === top) {
        nodes.push(sib);
        continue;
      }
      if (!visible(sib) || DROP_TAGS.has(sib.tagName) || NEG.test(hint(sib))) continue;
      let bonus = cls && sib.getAttribute("class") === cls ? pick.score * 0.2 : 0;
      const s = (pick.scores.get(sib) || 0) + bonus;
      if (s >= threshold) {
        nodes.push(sib);
        continue;
      }
      if (sib.tagName === "P") {
        const text = clean(sib.textContent);
        const ld = linkDensity(sib);
        if ((text.length > 80 && ld < 0.25) || (text.length > 0 && ld === 0 && /\.( |$)/.test(text))) nodes.push(sib);
      }
    }
    return nodes;
  }

  function boilerplate(el, visible) {
    if (DROP_TAGS.has(el.tagName)) return true;
    if (!visible(el)) return true;
    const h = hint(el);
    if (NEG.test(h) && !POS.test(h.replace(NEG, ""))) return true;
    const role = el.getAttribute("role");
    if (role && /^(navigation|complementary|contentinfo|banner|dialog|alert|menu|search)$/.test(role)) return true;
    if (/^(UL|OL|DIV|SECTION|TABLE)$/.test(el.tagName)) {
      const text = clean(el.textContent);
      if (text.length && linkDensity(el) > (el.tagName === "DIV" || el.tagName === "SECTION" ? 0.55 : 0.7)) return true;
    }
    if (el.tagName === "FIGURE" || el.tagName === "FIGCAPTION") return true;
    return false;
  }

  // Walk the container, emitting blocks of text and their Markdown.
  function render(container, visible, baseUrl) {
    const text = [];
    const md = [];
    let line = "";
    let mline = "";
    const flush = () => {
      const t = clean(line);
      if (t) {
        text.push(t);
        md.push(mline.replace(/[ \t\u00a0]+/g, " ").trim());
      }
      line = "";
      mline = "";
    };
    const abs = (u) => {
      try {
        return new URL(u, baseUrl).href;
      } catch (_) {
        return u;
      }
    };
    function walk(node, ctx) {
      if (node.nodeType === 3) {
        line += node.nodeValue;
        mline += node.nodeValue.replace(/([*_`\[\]])/g, "\\$1");
        return;
      }
      if (node.nodeType !== 1) return;
      const el = node;
      if (el !== container && boilerplate(el, visible)) return;
      const tag = el.tagName;
      if (tag === "BR") {
        line += " ";
        mline += "  \n";
        return;
      }
      if (tag === "IMG") {
        const alt = clean(el.getAttribute("alt"));
        const src = el.getAttribute("src");
        if (src && alt) mline += ` ![${alt}](${abs(src)}) `;
        return;
      }
      const block = BLOCKS.has(tag);
      if (block) flush();
      let close = "";
      if (/^H[1-6]$/.test(tag)) mline += "#".repeat(Number(tag[1])) + " ";
      else if (tag === "LI") mline += (ctx.ordered ? `${(ctx.n = (ctx.n || 0) + 1)}. ` : "- ");
      else if (tag === "BLOCKQUOTE") ctx = { ...ctx, quote: true };
      else if (tag === "A" && el.getAttribute("href") && !/^(javascript|#)/.test(el.getAttribute("href"))) {
        mline += "[";
        close = `](${abs(el.getAttribute("href"))})`;
      } else if (tag === "STRONG" || tag === "B") {
        mline += "**";
        close = "**";
      } else if (tag === "EM" || tag === "I") {
        mline += "_";
        close = "_";
      } else if (tag === "CODE" && el.parentElement && el.parentElement.tagName !== "PRE") {
        mline += "`";
        close = "`";
      }
      if (ctx.quote && block && tag !== "BLOCKQUOTE") mline += "> ";
      const childCtx = tag === "OL" ? { ...ctx, ordered: true, n: 0 } : tag === "UL" ? { ...ctx, ordered: false } : ctx;
      for (let c = el.firstChild; c; c = c.nextSibling) walk(c, childCtx);
      mline += close;
      if (block) flush();
    }
    walk(container, {});
    flush();
    return { text, md };
  }

  function extract(doc, opts = {}) {
    const url = opts.url || (doc.location && doc.location.href) || "";
    const visible = makeVisible(doc);
    const ld = jsonLd(doc);
    const title = findTitle(doc, ld);
    const pick = pickContainer(doc, visible);
    let text = [];
    let md = [];
    for (const node of withSiblings(pick, visible)) {
      const part = render(node, visible, url);
      text = text.concat(part.text);
      md = md.concat(part.md);
    }
    // The same paragraph twice (responsive duplicates, print copies) counts once.
    const seen = new Set();
    const unique = text.map((t) => {
      if (t.length < 40) return true;
      if (seen.has(t)) return false;
      seen.add(t);
      return true;
    });
    text = text.filter((_, i) => unique[i]);
    md = md.filter((_, i) => unique[i]);
    // Drop a leading repeat of the title, and trailing one-line crumbs ("Share", "Advertisement").
    if (text.length && clean(text[0]) === title) {
      text = text.slice(1);
      md = md.slice(1);
    }
    const keep = text.map((t) => !/^(advertisement|share( this)?|read more|related|subscribe|sponsored)$/i.test(t));
    text = text.filter((_, i) => keep[i]);
    md = md.filter((_, i) => keep[i]);
    const lang = (doc.documentElement.getAttribute("lang") || meta(doc, ["og:locale", "language"]) || "").split(/[-_]/)[0].toLowerCase();
    return {
      title,
      byline: findByline(doc, ld),
      date: findDate(doc, ld),
      lang,
      text: text.join("\n\n"),
      markdown: (title ? `# ${title}\n\n` : "") + md.join("\n\n"),
      length: text.reduce((n, t) => n + t.length, 0),
    };
  }

  root.SwarmBridgeArticle = { extract };
  if (typeof module !== "undefined" && module.exports) module.exports = root.SwarmBridgeArticle;
})(typeof globalThis !== "undefined" ? globalThis : this);
