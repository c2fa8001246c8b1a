// A compact, model-ready view of the page: visible text in reading order with headings, and every
// interactive element inline as [ref role "name" state...]. Open shadow roots are walked; iframes
// are snapshotted by their own injected copy (the service worker stitches frames together).
// Page text is returned as data; nothing in it is ever interpreted.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.snapshot) return;

  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK", "SVG", "CANVAS", "PATH"]);
  const BLOCK = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE",
    "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE",
    "SECTION", "TABLE", "TR", "UL", "BR", "DETAILS", "SUMMARY", "DIALOG", "BODY", "CAPTION", "THEAD", "TBODY",
  ]);
  const ROLE_BY_TAG = { A: "link", BUTTON: "button", SELECT: "combobox", TEXTAREA: "textbox", SUMMARY: "button", OPTION: "option" };
  const INPUT_ROLE = {
    button: "button", submit: "button", reset: "button", image: "button", checkbox: "checkbox", radio: "radio",
    range: "slider", search: "searchbox", email: "textbox", tel: "textbox", url: "textbox", text: "textbox",
    password: "textbox", number: "spinbutton", date: "textbox", "datetime-local": "textbox", month: "textbox",
    time: "textbox", week: "textbox", color: "button", file: "button",
  };
  const INTERACTIVE_ROLES = new Set([
    "button", "link", "checkbox", "radio", "tab", "menuitem", "menuitemcheckbox", "menuitemradio", "switch",
    "option", "combobox", "textbox", "searchbox", "slider", "spinbutton", "treeitem", "listbox",
  ]);
  const NATIVE_CONTROLS = new Set(["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY", "OPTION"]);
  const LEAF_ROLES = new Set(["button", "link", "tab", "menuitem", "menuitemcheckbox", "menuitemradio", "option", "checkbox", "radio", "switch", "slider", "spinbutton", "textbox", "searchbox", "treeitem"]);
  const last = new Map(); // caller -> previous lines (for delta snapshots)

  function clean(s) {
    return (s || "").replace(/\s+/g, " ").trim();
  }
  function cap(s, n) {
    s = clean(s);
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  }

  function roleOf(el) {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit.split(/\s+/)[0];
    const tag = el.tagName;
    if (tag === "INPUT") return INPUT_ROLE[(el.getAttribute("type") || "text").toLowerCase()] || "textbox";
    if (tag === "A") return el.hasAttribute("href") ? "link" : null;
    if (ROLE_BY_TAG[tag]) return ROLE_BY_TAG[tag];
    if (SB.refs.editable(el) && (!el.parentElement || !SB.refs.editable(el.parentElement))) return "textbox";
    return null;
  }

  function isInteractive(el) {
    if (el.tagName === "INPUT" && (el.getAttribute("type") || "").toLowerCase() === "hidden") return false;
    const role = roleOf(el);
    if (role && INTERACTIVE_ROLES.has(role)) return true;
    if (el.tagName === "IFRAME") return false;
    const tabindex = el.getAttribute("tabindex");
    return tabindex !== null && Number(tabindex) >= 0 && el.hasAttribute("onclick");
  }

  function labelText(el) {
    const doc = el.ownerDocument;
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const txt = by.split(/\s+/).map((id) => { const n = doc.getElementById(id); return n ? n.textContent : ""; }).join(" ");
      if (clean(txt)) return txt;
    }
    const aria = el.getAttribute("aria-label");
    if (clean(aria)) return aria;
    if (el.labels && el.labels.length) return Array.from(el.labels).map((l) => l.textContent).join(" ");
    if (el.id) {
      const lab = doc.querySelector(`label[for="${CSS_escape(el.id)}"]`);
      if (lab) return lab.textContent;
    }
    const wrap = el.closest && el.closest("label");
    if (wrap) return wrap.textContent;
    return "";
  }

  function CSS_escape(s) {
    return root.CSS && root.CSS.escape ? root.CSS.escape(s) : String(s).replace(/["\\]/g, "\\$&");
  }

  function nameOf(el, role) {
    let name = labelText(el);
    if (!clean(name)) {
      const tag = el.tagName;
      if (tag === "INPUT" && /^(submit|button|reset)$/i.test(el.type)) name = el.value || el.type;
      else if (tag === "INPUT" || tag === "TEXTAREA") name = el.getAttribute("placeholder") || el.getAttribute("title") || el.getAttribute("name") || "";
      else if (tag === "SELECT") name = el.getAttribute("title") || el.getAttribute("name") || "";
      else if (tag === "IMG") name = el.getAttribute("alt") || "";
      else {
        name = el.innerText !== undefined && role !== "textbox" ? el.innerText : el.textContent;
        if (!clean(name)) {
          const img = el.querySelector && el.querySelector("img[alt], svg[aria-label], [title]");
          if (img) name = img.getAttribute("alt") || img.getAttribute("aria-label") || img.getAttribute("title");
        }
        if (!clean(name)) name = el.getAttribute("title") || "";
      }
    }
    return cap(name, 80);
  }

  // Anti-flicker snippets (e.g. Google Optimize's .async-hide) set opacity 0 on the whole page
  // until their script loads and show it anyway after a time-out: opacity there hides nothing (it
  // emptied whole snapshots). Checked per document at most every 200 ms.
  const transparent = new WeakMap(); // document -> {at, value}
  function pageTransparent(doc) {
    const known = transparent.get(doc);
    if (known && Date.now() - known.at < 200) return known.value;
    const view = doc.defaultView;
    const value = !!(view && view.getComputedStyle) && [doc.documentElement, doc.body].some((e) => e && view.getComputedStyle(e).opacity === "0");
    transparent.set(doc, { at: Date.now(), value });
    return value;
  }

  // On a transparent page: opacity 0 on the element or an ancestor below <body> still hides it.
  function transparentBelowBody(el) {
    const doc = el.ownerDocument;
    const view = doc.defaultView;
    for (let n = el; n && n !== doc.body && n !== doc.documentElement; ) {
      if (n.nodeType === 1 && view.getComputedStyle(n).opacity === "0") return true;
      n = n.parentElement || (n.getRootNode && n.getRootNode().host) || null;
    }
    return false;
  }

  function visible(el) {
    if (el.hidden || el.getAttribute("aria-hidden") === "true") return false;
    if (typeof el.checkVisibility === "function") {
      if (!pageTransparent(el.ownerDocument)) return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
      return el.checkVisibility({ checkVisibilityCSS: true }) && !transparentBelowBody(el);
    }
    const view = el.ownerDocument.defaultView;
    if (view && view.getComputedStyle) {
      const st = view.getComputedStyle(el);
      if (st && (st.display === "none" || st.visibility === "hidden")) return false;
    }
    return true;
  }

  function stateOf(el, role) {
    const out = [];
    const tag = el.tagName;
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (tag === "INPUT" && !["submit", "button", "reset", "checkbox", "radio", "image", "hidden"].includes(type) && type !== "text" && type) out.push(`type=${type}`);
    if (role === "checkbox" || role === "radio" || role === "switch") {
      const checked = tag === "INPUT" ? el.checked : el.getAttribute("aria-checked") === "true";
      if (checked) out.push("checked");
    }
    if (tag === "SELECT") {
      const sel = Array.from(el.selectedOptions || []).map((o) => cap(o.textContent, 40));
      if (sel.length) out.push(`value="${sel.join(", ")}"`);
      const opts = Array.from(el.options || []);
      const shown = opts.slice(0, 8).map((o) => cap(o.textContent, 24));
      out.push(`options=[${shown.join("|")}${opts.length > 8 ? `|+${opts.length - 8}` : ""}]`);
    } else if ((tag === "INPUT" || tag === "TEXTAREA") && !["checkbox", "radio", "submit", "button", "reset", "image"].includes(type)) {
      const v = type === "password" ? (el.value ? "••••" : "") : el.value;
      if (v) out.push(`value="${cap(v, 60)}"`);
    } else if (role === "textbox" && SB.refs.editable(el)) {
      const v = cap(el.innerText !== undefined ? el.innerText : el.textContent, 60);
      if (v) out.push(`value="${v}"`);
    }
    if (el.disabled || el.getAttribute("aria-disabled") === "true") out.push("disabled");
    if (el.required || el.getAttribute("aria-required") === "true") out.push("required");
    if (el.readOnly) out.push("readonly");
    const exp = el.getAttribute("aria-expanded");
    if (exp) out.push(exp === "true" ? "expanded" : "collapsed");
    if (el.getAttribute("aria-selected") === "true" || el.getAttribute("aria-current")) out.push("selected");
    if (tag === "A" && el.getAttribute("target") === "_blank") out.push("newtab");
    return out;
  }

  function occluded(el, rect, view) {
    const doc = el.ownerDocument;
    if (!doc.elementFromPoint || !rect || rect.width === 0) return false;
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x > view.innerWidth || y > view.innerHeight) return false;
    let hit = doc.elementFromPoint(x, y);
    while (hit && hit.shadowRoot && hit.shadowRoot.elementFromPoint) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    if (!hit) return false;
    return !(hit === el || el.contains(hit) || hit.contains(el) || (hit.getRootNode && el.contains(hit.getRootNode().host)));
  }

  // Walk the document and produce lines. Each line carries its vertical position so the caller can
  // window it around the viewport.
  function collect(doc, opts) {
    const view = doc.defaultView || root;
    const layout = typeof doc.documentElement.getBoundingClientRect === "function" && view.innerHeight > 0;
    const lines = []; // {text, y, interactive}
    const elements = [];
    let buf = "";
    let bufY = null;
    let prefix = "";

    function flush() {
      const t = clean(buf);
      if (t) lines.push({ text: prefix + t, y: bufY === null ? 0 : bufY, interactive: false });
      buf = "";
      bufY = null;
      prefix = "";
    }

    function yOf(el) {
      if (!layout) return 0;
      const r = el.getBoundingClientRect();
      return r.top + view.scrollY;
    }

    function visit(node, depth) {
      if (node.nodeType === 3) {
        const t = node.nodeValue;
        if (t && t.trim()) {
          if (bufY === null && node.parentElement) bufY = yOf(node.parentElement);
          buf += t;
        }
        return;
      }
      if (node.nodeType !== 1 && node.nodeType !== 11) return;
      if (node.nodeType === 1) {
        const el = node;
        const tag = el.tagName.toUpperCase();
        if (SKIP.has(tag) && !(tag === "SVG" && el.getAttribute("role"))) return;
        if (!visible(el)) return;
        if (tag === "IFRAME" || tag === "FRAME") {
          flush();
          lines.push({ text: `[frame "${cap(el.getAttribute("title") || el.getAttribute("name") || el.src || "", 60)}"]`, y: yOf(el), interactive: false, frameSrc: el.src });
          return;
        }
        if (isInteractive(el)) {
          const role = roleOf(el);
          const ref = SB.refs.refFor(el);
          const name = nameOf(el, role);
          const state = stateOf(el, role);
          const rect = layout ? el.getBoundingClientRect() : null;
          if (layout && occluded(el, rect, view)) state.push("occluded");
          const token = `[${ref} ${role}${name ? ` "${name.replace(/"/g, "'")}"` : ""}${state.length ? " " + state.join(" ") : ""}]`;
          const info = { ref, role, name };
          if (state.length) info.state = state;
          if (el.tagName === "A" && el.href) info.href = el.href;
          if (el.id) info.id = el.id;
          if (el.getAttribute("name")) info.nameAttr = el.getAttribute("name");
          elements.push(info);
          if (bufY === null) bufY = rect ? rect.top + view.scrollY : 0;
          buf += " " + token + " ";
          // Controls and leaf roles are summarised by their name; containers with a role (listbox,
          // tree...) and contenteditable hosts are not walked twice except containers.
          if (SB.refs.editable(el) || NATIVE_CONTROLS.has(tag) || LEAF_ROLES.has(role)) return;
        }
        const block = BLOCK.has(tag);
        if (block) flush();
        if (/^H[1-6]$/.test(tag)) prefix = "#".repeat(Number(tag[1])) + " ";
        else if (tag === "LI") prefix = "- ";
        else if (tag === "TD" || tag === "TH") buf += " | ";
        const kids = el.shadowRoot ? [el.shadowRoot] : [];
        for (const k of kids) visit(k, depth + 1);
        for (let c = el.firstChild; c; c = c.nextSibling) visit(c, depth + 1);
        if (block) flush();
        return;
      }
      for (let c = node.firstChild; c; c = c.nextSibling) visit(c, depth + 1);
    }

    visit(doc.body || doc.documentElement, 0);
    flush();
    return { lines, elements, layout, view };
  }

  function snapshot(doc, opts = {}) {
    const { lines, elements, layout, view } = collect(doc, opts);
    let shown = lines;
    let above = 0;
    let below = 0;
    if (opts.viewportOnly && layout) {
      const top = view.scrollY - view.innerHeight * 0.25;
      const bottom = view.scrollY + view.innerHeight * 1.25;
      shown = lines.filter((l) => l.y >= top && l.y <= bottom);
      above = lines.filter((l) => l.y < top).length;
      below = lines.filter((l) => l.y > bottom).length;
    }
    let texts = shown.map((l) => l.text);
    const maxChars = opts.maxChars || 80000;
    let truncated = false;
    let total = 0;
    for (let i = 0; i < texts.length; i++) {
      total += texts[i].length + 1;
      if (total > maxChars) {
        below += texts.length - i;
        texts = texts.slice(0, i);
        truncated = true;
        break;
      }
    }
    const key = String(opts.caller || "") + "@" + SB.refs.docId;
    const result = {
      url: doc.location ? doc.location.href : "",
      title: doc.title || "",
      docId: SB.refs.docId,
      elements: opts.maxElements ? elements.slice(0, opts.maxElements) : elements,
      above,
      below,
    };
    if (opts.delta && last.has(key)) {
      const before = new Set(last.get(key));
      const now = new Set(texts);
      const added = texts.filter((t) => !before.has(t));
      const removed = last.get(key).filter((t) => !now.has(t)).length;
      result.delta = { added: added.length, removed };
      result.text = added.join("\n");
    } else {
      result.text = texts.join("\n");
    }
    if (above) result.text = `… ${above} more lines above\n` + result.text;
    if (below) result.text += `\n… ${below} more lines below${truncated ? " (truncated: scroll or raise maxChars)" : ""}`;
    last.set(key, texts);
    if (last.size > 32) last.delete(last.keys().next().value);
    return result;
  }

  SB.snapshot = { snapshot, roleOf, nameOf, isInteractive, visible, clean };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
