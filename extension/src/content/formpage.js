// What a form shows around each control, read for field classification (fields.js): a control's
// own label, the text near it in label-less layouts, its table row and column, the caption of its
// box and of its block (legends, headings, card headers), its form; through open shadow roots
// (web components), where the walk up the page steps from a shadow root to its host. Reads only;
// which autocomplete token the words mean is fields.js's business, the words are fieldwords.js.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.formpage) return;
  const { DATE_UNIT } = SB.fieldwords;

  const SKIP_TYPES = new Set(["hidden", "submit", "button", "image", "reset", "file"]);

  function clean(s) {
    return (s || "").replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "").replace(/\s+/g, " ").trim(); // (bidi marks are invisible: "\u200e+20" is "+20")
  }

  const FIELDS = "input, select, textarea";
  const isField = (el) => !(el.tagName === "INPUT" && SKIP_TYPES.has((el.getAttribute("type") || "text").toLowerCase()));

  // Open shadow roots: a web component's field (<sl-input>, <ion-input>, a Lit form) is read like
  // any other. Its controls are listed in source order (a host's shadow tree before its light
  // children, as a declarative shadow root is written); walks up the page cross from a shadow root
  // to its host, so the captions, sections and forms around a component name its fields; a
  // component that holds one field lends it the host's label, name and id. `deep` is set by
  // classify(): a page with no control in a shadow root keeps the plain DOM walks.
  let deep = false;
  function controls(scope) {
    if (!deep) return Array.from(scope.querySelectorAll(FIELDS)).filter(isField);
    return once("controls", scope, () => deepControls(scope)); // (the walk enters every shadow root: once per box and classify())
  }
  const deepControls = (scope) => SB.refs.querySelectorAllDeep(scope, FIELDS).filter(isField);
  const hasShadowControls = (root) => Array.from(root.querySelectorAll("*")).some((n) => n.shadowRoot && SB.refs.querySelectorAllDeep(n.shadowRoot, FIELDS).length);
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null; // (a shadow root's top steps out to its host)
  function closestUp(el, selector) {
    for (let n = el; n; n = n.getRootNode().host || null) {
      const hit = n.closest(selector);
      if (hit) return hit;
    }
    return null;
  }
  const formOf = (el) => el.form || (deep ? closestUp(el, "form") : null) || null;
  const byId = (el, id) => { const root = el.getRootNode(); return (root.getElementById ? root : el.ownerDocument).getElementById(id); }; // (ids are scoped to their shadow root)
  // The host of a component that holds this one field: "<sl-input label="Postcode" name="zip">".
  function hostOf(el) {
    if (!deep) return null;
    const root = el.getRootNode();
    return root.host && controls(root).length === 1 ? root.host : null;
  }
  // The node standing for `el` in the tree of `other` (the host, or the host's host, around it).
  function inTreeOf(el, other) {
    let n = el;
    while (n.getRootNode() !== other.getRootNode() && n.getRootNode().host) n = n.getRootNode().host;
    return n;
  }
  const isControl = (n) => n.nodeType === 1 && (/^(INPUT|SELECT|TEXTAREA)$/.test(n.tagName) || !!n.querySelector(FIELDS) || (deep && controls(n).length > 0));

  // A label's own words: a label that wraps a <select> must not read its options ("United
  // States" in a country list is not a state field).
  function readableText(node) {
    let s = "";
    for (const c of node.childNodes) {
      if (c.nodeType === 3) s += c.data + " ";
      else if (c.nodeType === 1 && !/^(SELECT|TEXTAREA|OPTION|DATALIST|SCRIPT|STYLE)$/.test(c.tagName)) s += readableText(c);
    }
    return s;
  }

  // The words a container shows before its first control: a question title above a field in
  // div layouts, a group's caption before its radios.
  function leadingText(node) {
    let s = "";
    for (const c of node.childNodes) {
      if (isControl(c)) break;
      s += c.nodeType === 3 ? c.data + " " : c.nodeType === 1 && !/^(SCRIPT|STYLE)$/.test(c.tagName) ? readableText(c) + " " : "";
    }
    s = clean(s);
    return s.length <= 80 && /\p{L}/u.test(s) ? s : "";
  }

  // The field's own label: <label for>, a wrapping label, aria-labelledby, aria-label.
  function ownLabel(el) {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(readableText(l));
    const by = el.getAttribute("aria-labelledby");
    if (by) for (const id of by.split(/\s+/)) { const n = byId(el, id); if (n) parts.push(n.textContent); }
    parts.push(el.getAttribute("aria-label") || "");
    const host = hostOf(el); // a component's one field: the labels of its host (<label for=host>, a wrapping label, label=, aria-label=)
    if (host) {
      if (host.id) for (const l of host.getRootNode().querySelectorAll("label[for]")) if (l.htmlFor === host.id) parts.push(readableText(l));
      const wrap = closestUp(host, "label");
      if (wrap) parts.push(readableText(wrap));
      parts.push(host.getAttribute("label") || "", host.getAttribute("aria-label") || "");
    }
    // each text once: a floating label drawn twice (Vuetify), a host's label= repeating the one inside it ("名", "名*")
    const seen = new Set();
    return parts.map(clean).filter((t) => { const k = t.replace(/[\s*＊:：]+$/u, ""); return k && !seen.has(k) && seen.add(k); }).join(" ");
  }

  // For label-less layouts, the text just before the field (a sibling, a table header cell, the
  // title of the box it sits in); a run of controls under one label shares the first's label.
  function nearbyText(el) {
    let prev = el.previousSibling;
    for (let i = 0; prev && i < 3; i++, prev = prev.previousSibling) {
      if (prev.nodeType === 1 && /^(A|BUTTON)$/.test(prev.tagName)) continue; // a "Find postcode" button names an action, not this field
      // the unit after the previous control ("<select>年 <select>月") is that control's, not this one's
      if (prev.nodeType === 3 && DATE_UNIT.test(clean(prev.data)) && prev.previousSibling && prev.previousSibling.nodeType === 1 && /^(INPUT|SELECT|TEXTAREA)$/.test(prev.previousSibling.tagName)) continue;
      if (prev.nodeType === 1 && /^(INPUT|SELECT|TEXTAREA)$/.test(prev.tagName)) return labelOf(prev);
      if (prev.nodeType === 1 && /^(H[1-6]|LEGEND)$/.test(prev.tagName)) break; // a heading names a group, not a field
      const t = clean(prev.nodeType === 1 ? readableText(prev) : prev.textContent);
      if (/\p{L}/u.test(t)) return t;
    }
    const cell = closestUp(el, "td, dd");
    if (cell && cell.previousElementSibling) return rowHeader(el);
    let n = up(el);
    for (let i = 0; n && i < 3 && n.tagName !== "FORM" && n.tagName !== "FIELDSET"; i++, n = up(n)) {
      const t = leadingText(n);
      if (t) return t;
      // a caption element just before the box the field opens: "<div>Teléfono fijo</div><div>[lada] [número]</div>"
      const cap = n.previousElementSibling;
      if (cap && !isControl(cap) && !/^(H[1-6]|LEGEND|SCRIPT|STYLE)$/.test(cap.tagName) && controls(n)[0] === el) {
        const c = clean(readableText(cap));
        if (c.length <= 80 && /\p{L}/u.test(c)) return c;
      }
    }
    return "";
  }

  // The header of a field's table row: the nearest cell before its own that holds no control (a
  // row "Street address | [old] | [new]" names the fields of both columns).
  function rowHeader(el) {
    const cell = closestUp(el, "td, dd");
    let c = cell && cell.previousElementSibling;
    while (c && controls(c).length) c = c.previousElementSibling;
    return c ? clean(c.textContent) : "";
  }

  // Two fields side by side in the columns of one table row, each column with its own header
  // ("Old address" | "New address"): parallel fields, not one field's two lines.
  function columnHeader(el) {
    const td = closestUp(el, "td");
    const head = td && td.closest("table") && td.closest("table").rows[0];
    return head && head !== td.parentElement && head.cells[td.cellIndex] ? clean(head.cells[td.cellIndex].textContent) : "";
  }
  function inColumns(a, b) {
    const ca = closestUp(a, "td"), cb = closestUp(b, "td");
    if (!ca || !cb || ca === cb || ca.parentElement !== cb.parentElement) return false;
    const ha = columnHeader(a), hb = columnHeader(b);
    return !!ha && !!hb && ha !== hb;
  }

  // The text printed right before a box: "+20", "🇵🇭 +63", "@".
  function textBefore(el) {
    const t = el.previousSibling;
    if (t && t.nodeType === 3 && clean(t.data)) return clean(t.data);
    const prev = el.previousElementSibling; // (a button showing "🇪🇸 +34" is a picker, the select beside it its native twin: no fixed code)
    return prev && !isControl(prev) && prev.tagName !== "BUTTON" && prev.getAttribute("role") !== "combobox" ? clean(prev.textContent) : "";
  }

  // What a custom picker shows as its current choice: the text of the smallest box around its
  // input that holds no other control (antd's "<input role=combobox><span>+86</span>").
  function pickerFace(el) {
    let n = up(el);
    for (let i = 0; n && i < 3 && controls(n).length === 1; i++, n = up(n)) {
      const t = clean(readableText(n));
      if (t) return t.length <= 12 ? t : "";
    }
    return "";
  }

  // The caption printed just before the smallest box holding this field and others.
  function boxCaption(el) {
    let n = up(el);
    for (let i = 0; n && i < 4 && n.tagName !== "FORM" && n.tagName !== "FIELDSET"; i++, n = up(n)) {
      if (controls(n).length < 2) continue;
      const cap = n.previousElementSibling;
      const t = cap && !isControl(cap) && !/^(SCRIPT|STYLE)$/.test(cap.tagName) ? clean(readableText(cap)) : "";
      return t.length <= 80 ? t : "";
    }
    return "";
  }

  // The short word right after a control: the unit of a date part in CJK forms (<select>年, <select>月).
  function trailingText(el) {
    let s = "";
    for (let n = el.nextSibling; n && n.nodeType === 3; n = n.nextSibling) s += n.data;
    s = clean(s);
    return s.length <= 4 ? s : "";
  }

  // The words under or beside one control in its own small box inside a shared cell: "[    ] 市区町村名 (例：千代田区)".
  function cellHint(el) {
    const box = el.parentElement;
    if (!box || /^(TD|DD)$/.test(box.tagName) || controls(box).length !== 1 || box.querySelector("a, button")) return ""; // (not a widget's: "〒 [    ] 郵便番号検索")
    const t = clean(readableText(box));
    return t.length <= 80 ? t : "";
  }

  // A table cell or <dd> holding several controls under one header ("Address": postcode, line 1,
  // line 2): the header names the group, so each control's own name/id is the better evidence.
  function inSharedCell(el) {
    const cell = closestUp(el, "td, dd");
    return !!cell && controls(cell).length > 1;
  }

  // The caption of the block a field sits in: the legends of the fieldsets around it, its table's
  // caption, the last heading before it in its form, the words its box opens with. "Emergency
  // contact", "Next of kin": someone else's details.
  // Read once per field and per form in one classify() (someoneElse and refineGroups both ask; a
  // form-wide scan would otherwise run for every field); reset at each classify(), since pages change.
  // (a card's or panel's header is drawn as a heading: Bootstrap's "<div class=card-header>Gästens uppgifter</div>")
  const HEADINGS = "h1, h2, h3, h4, h5, h6, [role=heading], .card-header, .card-title, .panel-heading, .panel-header, .panel-title, .section-title, ion-list-header, mat-card-title, .mat-card-title, .mat-mdc-card-title";
  const RICH_TEXT = ".mktoHtmlText, .hs-richtext";
  let memo = new Map();
  const once = (kind, key, read) => { const k = memo.get(kind) || memo.set(kind, new Map()).get(kind); if (!k.has(key)) k.set(key, read()); return k.get(key); };
  const blockCaption = (el) => once("caption", el, () => readBlockCaption(el));
  function readBlockCaption(el) {
    const parts = [];
    for (let fs = closestUp(el, "fieldset"); fs; fs = up(fs) && closestUp(up(fs), "fieldset")) { // nested: "Home address" in "Your details"
      const lg = fs.querySelector("legend");
      if (lg) parts.push(lg.textContent);
    }
    const legends = parts.length;
    const table = closestUp(el, "table");
    if (table && table.caption) parts.push(table.caption.textContent);
    // a row that spans the table and holds no control heads the rows below it: "| 2. Saņēmējs |"
    for (let tr = closestUp(el, "tr") && closestUp(el, "tr").previousElementSibling; tr; tr = tr.previousElementSibling) {
      if (tr.cells && tr.cells.length === 1 && tr.cells[0].colSpan > 1 && !controls(tr).length) { parts.push(tr.textContent); break; }
    }
    const scope = formOf(el) || closestUp(el, "section, article, [role=form], main") || el.ownerDocument.body;
    let last = null;
    // (a form builder's rich-text row heads the rows below it when it is short: Marketo's "Accounts payable contact")
    for (const h of scope.querySelectorAll(`${HEADINGS}, ${RICH_TEXT}`)) {
      if (h.matches(RICH_TEXT) && clean(h.textContent).length > 120) continue;
      if (h.compareDocumentPosition(inTreeOf(el, h)) & 4 /* el follows h */) last = h; else break;
    }
    if (last && !(legends && last.tagName === "H1")) parts.push(last.textContent); // a page's title names the whole form, a legend its block
    let n = up(el); // the words a box of several fields opens with: "Ticket 2 · General Admission"
    for (let i = 0; n && i < 4 && n.tagName !== "FORM" && n.tagName !== "FIELDSET"; i++, n = up(n)) { // (a fieldset is named by its legend, not its hints)
      const t = controls(n).length > 1 ? leadingText(n) : ""; // (one field's box opens with its own label)
      // (a box that opens with an earlier block's heading and holds the field's own heading further
      // down is the whole form: "Renseignements sur l'enfant ... Parent 1 ... [Courriel]")
      if (t) { if (!(last && n.contains(last) && !t.includes(clean(last.textContent)))) parts.push(t); break; }
    }
    return clean(parts.join(" "));
  }

  // An unassociated <label> right before (or, in floating-label layouts, right after) the field:
  // no for=, or a for= that names no element (ids a framework forgot to render).
  function looseLabel(el) {
    for (const l of [el.previousElementSibling, el.nextElementSibling]) {
      if (l && l.tagName === "LABEL" && !isControl(l) && !(l.htmlFor && byId(el, l.htmlFor))) return clean(readableText(l));
    }
    // a floating label drawn as a <span> after the only field in its box: "[    ] Nome e cognome *"
    const nx = el.nextElementSibling;
    if (nx && /^(SPAN|DIV)$/.test(nx.tagName) && !isControl(nx) && el.parentElement && controls(el.parentElement).length === 1 && !el.previousElementSibling && !precededByText(el) && !rowHeader(el)) {
      const t = clean(readableText(nx));
      if (t.length <= 80 && /\p{L}/u.test(t)) return t;
    }
    return "";
  }

  // Words written right before the field in its own cell ("姓 [    ] 名 [    ]").
  function precededByText(el) {
    let prev = el.previousSibling;
    for (let i = 0; prev && i < 3; i++, prev = prev.previousSibling) {
      if (prev.nodeType === 1 && /^(INPUT|SELECT|TEXTAREA|BR)$/.test(prev.tagName)) return false;
      if (prev.nodeType === 3 && DATE_UNIT.test(clean(prev.data))) return false; // the previous part's unit
      if (/\p{L}/u.test(prev.textContent || "")) return !(prev.nodeType === 1 && /^(A|BUTTON)$/.test(prev.tagName));
    }
    return false;
  }

  // Text a person reads next to the field: its label(s), aria, and for label-less layouts the
  // text near it (placeholder-only fields keep the placeholder as their label).
  function labelOf(el) {
    const own = ownLabel(el);
    if (own || el.getAttribute("placeholder")) return own.slice(0, 120);
    return nearbyText(el).slice(0, 120);
  }

  // What a group of controls is about: the fieldset's legend, an ARIA group's name, the caption
  // before a run of date parts or radios.
  function groupText(el) {
    const parts = [];
    const fs = closestUp(el, "fieldset");
    if (fs) { const lg = fs.querySelector("legend"); if (lg) parts.push(readableText(lg)); }
    const g = closestUp(el, "[role=group], [role=radiogroup]");
    if (g) parts.push(g.getAttribute("aria-label") || "", ...(g.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean).map((id) => (byId(el, id) || {}).textContent || ""));
    parts.push(nearbyText(el), boxCaption(el)); // (the caption before a box of date parts names every part, not only the first)
    let n = up(el); // (four levels: a radio sits in a span in a label in a column beside its caption)
    for (let i = 0; n && i < 4 && n.tagName !== "FORM" && n.tagName !== "FIELDSET"; i++, n = up(n)) {
      const t = leadingText(n);
      if (t) { parts.push(t); break; }
    }
    return clean(parts.join(" "));
  }

  function attrText(el) {
    const host = hostOf(el);
    const name = (el.getAttribute("name") || "").replace(/^[^[\]]+(?=(\[[^\]]*\]){2,}$)/, ""); // ("resume[basic][sex]": the outer "resume" names the form, not the field)
    return [name, el.id, el.getAttribute("title"), el.getAttribute("data-testid"), host && host.getAttribute("name"), host && host.id].filter(Boolean).join(" ")
      .replace(/\b(Single|Multi)Line\d*\b/g, " ") // (Zoho Forms numbers its text boxes "SingleLine1", "SingleLine2": not address lines)
      .replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_\-\[\].$:]+/g, " ");
  }

  // A new classify(): forget what was read (pages change between calls) and see whether this page
  // has controls in shadow roots.
  function begin(scope) {
    memo = new Map();
    deep = false;
    deep = hasShadowControls(scope.ownerDocument || scope);
  }

  SB.formpage = { begin, clean, controls, up, closestUp, formOf, hostOf, isControl, readableText, leadingText, ownLabel, nearbyText, rowHeader, columnHeader, inColumns, textBefore, pickerFace, boxCaption, trailingText, cellHint, inSharedCell, HEADINGS, once, blockCaption, looseLabel, precededByText, labelOf, groupText, attrText };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
