// Form autofill: classify every form control as an HTML autocomplete token the way browsers'
// own heuristics do (the autocomplete attribute first, then label, name, id, placeholder and aria
// text in several languages, then option lists), with sections (shipping / billing) and split
// fields (phone parts, card expiry, date parts); then fill from a profile keyed by those tokens.
// Filling never submits: the daemon's approval policy owns submits.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.autofill) return;

  // Ordered: the first match wins, so specific patterns come before general ones.
  const RULES = [
    ["cc-name", /(card.?holder|name.?on.?(the.?)?card|cc.?name|karteninhaber|nom.?du.?titulaire|titular.?de.?la.?tarjeta|intestatario|nome.?(do|no).?cart)/i],
    ["cc-number", /(card.?(number|no|num|#)|cc.?(num|number)|credit.?card|debit.?card|kartennummer|num[eé]ro.?de.?carte|n[uú]mero.?de.?(la.?)?tarjeta|numero.?(della.?)?carta|n[uú]mero.?do.?cart[aã]o|^card$|ccnum)/i],
    ["cc-csc", /(cvc|cvv|csc|cvn|security.?code|card.?verification|kartenpr[uü]f|pr[uü]fnummer|cryptogramme|c[oó]digo.?de.?seguridad|codice.?di.?sicurezza)/i],
    ["cc-exp", /\bmm\s*\/\s*(yy|yyyy|jj)\b/i],
    ["bday", /\b(dd|tt|jj)\s*[./\s-]\s*mm\s*[./\s-]\s*(yyyy|jjjj|aaaa|yy)\b|\bmm\s*\/\s*dd\s*\/\s*yyyy\b/i],
    ["cc-exp-month", /((exp|expir|ablauf|validit|vencim|scaden).{0,20}(month|mm\b|monat|mois|mes\b|mese))|((month|mm\b|monat|mois|mes\b).{0,12}(exp|expir|ablauf|vencim))|cc.?month|exp.?m\b/i],
    ["cc-exp-year", /((exp|expir|ablauf|validit|vencim|scaden).{0,20}(year|yy\b|yyyy|jahr|ann[eé]e|a[nñ]o|anno))|((year|yy\b|jahr|ann[eé]e|a[nñ]o).{0,12}(exp|expir|ablauf|vencim))|cc.?year|exp.?y\b/i],
    ["cc-exp", /(expir|exp.?date|valid.?(thru|through|until)|g[uü]ltig.?bis|ablaufdatum|date.?d.?expiration|fecha.?de.?(caducidad|vencimiento)|scadenza|mm.?\/.?yy)/i],
    ["cc-type", /(card.?type|card.?brand|kartentyp|type.?de.?carte|tipo.?de.?tarjeta)/i],
    ["bday-day", /((birth|geburt|naissance|nacimiento|nascita).{0,20}(day|tag|jour|d[ií]a|giorno|\bdd\b))|(dob.?d(ay)?\b)/i],
    ["bday-month", /((birth|geburt|naissance|nacimiento|nascita).{0,20}(month|monat|mois|mes|mese|\bmm\b))|(dob.?m(onth)?\b)/i],
    ["bday-year", /((birth|geburt|naissance|nacimiento|nascita).{0,20}(year|jahr|ann[eé]e|a[nñ]o|anno|yyyy))|(dob.?y(ear)?\b)/i],
    ["bday", /(birth.?date|date.?of.?birth|birthday|\bdob\b|geburtsdatum|date.?de.?naissance|fecha.?de.?nacimiento|data.?di.?nascita|data.?de.?nascimento)/i],
    ["username", /(user.?name|login.?(id|name)|benutzername|nom.?d.?utilisateur|usuario|nome.?utente|^login\b)/i],
    ["email", /(e.?mail|courriel|correo.?electr[oó]nico|posta.?elettronica|mailadres)/i],
    ["new-password", /((new|confirm|repeat|retype|re.?enter|verify|neues|nouveau|confirmer|nueva|confirmar|ripeti).{0,15}(password|passwort|mot.?de.?passe|contrase[nñ]a|senha))|(password.?(confirm|again|repeat|2))/i],
    ["current-password", /(password|passwort|kennwort|mot.?de.?passe|contrase[nñ]a|senha|\bpwd\b|\bpass\b)/i],
    ["one-time-code", /(one.?time|otp|verification.?code|2fa|sms.?code|auth.?code)/i],
    ["organization-title", /(job.?title|position|berufsbezeichnung|fonction|cargo)/i],
    ["honorific-prefix", /(\btitle\b|salutation|honorific|prefix|anrede|civilit[eé]|tratamiento)/i],
    ["tel-country-code", /(country.?code|dial.?code|calling.?code|l[aä]ndervorwahl|indicatif)/i],
    ["tel-area-code", /(area.?code|vorwahl|\barea\b)/i],
    ["tel", /(phone|mobile|cell|telephone|tel\b|tel[eé]fono|telefon|t[eé]l[eé]phone|portable|handy|celular|cellulare|\bfon\b|contact.?number)/i],
    ["organization", /(company|organi[sz]ation|business.?name|firma|unternehmen|soci[eé]t[eé]|entreprise|empresa|azienda|ditta|bedrijf)/i],
    ["address-line2", /(address.?(line)?.?2|addr.?2|street.?2|apartment|\bapt\b|suite|unit\b|flat\b|floor|adresszusatz|compl[eé]ment|piso|departamento|interno|address.?line.?two|c\/o|care.?of)/i],
    ["address-line3", /(address.?(line)?.?3|addr.?3|street.?3)/i],
    ["postal-code", /(zip|postal|post.?code|postcode|\bplz\b|postleitzahl|code.?postal|c[oó]digo.?postal|\bcap\b|\bcep\b|postnummer|postcode|pin.?code)/i],
    ["address-level2", /(city|town|\bort\b|stadt|ville|ciudad|citt[aà]|cidade|localit|municipio|suburb|plaats|gemeinde)/i],
    ["address-level1", /(state|province|region|county|bundesland|r[eé]gion|provincia|estado|regione|prefecture|\bprov\b)/i],
    ["country", /(country|nation|land\b|pays|pa[ií]s|paese|staat)/i],
    ["address-line1", /(address.?(line)?.?1|addr.?1|street|address|stra[sß]e|adresse|direcci[oó]n|indirizzo|endere[cç]o|\bvia\b|calle|house.?(number|no)|hausnummer|line1)/i],
    ["given-name", /(first.?name|given.?name|fore.?name|\bfname\b|first\b|vorname|pr[eé]nom|nombre(?!.?(de.?usuario|completo))|\bnome\b(?!.?(completo|utente))|voornaam)/i],
    ["additional-name", /(middle.?name|middle.?initial|\bmname\b|\bmi\b|zweiter.?vorname|segundo.?nombre)/i],
    ["family-name", /(last.?name|sur.?name|family.?name|\blname\b|\blast\b|nachname|\bnom\b(?!.?d.?utilisateur)|apellido|cognome|sobrenome|achternaam)/i],
    ["name", /(full.?name|your.?name|^name$|\bname\b|nombre.?completo|nome.?completo|vollst[aä]ndiger.?name|nom.?complet)/i],
    ["sex", /(gender|\bsex\b|geschlecht|sexe|g[eé]nero|sesso)/i],
    ["url", /(website|homepage|\burl\b|webseite|site.?web)/i],
  ];
  const TOKENS = new Set(RULES.map(([t]) => t).concat(["street-address", "country-name", "tel-national", "tel-local", "tel-local-prefix", "tel-local-suffix", "tel-extension", "cc-given-name", "cc-family-name", "cc-additional-name", "transaction-currency", "transaction-amount", "language", "photo", "impp", "nickname", "honorific-suffix", "address-level3", "address-level4", "bday", "off"]));
  const SKIP_TYPES = new Set(["hidden", "submit", "button", "image", "reset", "file"]);
  const MONTHS = /^(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|m[aä]rz|janvier|f[eé]vrier|enero|febrero)/i;

  function clean(s) {
    return (s || "").replace(/\s+/g, " ").trim();
  }

  function controls(scope) {
    return Array.from(scope.querySelectorAll("input, select, textarea")).filter((el) => !(el.tagName === "INPUT" && SKIP_TYPES.has((el.getAttribute("type") || "text").toLowerCase())));
  }

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

  // Text a person reads next to the field: its label(s), aria, placeholder, and for label-less
  // layouts the text just before it (a table cell or sibling).
  function labelOf(el) {
    const doc = el.ownerDocument;
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(readableText(l));
    const by = el.getAttribute("aria-labelledby");
    if (by) for (const id of by.split(/\s+/)) { const n = doc.getElementById(id); if (n) parts.push(n.textContent); }
    parts.push(el.getAttribute("aria-label") || "");
    if (!clean(parts.join("")) && !el.getAttribute("placeholder")) {
      let prev = el.previousSibling;
      for (let i = 0; prev && i < 3; i++, prev = prev.previousSibling) {
        if (prev.nodeType === 1 && /^(INPUT|SELECT|TEXTAREA)$/.test(prev.tagName)) {
          // A run of controls under one label (date parts, split phone): share the first's label.
          const shared = labelOf(prev);
          if (shared) parts.push(shared);
          break;
        }
        if (prev.nodeType === 1 && /^(H[1-6]|LEGEND)$/.test(prev.tagName)) break; // a heading names a group, not a field
        const t = clean(prev.textContent);
        if (/\p{L}/u.test(t)) { parts.push(t); break; }
      }
      const cell = el.closest("td, dd");
      if (!clean(parts.join("")) && cell && cell.previousElementSibling) parts.push(cell.previousElementSibling.textContent);
    }
    return clean(parts.join(" ")).slice(0, 120);
  }

  function attrText(el) {
    return [el.getAttribute("name"), el.id, el.getAttribute("placeholder"), el.getAttribute("title"), el.getAttribute("data-testid")].filter(Boolean).join(" ").replace(/[_\-\[\].]+/g, " ");
  }

  function sectionOf(el, autocomplete) {
    const m = /\b(shipping|billing)\b/.exec(autocomplete || "");
    if (m) return m[1];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const t = ((n.getAttribute && (n.getAttribute("id") || "") + " " + (n.getAttribute("class") || "") + " " + (n.getAttribute("name") || "")) || "") + " " + (n.tagName === "FIELDSET" && n.querySelector("legend") ? n.querySelector("legend").textContent : "");
      if (/ship|deliver|liefer|livraison|env[ií]o/i.test(t)) return "shipping";
      if (/bill|invoice|rechnung|factur|payment/i.test(t)) return "billing";
      if (n.tagName === "FORM") break;
    }
    const name = (el.getAttribute("name") || "") + " " + (el.id || "");
    if (/ship|deliver/i.test(name)) return "shipping";
    if (/bill/i.test(name)) return "billing";
    return "";
  }

  function fromAutocomplete(el) {
    const ac = (el.getAttribute("autocomplete") || "").toLowerCase().trim();
    if (!ac || ac === "on" || ac === "off") return null;
    const tokens = ac.split(/\s+/).filter((t) => !/^(section-|shipping$|billing$|home$|work$|mobile$|fax$|pager$|webauthn$)/.test(t));
    const t = tokens[tokens.length - 1];
    return TOKENS.has(t) ? t : null;
  }

  function fromOptions(el) {
    if (el.tagName !== "SELECT") return null;
    const opts = Array.from(el.options).map((o) => clean(o.textContent)).filter(Boolean);
    if (opts.length > 100 && opts.some((o) => /germany|deutschland|france|united states|spain|italy/i.test(o))) return "country";
    const real = opts.filter((o) => !/^(mm|month|monat|mois|mes|mese|--|select|choose|-)$/i.test(o) && !/^[-–—\s.]*$/.test(o));
    if (real.length === 12 && (real.every((o) => /^\d{1,2}$/.test(o) && Number(o) >= 1 && Number(o) <= 12) || real.every((o) => /^\p{L}{3,}\.?$/u.test(o)))) return "month";
    if (real.length === 12 && real.filter((o) => MONTHS.test(o)).length >= 10) return "month";
    const years = opts.filter((o) => /^(19|20)\d\d$/.test(o) || /^\d\d$/.test(o) && opts.length < 20).length;
    if (years >= 5) {
      const nums = opts.filter((o) => /^\d{4}$/.test(o)).map(Number);
      return nums.length && Math.min(...nums) >= new Date().getFullYear() - 1 ? "future-year" : "year";
    }
    if (opts.length >= 28 && opts.length <= 33 && opts.filter((o) => /^\d{1,2}$/.test(o)).length >= 28) return "day";
    if (opts.filter((o) => /^(alabama|alaska|arizona|california|texas|new york|bayern|ontario|[A-Z]{2})$/i.test(o)).length >= 5) return "address-level1";
    return null;
  }

  function classifyOne(el, ctx) {
    const explicit = fromAutocomplete(el);
    if (explicit) return explicit;
    const type = (el.getAttribute("type") || "").toLowerCase();
    const label = labelOf(el);
    const attrs = attrText(el);
    const hay = `${label} | ${attrs}`;
    if (type === "email") return "email";
    if (type === "password") {
      if (/current|old|existing|aktuell|actuel/i.test(hay)) return "current-password";
      if (/new|confirm|repeat|again|retype|verify|neu|nouveau|nueva/i.test(hay)) return "new-password";
      // Two password fields: a sign-up (new + confirm). Three: change-password (current + new + confirm).
      if (ctx.passwords === 2) return "new-password";
      if (ctx.passwords >= 3) return ctx.passwordIndex === 0 ? "current-password" : "new-password";
      return "current-password";
    }
    if (type === "checkbox" || type === "radio") {
      if (/gender|\bsex\b|geschlecht|sexe/i.test(hay)) return "sex";
      return "off";
    }
    const byOptions = fromOptions(el);
    if (byOptions === "country" || byOptions === "address-level1") return byOptions;
    const birth = /birth|geburt|naissance|nacimiento|nascita|nascimento|\bdob\b|bday/i.test(hay);
    if (byOptions === "day") return birth || !/exp/i.test(hay) ? "bday-day" : "off";
    if (byOptions === "month") return birth ? "bday-month" : /exp|valid|ablauf/i.test(hay) ? "cc-exp-month" : null ?? "cc-exp-month";
    if (byOptions === "year" || byOptions === "future-year") {
      if (birth) return "bday-year";
      if (/exp|valid|ablauf/i.test(hay) || byOptions === "future-year") return "cc-exp-year";
    }
    if (/search|coupon|promo|voucher|gift|captcha|comment|message|note|newsletter|quantity|qty/i.test(attrs) && !/phone|mail|name/i.test(label)) return "off";
    for (const [token, re] of RULES) {
      if (re.test(label) || re.test(attrs)) {
        if (token === "country" && el.tagName === "INPUT" && /code/i.test(hay)) return "tel-country-code";
        if (token === "tel" && el.tagName === "SELECT") return "tel-country-code";
        return token;
      }
    }
    if (type === "tel") return "tel";
    if (type === "date" && /birth|geburt|naissance/i.test(hay)) return "bday";
    if (byOptions === "month") return /birth|geburt|dob/i.test(hay) ? "bday-month" : "cc-exp-month";
    if (byOptions === "future-year") return "cc-exp-year";
    if (byOptions === "year") return /exp/i.test(hay) ? "cc-exp-year" : "bday-year";
    if (byOptions === "day") return "bday-day";
    ctx.unknown = true; // no rule knew it (unlike a deliberate "off": coupons, search, consent boxes)
    return "off";
  }

  // Fields that only make sense together: a phone split in three, an expiry as month + year.
  function refineGroups(list) {
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      if (f.type === "tel" && list[i + 1] && list[i + 1].type === "tel" && list[i + 2] && list[i + 2].type === "tel") {
        const ml = [f, list[i + 1], list[i + 2]].map((x) => Number(x.el.getAttribute("maxlength") || 0));
        if (ml[0] && ml[0] <= 4 && ml[2] <= 4) {
          f.type = "tel-area-code";
          list[i + 1].type = "tel-local-prefix";
          list[i + 2].type = "tel-local-suffix";
          i += 2;
        }
      }
      if (f.type === "tel" && list[i + 1] && list[i + 1].type === "tel" && Number(f.el.getAttribute("maxlength") || 99) <= 4) {
        f.type = f.el.tagName === "SELECT" || /\+/.test(f.el.value || f.el.getAttribute("placeholder") || "") ? "tel-country-code" : "tel-area-code";
        list[i + 1].type = "tel-national";
      }
      if (f.type === "cc-exp" && list[i + 1] && (list[i + 1].type === "cc-exp" || list[i + 1].type === "cc-exp-year" || list[i + 1].type === "off") && f.el.tagName === "SELECT") {
        f.type = "cc-exp-month";
        list[i + 1].type = "cc-exp-year";
      }
      if (f.type === "name" && list[i + 1] && list[i + 1].type === "name") {
        f.type = "given-name";
        list[i + 1].type = "family-name";
      }
      if (f.type === "address-line1" && list[i + 1] && list[i + 1].type === "address-line1" && !/street|stra/i.test(list[i + 1].label)) list[i + 1].type = "address-line2";
    }
    return list;
  }

  function classify(scope) {
    const els = controls(scope);
    const passwords = els.filter((e) => (e.getAttribute("type") || "").toLowerCase() === "password");
    const list = els.map((el) => {
      const ctx = { passwords: passwords.length, passwordIndex: passwords.indexOf(el) };
      const type = classifyOne(el, ctx);
      return { el, type, unknown: !!ctx.unknown, section: sectionOf(el, el.getAttribute("autocomplete")), label: labelOf(el) };
    });
    return refineGroups(list);
  }

  function describe(scope) {
    return classify(scope).map((f) => {
      const o = { ref: SB.refs.refFor(f.el), id: f.el.id || null, name: f.el.getAttribute("name"), type: f.type, tag: f.el.tagName.toLowerCase(), label: f.label };
      if (f.section) o.section = f.section;
      if (f.unknown) o.unknown = true;
      return o;
    });
  }

  // Value for one field from a profile {token: value} (with a section-specific override
  // profile.shipping / profile.billing), formatted for split fields and option lists.
  function valueFor(f, profile) {
    const p = { ...profile, ...(f.section && profile[f.section] ? profile[f.section] : {}) };
    const t = f.type;
    if (t === "off") return undefined;
    if (p[t] !== undefined) return p[t];
    const digits = String(p.tel || "").replace(/\D/g, "");
    if (t === "tel-national" || t === "tel-local") return digits.slice(-10);
    if (t === "tel-area-code") return digits.slice(-10, -7);
    if (t === "tel-local-prefix") return digits.slice(-7, -4);
    if (t === "tel-local-suffix") return digits.slice(-4);
    if (t === "name" && (p["given-name"] || p["family-name"])) return [p["given-name"], p["family-name"]].filter(Boolean).join(" ");
    if (t === "given-name" && p.name) return String(p.name).split(" ")[0];
    if (t === "family-name" && p.name) return String(p.name).split(" ").slice(1).join(" ");
    if (t === "address-line1" && p["street-address"]) return String(p["street-address"]).split("\n")[0];
    if (t === "street-address" && p["address-line1"]) return [p["address-line1"], p["address-line2"]].filter(Boolean).join("\n");
    if (t === "cc-exp" && p["cc-exp-month"] && p["cc-exp-year"]) return `${String(p["cc-exp-month"]).padStart(2, "0")}/${String(p["cc-exp-year"]).slice(-2)}`;
    if (t.startsWith("bday-") && p.bday) {
      const [y, m, d] = String(p.bday).split("-");
      return { "bday-year": y, "bday-month": m, "bday-day": d }[t];
    }
    return undefined;
  }

  function setSelect(el, value) {
    const v = String(value);
    const norm = (s) => clean(s).toLowerCase();
    const opts = Array.from(el.options);
    const numeric = /^\d+$/.test(v) ? Number(v) : null;
    const hit = opts.find((o) => o.value === v) || opts.find((o) => norm(o.textContent) === norm(v)) || opts.find((o) => norm(o.value) === norm(v)) ||
      (numeric !== null ? opts.find((o) => Number(o.value) === numeric || Number(clean(o.textContent)) === numeric || (o.value.length === 2 && Number(o.value) === numeric % 100 && numeric > 1900)) : null) ||
      opts.find((o) => norm(o.textContent).startsWith(norm(v)) && v.length >= 2);
    if (!hit) return false;
    SB.actions.select(el, { value: hit.value });
    return true;
  }

  // Fill the form; returns what was (or, with preview, would be) filled per field. Never submits.
  // `types` ({ref: token}) overrides the classifier for fields it did not know (the daemon's model
  // fallback); `next` (a selector) describes the control that moves a multi-step form on, so the
  // daemon can judge the click by the same approval rules as any other.
  function fill(scope, profile, { preview = false, includeSensitive = false, types = null, next = null } = {}) {
    const out = [];
    for (const f of classify(scope)) {
      const ref = SB.refs.refFor(f.el);
      if (types && f.unknown && typeof types[ref] === "string" && TOKENS.has(types[ref])) { f.type = types[ref]; f.unknown = false; f.guessed = true; }
      let value = valueFor(f, profile || {});
      const sensitive = /^cc-|password|one-time-code/.test(f.type);
      const entry = { ref, type: f.type, section: f.section || undefined, label: f.label };
      if (f.unknown) { entry.unknown = true; entry.name = f.el.getAttribute("name"); entry.id = f.el.id || null; entry.tag = f.el.tagName.toLowerCase();
        entry.inputType = (f.el.getAttribute("type") || "").toLowerCase() || undefined; entry.placeholder = f.el.getAttribute("placeholder") || undefined; }
      if (f.guessed) entry.guessed = true;
      if (value === undefined || value === null || value === "") { out.push({ ...entry, filled: false }); continue; }
      if (sensitive && !includeSensitive) { out.push({ ...entry, filled: false, reason: "sensitive: payment and password data need explicit permission" }); continue; }
      entry.value = sensitive ? "••••" : String(value);
      if (!preview) {
        try {
          const el = f.el;
          const type = (el.getAttribute("type") || "").toLowerCase();
          if (el.disabled || el.readOnly) { out.push({ ...entry, filled: false, reason: "disabled or read-only" }); continue; }
          if (el.tagName === "SELECT") { if (!setSelect(el, value)) { out.push({ ...entry, filled: false, reason: "no matching option" }); continue; } }
          else if (type === "radio" || type === "checkbox") {
            if (norm(el.value) === norm(value) || norm(labelOf(el)) === norm(value)) SB.actions.check(el, { checked: true }); else { continue; }
          } else SB.actions.fill(el, value);
        } catch (e) {
          out.push({ ...entry, filled: false, reason: e.message });
          continue;
        }
      }
      out.push({ ...entry, filled: true });
    }
    const result = { fields: out, filled: out.filter((f) => f.filled).length };
    if (next) result.next = describeControl(SB.refs.querySelectorDeep(scope.ownerDocument || scope, next));
    return result;
  }

  // What the approval rules need to judge a click on `el` (the shape of a snapshot element).
  function describeControl(el) {
    if (!el) return null;
    const type = (el.getAttribute("type") || (el.tagName === "BUTTON" ? "submit" : "")).toLowerCase();
    const form = el.form || el.closest("form");
    return { tag: el.tagName.toLowerCase(), type, name: clean(el.innerText || el.value || el.getAttribute("aria-label") || ""),
      inForm: !!form, submitsForm: !!form && type === "submit", visible: SB.snapshot.visible(el), disabled: !!el.disabled };
  }
  const norm = (s) => clean(s).toLowerCase();

  SB.autofill = { classify, describe, fill, labelOf, RULES };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
