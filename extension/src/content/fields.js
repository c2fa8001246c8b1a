// Field classification for autofill: every form control typed as an HTML autocomplete token the
// way browsers' own heuristics do (the autocomplete attribute first, then label, name, id,
// placeholder and aria text in several languages, then option lists), with sections (shipping /
// billing), split fields (phone parts, card expiry, date parts) and someone else's details left
// alone. Reads the page only, through formpage.js (labels, captions, blocks); the words it reads
// them with are fieldwords.js, filling is autofill.js.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.fields) return;
  const { HOUSE_NUMBER, RULES, NEVER, BDAY_WORDS, BIRTH, EXP, MONTHS, TOKENS, TITLE_CAPTION, TITLES, GENDERS, OTHER_PERSON, THEIRS, SENDER, PARENT, CHILD, COMPANION, GUEST_BLOCK, PARCEL_TO, FILLER, PUPIL, STREET, TWO_THINGS, LEVEL3, LANGUAGE, BY_LANGUAGE } = SB.fieldwords;
  const { begin, clean, controls, up, closestUp, formOf, ownLabel, nearbyText, rowHeader, inColumns, textBefore, pickerFace, boxCaption, trailingText, cellHint, inSharedCell, HEADINGS, once, blockCaption, looseLabel, precededByText, labelOf, groupText, attrText } = SB.formpage;

  const CONFIRM = /confirm|repeat|again|retype|verify|best[aä]tig|bevestig|potwierd/i; // words asking to type a password again
  const DIAL = /^[\p{So}\p{Cf}\s(]*\+\s?\d{1,4}\)?(\s\d{1,2})?$/u;
  const dialBefore = (el) => DIAL.test(textBefore(el)) || (!!el.parentElement && controls(el.parentElement).length === 1 && DIAL.test(textBefore(el.parentElement))); // (or before the field's own box: "[+48] [Numer telefonu ...]") // a fixed dial code: the box takes the national number (Chile's "+56 9": the code and the mobile prefix)

  // Facts about the form a field is in (the page, outside any form), read once per form and classify():
  // does one of its nodes (those matching a selector, or those a function lists) pass `test`?
  const formHas = (el, kind, nodes, test) => {
    const scope = formOf(el) || el.ownerDocument.body;
    return once(kind, scope, () => Array.from(typeof nodes === "string" ? scope.querySelectorAll(nodes) : nodes(scope)).some(test));
  };
  // A parent's block is the user's own on a form filled in for a child (a camp, a school).
  const forAChild = (el) => formHas(el, "child", "h1, h2, h3, h4, h5, h6, legend, [role=heading]", (h) => CHILD.test(h.textContent)) || parentFills(el);
  // A block captioned as a parent filling in the form ("Parent/Guardian Completing This Form"): a school's
  // form for a pupil, whose "Student Information" block is the child's.
  const parentFills = (el) => formHas(el, "parentFills", `${HEADINGS}, legend`, (h) => PARENT.test(h.textContent) && FILLER.test(h.textContent));
  // A form that offers to bring a companion or to send a gift: its guest's or recipient's fields are that person's.
  const offersCompanion = (el) => formHas(el, "companion", controls, (c) => /^(checkbox|radio)$/i.test(c.getAttribute("type") || "") && COMPANION.test(`${ownLabel(c)} ${c.value}`)); // (controls: in shadow roots too)
  // A sending form (a courier's pickup, a money transfer): its recipient's or payee's block is someone else's.
  const sendsParcel = (el) => formHas(el, "sender", `${HEADINGS}, legend, caption`, (h) => SENDER.test(h.textContent));
  const someoneElse = (el) => {
    const c = blockCaption(el);
    const other = OTHER_PERSON.test(c) || (PARCEL_TO.test(c) && sendsParcel(el)) || (PUPIL.test(c) && !PARENT.test(c) && parentFills(el)), parent = PARENT.test(c); // ("Destinatario" beside "Mittente")
    if (!(other || parent)) return false;
    if (/ship|deliver|liefer|livraison|env[ií]o|entrega|dostaw|consegna/i.test(c) && !(other && sendsParcel(el))) return false;
    return !(parent && !other && forAChild(el)); // a parent's caption on a form for a child: the user's own
  };


  // A site's search box (header search, a job board's filters) is never personal data.
  function inSearch(el) {
    // (a type=search box that is a select widget's face is no search: antd's readonly combobox under "所在地区")
    const face = el.getAttribute("role") === "combobox" && (el.readOnly || ownLabel(el));
    if (((el.getAttribute("type") || "").toLowerCase() === "search" && !face) || closestUp(el, "[role=search]")) return true;
    const f = formOf(el);
    return !!f && /search|such|busca|recherche|zoek|szuk|cerca|検索|搜索/i.test(`${f.getAttribute("action") || ""} ${f.id} ${f.getAttribute("class") || ""} ${f.getAttribute("name") || ""}`);
  }


  function sectionOf(el, autocomplete) {
    const m = /\b(shipping|billing)\b/.exec(autocomplete || "");
    if (m) return m[1];
    for (let n = up(el); n; n = up(n)) {
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
    if (/password$/.test(t) && (el.getAttribute("type") || "").toLowerCase() !== "password") return null; // (a text box is no password: a honeypot "Comments" box Gravity Forms marks new-password)
    return TOKENS.has(t) ? t : null;
  }

  // What a <select>'s options say it is: countries, dial codes, states, titles, genders, yes/no,
  // or the parts of a date.
  function fromOptions(el) {
    if (el.tagName !== "SELECT") return null;
    const opts = Array.from(el.options).map((o) => clean(o.textContent)).filter(Boolean);
    const bare = (o) => o.replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, ""); // "- Select -" is "Select"
    const real = opts.filter((o) => !/^(mm|dd|yyyy|yy|month|day|year|monat|tag|jahr|mois|jour|ann[ée]e|mes|d[ií]a|a[nñ]o|mese|giorno|anno|--|select|choose|please select|-|יום|חודש|שנה|ημέρα|μήνας|έτος|يوم|شهر|سنة|день|месяц|год|วันที่|เดือน|ปี|พ\.ศ|tgl|tanggal|hari|bulan|tahun|ay|y[ıi]l|년|월|일|年|月|日)$/i.test(bare(o)) && !/^[-–—\s.]*$/.test(o) && !/^(select|choose|please|bitte|s[eé]lectionn|selecciona|seleziona|kies|wybierz|v[aä]lj|se[cç]iniz|選択|请?选择|請?選擇|выберите)/i.test(bare(o)));
    if (!real.length) return null;
    const share = (re) => real.filter((o) => re.test(o)).length / real.length;
    const values = Array.from(el.options).map((o) => o.value).filter(Boolean);
    if ((real.length >= 1 && real.every((o) => /^\+\s?\d{1,4}$/.test(o))) || real.length >= 2 && (share(/\+\s?\d{1,4}\b(?![.,]\d)|\b\d{1,4}\s?\+/) >= 0.5 || values.filter((v) => /^\+\d{1,4}$/.test(v)).length / values.length >= 0.5)) return "tel-country-code";
    if (opts.length > 100 && opts.some((o) => /germany|deutschland|france|united states|spain|italy/i.test(o))) return "country";
    if (real.filter((o) => /^(united states|united kingdom|germany|deutschland|france|canada|mexico|m[eé]xico|australia|ireland|spain|espa[nñ]a|italy|italia|netherlands|nederland|belgi(um|que|[eë])|switzerland|schweiz|suisse|austria|[oö]sterreich|japan|luxembourg|portugal|poland|polska|sweden|sverige)\b/i.test(o)).length >= 3) return "country";
    if (real.filter((o) => /^(visa|master\s?card|american express|amex|diners( club)?|discover|jcb|maestro|union\s?pay|elo|hipercard|cartes? bancaires?)$/i.test(o)).length >= 2) return "cc-type";
    if (real.length >= 2 && real.length <= 8 && share(TITLES) >= 0.6) return "honorific-prefix";
    if (real.length >= 2 && real.length <= 8 && real.filter((o) => GENDERS.test(o)).length >= 2) return "sex";
    if (real.length <= 3 && share(/^(yes|no|ja|nein|oui|non|s[ií]|nee|tak|nie|evet|hay[ıi]r)$/i) === 1) return "off";
    if (real.length >= 2 && real.length <= 10 && share(/^(jr|sr|ii|iii|iv|v|esq|md|phd)\.?$/i) >= 0.6) return "honorific-suffix"; // JR, SR, II, III (not states' codes)
    if (real.filter((o) => /(都|道|府|県|省|kie)$/.test(o)).length >= 4) return "address-level1"; // (before the months: twelve prefectures are not twelve month names)
    if (real.length === 12 && (real.every((o) => /^\d{1,2}$/.test(o) && Number(o) >= 1 && Number(o) <= 12) || real.every((o) => /^\p{L}{3,}\.?$/u.test(o)))) return "month";
    if (real.length === 12 && real.filter((o) => MONTHS.test(o)).length >= 10) return "month";
    const twoDigitYears = opts.length < 20 && opts.some((o) => /^\d\d$/.test(o) && Number(o) > 31); // ("1, 2, 5, 10, 20, 25, 31": a trimmed day list)
    const years = opts.filter((o) => /^(19|20)\d\d$/.test(o) || twoDigitYears && /^\d\d$/.test(o) && Number(o) >= 20).length;
    if (years >= 5) {
      const nums = opts.filter((o) => /^\d{2,4}$/.test(o)).map((o) => (o.length === 2 ? 2000 + Number(o) : Number(o)));
      return nums.length && Math.min(...nums) >= new Date().getFullYear() - 1 ? "future-year" : "year";
    }
    if (opts.length >= 28 && opts.length <= 33 && opts.filter((o) => /^\d{1,2}$/.test(o)).length >= 28) return "day";
    if (real.filter((o) => /^(alabama|alaska|arizona|california|texas|new york|florida|colorado|utah|bayern|berlin|hessen|ontario|quebec|qu[eé]bec|new south wales|victoria|queensland|[A-Z]{2,3})$/i.test(o)).length >= 5) return "address-level1";
    if (real.length >= 4 && real.every((o) => /(市|縣|县|省|自治区)$/.test(o)) && real.some((o) => /(縣|县|省)$/.test(o))) return "address-level1"; // Taiwan's counties and cities, China's provinces
    if (real.length >= 3 && real.every((o) => /(区|县|旗)$/.test(o)) && real.some((o) => /区$/.test(o))) return "address-level3"; // a mainland city's districts (Taiwan's 區 are the level under a county or city: level 2)
    return null;
  }

  // A list the page trimmed to a few numbers up to 31, one past 12 ("1, 2, 3, 17, 31"): a date's days.
  function trimmedDays(el) {
    const nums = Array.from(el.options).map((o) => clean(o.textContent)).filter((t) => /^\d{1,2}$/.test(t)).map(Number);
    return nums.length >= 3 && nums.every((n) => n >= 1 && n <= 31) && nums.some((n) => n > 12) ? "day" : null;
  }

  // "day" / "month" / "year" when a text names exactly one part of a date.
  function datePart(text) {
    const t = text.replace(/birth.?day/gi, "birth ").replace(/生日|誕生日/g, "生"); // "birthday", not "day"
    const found = [
      ["day", /\b(day|dd|tag|tt|jour|jj|d[ií]a|giorno|gg|dag|p[aä]ev|diena|dan|dagur|kun|tanggal|tgl|hari)\b|日$|(^|\s)일(\s|\(|$)|^\s*(יום|ημέρα|يوم|день|дан|ден|วันที่|วัน|دن|روز)(\s|$)|^\s*den\s*$/i],
      ["month", /\b(month|mm|monat|mois|mes|mese|maand|miesi[aą]c|kuu|m[eė]nuo|m[eē]nesis|mesec|m[aá]nu[dð]ur|oy|bulan|bln)\b|月|(^|\s)월(\s|\(|$)|^\s*(חודש|μήνας|شهر|месяц|месец|เดือน|ماہ|مہینہ|ماه)(\s|$)|^\s*ay\s*$/i],
      ["year", /\b(year|yyyy|yy|jahr|jjjj|ann[eé]e|a[nñ]o|anio|aaaa|aa|anno|jaar|rok|aasta|metai|gads|leto|llll|yil|tahun|thn)\b|年|(^|\s)년(\s|\(|$)|^\s*(שנה|έτος|سنة|год|година|ปี|พ\.ศ\.?|سال)(\s|$)|^\s*y[ıi]l\s*$/i],
    ].filter(([, re]) => re.test(t));
    return found.length === 1 ? found[0][0] : null;
  }

  // The first rule any piece of evidence matches, most telling evidence first; "off" when the
  // evidence says the field holds something no profile has.
  function byEvidence(texts) {
    for (const text of texts) {
      if (!text) continue;
      // A remark in brackets qualifies the field, it does not rename it: "First name (as in passport)".
      const qualified = text.replace(/\([^)]*\)|（[^）]*）/g, " ").replace(/\b(as|laut|wie|gem[aä][sß]|according.?to|seg[uú]n|come|comme|zoals|como).{0,12}(passport|reisepass|pass|ausweis|passeport|pasaporte|passaporto|paspoort|id)\b.*$/i, " ");
      if (NEVER.test(qualified)) {
        // "Complemento e referência": an address part and a landmark typed together is that part
        const [head, ...more] = qualified.split(TWO_THINGS);
        const first = more.length && !NEVER.test(head) ? byEvidence([head]) : null;
        return first && /^address-line/.test(first.token) ? { token: first.token, text } : { token: "off", text };
      }
      // "Dirección (calle, número, piso)" is an address line 1; the remark only lists its parts
      // (a one-character qualifier is the field's name, not a remark: お名前（姓）)
      const bare = text.replace(/\([^)]{4,}\)/g, " ");
      for (const [token, re] of RULES) if (re.test(bare)) return { token, text };
      for (const [token, re] of RULES) if (re.test(text)) return { token, text };
    }
    return null;
  }

  function classifyOne(el, ctx) {
    const explicit = fromAutocomplete(el);
    const type = (el.getAttribute("type") || "").toLowerCase();
    // a log-in identifier typed as an e-mail field takes the e-mail address
    // (a site's autocomplete names the kind of detail, not whose: a builder that marks every name box
    // given-name/family-name marks the child's too, and a block captioned as another person's wins)
    if (explicit && !(/^(name|given-name|family-name|additional-name)$/.test(explicit) && someoneElse(el))) return explicit === "username" && type === "email" ? "email" : explicit;
    if (inSearch(el) || someoneElse(el)) return "off";
    // a code typed one digit per box ("[ ] [ ] [ ] [ ]"), whatever each box's aria says ("pin code")
    const boxes = el.parentElement ? controls(el.parentElement) : [];
    if (el.tagName === "INPUT" && type !== "password" && boxes.length >= 4 && boxes.every((c) => c.tagName === "INPUT" && c.getAttribute("maxlength") === "1")) return "one-time-code";
    const own = ownLabel(el);
    // a label-less field in a box of several under a caption that names no profile value ("¿Entre qué calles está?" over [Calle 1] [Calle 2])
    const caption = own ? "" : boxCaption(el);
    if (caption.length <= 40 && NEVER.test(caption)) return "off"; // (a caption, not a sentence of advice: "Confirme os dados para o entregador encontrar você" over [CEP])
    // ...or in a table row whose header names none ("Documento da presentare: [tipo ▾] numero [    ]")
    if (!own && inSharedCell(el) && NEVER.test(rowHeader(el))) return "off";
    // a select's empty first option plays the placeholder's part: "Pilih Provinsi", "-- Select state --", "Día"
    const opt0 = el.tagName === "SELECT" && el.options.length ? el.options[0] : null;
    const first = opt0 && /^(|0|-1)$/.test(opt0.value) && !/^\s*\d+\s*$/.test(opt0.textContent) ? opt0.textContent : "";
    const ph = clean(el.getAttribute("placeholder") || first);
    const near = own ? "" : nearbyText(el);
    const loose = own ? "" : looseLabel(el);
    const attrs = attrText(el);
    const hay = `${own} | ${ph} | ${near} | ${attrs}`;
    let groupCache = null; // the group's caption, read at most once per field (it walks the DOM)
    const group = () => (groupCache === null ? (groupCache = groupText(el)) : groupCache);
    // (an unassociated label outranks a select's stand-in placeholder: "Municipio" over "Seleccione antes la provincia")
    // (in a shared cell a tooltip names the box before its name does: "Indicatif régional")
    const title = clean(el.getAttribute("title") || "");
    const told = el.tagName === "SELECT" && !el.getAttribute("placeholder") && /primer[oa]|antes|\bfirst\b|zuerst|d['’]abord|\bprima\b|najpierw|\beerst\b/i.test(ph) ? "" : ph; // (an instruction to fill another box first names none)
    let hit = byEvidence(near && inSharedCell(el) && !precededByText(el) ? [own, told, cellHint(el), title, attrs, near] : [own, loose, told, near, attrs]);
    // an "Address" label over a row of boxes whose placeholders name the parts ("주소 [우편번호] [도로명 주소]"): the box's own part
    if (hit && hit.token === "address-line1" && hit.text === own && el.tagName === "INPUT" && ph.length <= 25 && !/[,，、\/]/.test(ph)) { const part = byEvidence([ph]); if (part && /^(postal-code|address-level[123])$/.test(part.token)) hit = part; }
    // A placeholder that only shows a date's format ("TT.MM.JJJJ") says how to type a date, not which
    // date: the words beside the field decide (a policy's start date is not a birthday).
    if (hit && hit.text === ph && /^\W*(dd|tt|jj|gg)\W*mm\W*(yyyy|jjjj|aaaa|yy)\W*$/i.test(ph)) {
      hit = byEvidence([own, near, attrs]) || hit;
      // ...and words beside it that name no birth name another date ("מועד תחילת הביטוח": the policy's start)
      if (hit.text === ph && /\p{L}{3,}/u.test(own || near) && !BIRTH.test(`${own} ${near} ${attrs}`) && !BDAY_WORDS.test(`${own} ${near}`)) return "off";
    }
    // a box after a printed "@" is a handle: "@[yourname]"
    if (el.tagName === "INPUT" && type !== "email" && textBefore(el) === "@" && !(hit && /^(email|off)$/.test(hit.token))) return "username";
    // ...or whose placeholder shows one ("@yourname": a tag friends pay, not the person's name)
    if (el.tagName === "INPUT" && type !== "email" && /^@[\p{L}\d_]/u.test(ph) && !(hit && hit.text !== ph && /^(email|off)$/.test(hit.token))) return "username";
    // ...and a label that shows the format beside other words names those words' date
    if (hit && hit.token === "bday") {
      const words = hit.text.replace(/\b(dd|tt|jj|gg|zz|ll|mm|yyyy|jjjj|aaaa|rrrr|yy)\b/gi, " ");
      if (!BIRTH.test(`${hay} ${group()}`) && !BDAY_WORDS.test(words) && /\p{L}{3,}/u.test(words.replace(/\b(date|datum|fecha|data)\b/gi, ""))) return "off";
    }
    // an e-mail box "for promotions" is a newsletter sign-up, not a promo code
    if (hit && hit.token === "off" && type === "email" && (/promo|offers|angebot|newsletter|gutschein|voucher|coupon|rabatt|discount|\d\s?%/i.test(hit.text) || /newsletter/i.test(attrs)) && !/code|kode|c[oó]digo/i.test(hit.text)) return "email"; // ("Jetzt 10 % Gutschein sichern")
    if (hit && hit.token === "off" && type !== "password" && type !== "radio") return "off"; // (a radio's choice, "Wolę nie podawać", belongs to its group: the group decides)
    if (hit && /^(name|given-name|family-name|email|tel)$/.test(hit.token) && /\bguest|recipient|giftee|destinat[aá]ri|destinataire|empf[aä]nger/i.test(`${hay} ${group()}`) && offersCompanion(el)) return "off"; // (a gift's recipient)
    if (type === "email") return THEIRS.test(`${own} ${ph}`) ? "off" : "email"; // ("Neighbor's email", "Their email")
    if (type === "password") {
      // a masked field whose own words name something else: a card's CVC, a one-time code, an SSN
      const mine = hit && (hit.text === own || hit.text === ph);
      if (mine && /^(cc-csc|one-time-code|off)$/.test(hit.token)) return hit.token;
      if (hit && !own && hit.text === near && /^(cc-csc|one-time-code)$/.test(hit.token)) return hit.token; // (a label-less row: "Enter OTP sent to your mobile | [••••••]")
      if (/\b(current|old|existing|aktuell|actuel|actuelle|atual|actual|attuale|huidig|alt)\b|現在の|当前|현재/i.test(hay)) return "current-password"; // (words: "ContentPlaceHolder" holds "old")
      if (hit && hit.token === "new-password" || /new|neu|nouveau|nueva/i.test(hay)) return "new-password";
      // "Confirm" or "again" names a second box for the same new password; a lone box asked to be
      // confirmed ("Por segurança, confirme a sua senha", under "Confirmação") is the password the user has.
      if (ctx.passwords >= 2 && CONFIRM.test(hay)) return "new-password";
      if (ctx.passwords === 1 && CONFIRM.test(`${hay} ${group()}`)) return "current-password";
      // Two password fields: a sign-up (new + confirm). Three: change-password (current + new +
      // confirm). One beside several personal fields: a registration form.
      if (ctx.passwords === 2) return "new-password";
      if (ctx.passwords >= 3) return ctx.passwordIndex === 0 ? "current-password" : "new-password";
      return ctx.signup ? "new-password" : "current-password";
    }
    if (type === "checkbox" || type === "radio") {
      if (type === "radio") {
        const caption = group();
        const groupWords = `${caption} ${attrs}`;
        if (THEIRS.test(caption)) return "off"; // "Geschlecht des Tieres"
        const choice = clean(own || el.value);
        // "Civilité: M. / Mme" named id_gender by the shop: the caption a person reads decides
        if (TITLE_CAPTION.test(caption) && !GENDERS.test(choice)) return "honorific-prefix";
        if (/gender|\bsex\b|geschlecht|sexe|sexo|g[eé]nero|sesso|geslacht|p[lł]e[cć]|cinsiyet|性別|性别|เพศ|giới tính|jenis.?kelamin|jantina|стать|(^|\s)пол(\s|$)|लिंग|성별/i.test(groupWords) || GENDERS.test(choice)) return "sex";
        if ((TITLE_CAPTION.test(groupWords) && !/invoice|factura|fattura|rechnung|发票|發票|請求書/i.test(groupWords)) || TITLES.test(choice)) return "honorific-prefix"; // (an invoice title: a person or a company)
      }
      return "off";
    }
    if (el.tagName === "SELECT" && dialBefore(el) && !(hit && hit.token === "tel-country-code")) return "tel-area-code"; // "+36 [20 ▾] [number]"
    if (el.getAttribute("role") === "combobox" && !own && DIAL.test(pickerFace(el))) return "tel-country-code"; // a picker showing "+86"
    // (twelve words are months only where the label does not name a place: "İlçe" over twelve districts)
    const listed = fromOptions(el);
    const byOptions = listed === "month" && hit && hit.text === own && /^(address-level[123]|country)$/.test(hit.token) && !Array.from(el.options).some((o) => MONTHS.test(clean(o.textContent))) ? null : listed;
    if (byOptions === "tel-country-code" || byOptions === "honorific-prefix" || byOptions === "honorific-suffix" || byOptions === "sex" || byOptions === "cc-type") return byOptions;
    if (byOptions === "off") return "off";
    if (byOptions === "country") return hit && hit.token === "off" ? "off" : "country";
    // Parts of a date: a birthday's or a card expiry's, told apart by the words around them.
    const after = trailingText(el);
    const part = byOptions === "day" ? "day" : byOptions === "month" ? "month" : byOptions === "year" || byOptions === "future-year" ? "year"
      : el.tagName === "INPUT" && (Number(el.getAttribute("maxlength") || 99) <= 4 || own.length <= 12) ? datePart(own) || datePart(ph) || datePart(after) || (hit && hit.text !== attrs && !inSharedCell(el) ? null : datePart(attrs)) // (boxes sharing one cell under one header: each one's own name or title says which part, "GG_NASC giorno")
      // a short select (a date part whose options the page trimmed) only inside a birth date or an expiry
      : el.tagName === "SELECT" && (BIRTH.test(`${hay} ${group()}`) || EXP.test(`${hay} ${group()}`) || (ctx.hasCard && datePart(own))) ? datePart(own) || datePart(ph) || datePart(after) || datePart(attrs) || (el.options.length ? datePart(clean(el.options[0].textContent)) : null) || trimmedDays(el) : null; // (a first option "دن" with no empty value still names the part)
    // A field whose own words name a whole date ("MM / YY", "Date of birth") is not a part.
    const whole = hit && /^(cc-exp|bday)$/.test(hit.token) && (hit.text === own || hit.text === ph) && !datePart(hit.text) && el.tagName === "INPUT" && Number(el.getAttribute("maxlength") || 99) > 4;
    if (part && !(whole && !byOptions)) {
      const context = `${hay} ${group()}`;
      const birth = BIRTH.test(context);
      const exp = !birth && (EXP.test(context) || byOptions === "future-year");
      // a group that asks for some other date: "When do you want the permit to start?"
      if (!birth && !exp && (/\b(when|wann|quand|cu[aá]ndo|quando)\b|start|begin|d[eé]but|inicio|inizio/i.test(group()) || NEVER.test(group()))) return "off";
      // ...or whose own label names another date: "Registration year", "Year of manufacture" (not "Year", "Jahr")
      if (!birth && !exp && own && own.split(/[\s*:()\/.,-]+/).some((w) => /\p{L}{4,}/u.test(w) && !datePart(w) && !/^(select|choose|please|your|date|datum|fecha|data)$/i.test(w))) return "off";
      if (birth || (!exp && !ctx.hasCard && (byOptions || own.length <= 12))) return `bday-${part}`;
      if (exp || ctx.hasCard) return part === "day" ? "off" : `cc-exp-${part}`;
    }
    if (byOptions === "address-level1" && !(hit && hit.token === "country")) return "address-level1";
    if (byOptions === "address-level3") return "address-level3"; // a list of a city's districts under one "所在地区" label
    if (hit) {
      const t = hit.token;
      if (t === "country" && el.tagName === "INPUT" && /phone|dial|\btel/i.test(hay)) return "tel-country-code";
      // a word that means another part in the page's language (fieldwords.BY_LANGUAGE)
      const lang = el.ownerDocument.documentElement.lang || "";
      const meant = BY_LANGUAGE.find(([from, word, inLang]) => from === t && word.test(hit.text) && inLang.test(lang));
      if (meant) return meant[3];
      // one box for both names ("First and last name", "Nome e sobrenome"): the whole name
      if ((t === "given-name" || t === "family-name") && TWO_THINGS.test(hit.text)) {
        const parts = hit.text.split(TWO_THINGS).map((x, k, all) => byEvidence([/-$/.test(x) && all[k + 1] ? x.replace(/-$/, "") + all[k + 1].replace(/^.*?(name)\W*$/i, "$1") : x])); // ("Vor- und Nachname": Vorname)
        if (parts.length === 2 && parts.every((x) => x && /^(given-name|family-name)$/.test(x.token)) && parts[0].token !== parts[1].token) return "name";
      }
      if (t === "additional-name" && TWO_THINGS.test(hit.text) && hit.text.split(TWO_THINGS).some((x) => { const e = byEvidence([x]); return e && e.token === "given-name"; })) return "given-name"; // "First & Middle Name": the given-name box
      // an e-mail is typed or picked from the user's own addresses: any other list whose label also mentions e-mail is about something else ("Lingua dell'interfaccia e delle e-mail")
      if (t === "email" && el.tagName === "SELECT" && !Array.from(el.options).some((o) => /@/.test(o.textContent))) { const again = byEvidence([hit.text.replace(/e-?mails?/gi, " ")]); return again && again.token !== "email" ? again.token : "off"; }
      // someone else's field named by its own words ("Their cellphone number", "Doctor's office phone")
      if (/^(name|given-name|family-name|additional-name|nickname|username|email|tel|street-address|address-line1|bday)$/.test(t) && THEIRS.test(`${own} ${ph}`)) return "off"; // ("Login polecającego": the referrer's)
      // ...or as a parent's on a form the user fills in for themselves ("Parent 1 First Name", "Teléfono del tutor"; on a child's camp form the parent is the user)
      if (/^(name|given-name|family-name|additional-name|email|tel)$/.test(t) && PARENT.test(own) && !forAChild(el)) return "off";
      if (t === "tel" && dialBefore(el)) return "tel-national";
      // a select beside a phone number: a dial code, or a domestic prefix list ("010", "011")
      // the site's own language switch: in its header, or outside the page's forms
      if ((t === "language" || (t === "country" && LANGUAGE.test(hit.text))) && (closestUp(el, "header, nav, footer, [role=banner], [role=navigation], [role=contentinfo]") || (!formOf(el) && el.ownerDocument.forms.length && !(el.labels && el.labels.length)))) return "off";
      if (t === "tel" && el.tagName === "SELECT" && !Array.from(el.options).some((o) => /\d/.test(o.textContent + o.value))) return "off";
      if (t === "tel" && el.tagName === "SELECT") return Array.from(el.options).some((o) => /^0\d{1,3}$/.test(clean(o.textContent))) ? "tel-area-code" : "tel-country-code";
      // a card number or a job title is typed, never picked from a list (installments, occupations)
      if ((t === "cc-number" || t === "organization" || t === "organization-title" || /^(name|given-name|family-name|additional-name|nickname)$/.test(t)) && el.tagName === "SELECT") return "off"; // (a "First preference" list of schools)
      // one region box named as two levels ("Область / город ...", "Tỉnh/Thành phố"): the first, broader one
      if (t === "address-level2" && /\//.test(hit.text)) { const head = byEvidence([hit.text.split("/")[0]]); if (head && head.token === "address-level1") return "address-level1"; }
      // a label listing the parts of a whole line with its street ("Building / House No / Floor / Street")
      if (t === "address-line2" && el.tagName === "INPUT" && (hit.text.match(/[\/,]/g) || []).length >= 2 && STREET.test(hit.text)) return "address-line1";
      // ...and a label that says "line 1" before a hint listing a line-2 part ("Address Line 1 — Flat / House No., Building")
      if (t === "address-line2" && /\b(address|adresse|direcci[oó]n|endere[cç]o|indirizzo)\s*(line|ligne|l[ií]nea|linha|riga|zeile)\s*1\b/i.test(hit.text)) return "address-line1";
      // "Title" on a form that also asks for the company (a B2B lead form) is the job title.
      if (t === "honorific-prefix" && el.tagName === "INPUT" && ctx.hasOrg && /^\W*title\W*$/i.test(hit.text)) return "organization-title";
      if (/^address-line[123]$/.test(t) && el.tagName === "TEXTAREA") return "street-address";
      // a text area holds free text or a whole address, never one part of a name or a phone ("Waar heeft u last van?")
      if (/^(given-name|family-name|additional-name|nickname|tel)$/.test(t) && el.tagName === "TEXTAREA") return "off";
      // "Departamento" is a flat in Spain and a region in Colombia, Peru or Uruguay: a list of them is a region
      if (t === "address-line2" && el.tagName === "SELECT" && /departamento/i.test(hit.text) && el.options.length > 4) return "address-level1";
      // a lookup's list of whole addresses (but a list of floors or doors, "st. / 1. / 2.", is line 2)
      if (/^(address-line|street-address)/.test(t) && el.tagName === "SELECT") return t === "address-line2" && Array.from(el.options).filter((o) => o.value).every((o) => clean(o.textContent).length <= 8) ? t : "off";
      // an address finder ("Start typing your address", a combobox) takes the whole address
      if (t === "address-line1" && el.tagName === "INPUT" && (el.getAttribute("role") === "combobox" || /list|both/.test(el.getAttribute("aria-autocomplete") || "")) && /start.?typing|type.?(your|an|the).?address|find.?(your|an|the)?.?address|address.?(finder|lookup)|look.?up/i.test(hit.text)) return "street-address";
      if (t === "cc-name" && (PARCEL_TO.test(`${own} ${ph}`) || /\bgift|regalo|cadeau|geschenk/i.test(`${own} ${ph}`))) return "off"; // a gift card's "To (recipient's name on the card)"
      if (/^(name|given-name)$/.test(t) && ctx.hasCard && /tarjeta|\bcard\b|carte|cart[aã]o|karte|titular|holder/i.test(`${own} ${ph}`) && !/\bid\b|identi|dni/i.test(`${own} ${ph}`)) return "cc-name"; // "Nombre (como aparece en la tarjeta)"
      if (t === "cc-csc" && !ctx.hasCard && !/cvc|cvv|csc|cvn/i.test(hay)) return "off"; // a building's "security code"
      if (t === "cc-type" && !ctx.hasCard) return "off"; // a "card-type" list on a page that takes no card: a medical card's kind
      if (t === "cc-exp" && !ctx.hasCard && /\p{L}{4,}/u.test(hit.text.replace(/expir\w*|\bexp\b|date|datum|fecha|valid\w*|\b(mm|yy|yyyy|jj|aa)\b/gi, " "))) return "off"; // "Previous policy expiry date" (not "MM / YY")
      return t;
    }
    if (type === "tel") return dialBefore(el) ? "tel-national" : "tel";
    if (type === "url") return "url";
    if (type === "date" && BIRTH.test(hay)) return "bday";
    ctx.unknown = true; // no rule knew it (unlike a deliberate "off": coupons, search, consent boxes)
    return "off";
  }



  // Fields that only make sense together, read in page order. Each pass looks at the field at i
  // and its neighbours and may retype them; one that consumed the next n fields returns n, and
  // they are not looked at again. The passes run in this order on each field (a later one sees
  // what an earlier one decided); then two form-wide passes.
  function refineGroups(list) {
    const passes = [phoneParts, expiryParts, twoThings, addressLevels, namePair, addressLines];
    for (let i = 0; i < list.length; i++) {
      for (const pass of passes) {
        const consumed = pass(list, i);
        if (consumed) { i += consumed; break; }
      }
    }
    firstLine(list);
    wholeAddress(list);
    guestBlock(list);
    numberedBlocks(list);
    loneName(list);
    return list;
  }

  // A phone in parts: three boxes (area, prefix, suffix), a short first box or a dial-code picker
  // before the number, an area code then the local number.
  function phoneParts(list, i) {
    const f = list[i], next = list[i + 1], third = list[i + 2];
    const areaList = f.type === "tel-area-code"; // "010 ▾ - [    ] - [    ]", "Area code, First 3 digits, Last 4 digits"
    if ((f.type === "tel" || areaList) && next && next.type === "tel" && third && third.type === "tel") {
      const ml = [f, next, third].map((x) => Number(x.el.getAttribute("maxlength") || 0));
      if ((areaList || ml[0] && ml[0] <= 5) && ml[2] <= 4) {
        f.type = "tel-area-code";
        next.type = "tel-local-prefix";
        third.type = "tel-local-suffix";
        return 2;
      }
    }
    if (f.type === "tel" && next && next.type === "tel" && Number(f.el.getAttribute("maxlength") || 99) <= 5) { // (an Indian STD code takes up to 5)
      f.type = f.el.tagName === "SELECT" || /\+/.test(f.el.value || f.el.getAttribute("placeholder") || "") ? "tel-country-code" : "tel-area-code";
      next.type = f.type === "tel-area-code" ? "tel-local" : "tel-national"; // after its area code, the rest is the local number
    }
    if (f.type === "tel-area-code" && next && next.type === "tel" && !(third && third.type === "tel")) next.type = "tel-local";
    // ...also a "Número" box after the area code that the page names as the phone ("phone[number]")
    if (f.type === "tel-area-code" && next && /^address-line/.test(next.type) && /phone|\btel|fone|celular|m[oó]vil/i.test(attrText(next.el))) next.type = "tel-local";
    if (f.type === "country" && f.el.tagName === "INPUT" && Number(f.el.getAttribute("maxlength") || 99) <= 4 && next && /^tel/.test(next.type)) f.type = "tel-country-code";
    // A dial-code picker then the number: the number is the national part (unless the number is in part boxes).
    if (f.type === "tel-country-code" && next && next.type === "tel" && !(Number(next.el.getAttribute("maxlength") || 99) <= 4 && third && third.type === "tel")) next.type = "tel-national";
    return 0;
  }

  // An expiry as two selects: month, then year.
  function expiryParts(list, i) {
    const f = list[i], next = list[i + 1];
    if (f.type === "cc-exp" && next && (next.type === "cc-exp" || next.type === "cc-exp-year" || next.type === "off") && f.el.tagName === "SELECT") {
      f.type = "cc-exp-month";
      next.type = "cc-exp-year";
    }
    return 0;
  }

  // One label over two controls that names two things ("PLZ / Ort", "Postcode, Town"): the second
  // control is the second thing.
  function twoThings(list, i) {
    const f = list[i], nx = list[i + 1];
    if (!(nx && nx.type === f.type && f.label && nx.label === f.label && TWO_THINGS.test(f.label))) return 0;
    const [first, ...others] = f.label.split(TWO_THINGS);
    const rest = byEvidence([others.join(" ")]), head = byEvidence([first]);
    if (rest && rest.token !== f.type && rest.token !== "off") {
      nx.type = rest.token;
      if (head && head.token !== f.type && head.token !== "off" && head.token !== rest.token) f.type = head.token; // "Nome e cognome": given, then family
    } else if (rest && rest.token === f.type && head && head.token !== f.type && head.token !== "off" && !/^address-line/.test(head.token + f.type)) {
      f.type = head.token; // ...and the first control the first thing ("State / ZIP": a state select, then the ZIP box)
    }
    return 0;
  }

  // Address levels told apart by their neighbours.
  function addressLevels(list, i) {
    const f = list[i];
    // A suburb beside a town or city (New Zealand) is the level below it; a region that also names a
    // district ("المنطقة / الحي") beside a governorate is that district.
    if (f.type === "address-level2" && (/suburb|locality/i.test(f.label) || LEVEL3.test(f.label)) && list.some((o) => o !== f && o.type === "address-level2" && /city|town/i.test(o.label) && !/suburb|locality/i.test(o.label))) f.type = "address-level3"; // (an Indian "Area / Locality" beside "City / Town")
    if (f.type === "address-level1" && LEVEL3.test(`${f.label} ${nearbyText(f.el)}`) && list.some((o) => o !== f && o.type === "address-level1" && !LEVEL3.test(o.label))) f.type = "address-level3";
    // Two different levels read as level 2 one after the other (a cascade "Thành phố" then "Quận / Huyện"):
    // the second is the level below.
    if (f.type === "address-level2" && i > 0 && list[i - 1].type === "address-level2" && list[i - 1].label && f.label && list[i - 1].label !== f.label && !/city|town|stadt|ville|ciudad|citt|cidade|kunta|municip/i.test(f.label)) f.type = "address-level3";
    // A county asked for beside a state (US forms) is not the broadest level: no token.
    if (f.type === "address-level1" && /county/i.test(f.label) && list.some((o) => o !== f && o.type === "address-level1" && /state|province/i.test(o.label))) f.type = "off";
    return 0;
  }

  // Two "name" boxes in a row, neither called the full name: given, then family.
  function namePair(list, i) {
    const f = list[i], next = list[i + 1];
    if (f.type === "given-name" && next && next.type === "name" && /^\W*(name|nom|nome|nombre|naam|navn|namn|nazwisko)\W*$/i.test(next.label.replace(/\(.*?\)/g, ""))) next.type = "family-name"; // "Vorname", then "Name (*)"
    if (f.type === "family-name" && next && next.type === "name" && !/full|complet|氏名|姓名|성명|전체/i.test(next.label) && !TWO_THINGS.test(next.label) && !next.label.split(/\s+/).some((w) => (byEvidence([w]) || {}).token === "family-name")) next.type = "given-name"; // (not "Jméno a příjmení", which names the surname too) // "영문 성", "영문 이름": the surname, then the given name
    if (f.type === "name" && next && next.type === "name" && !/full|complet|氏名|姓名/i.test(f.label + next.label)) {
      f.type = "given-name";
      next.type = "family-name";
    }
    return 0;
  }

  // Address lines: a house number asked before its street, and line 1 followed by more lines.
  function addressLines(list, i) {
    const f = list[i], next = list[i + 1], third = list[i + 2];
    if (!(f.type === "address-line1" && next && next.type === "address-line1")) return 0;
    // A house number asked before its street ("Numéro civique", then "Rue"): the street is line 1.
    if (HOUSE_NUMBER.test(f.label) && !STREET.test(f.label.replace(HOUSE_NUMBER, " ")) && STREET.test(next.label)) {
      f.type = "address-line2";
      return 1;
    }
    if ((!/street|stra/i.test(next.label) || next.label === f.label) && !inColumns(f.el, next.el)) {
      next.type = "address-line2";
      if (third && third.type === "address-line1" && !/street|stra/i.test(third.label)) third.type = "address-line3";
    }
    return 0;
  }

  // An address whose first box names a line-2 part and no box is line 1 ("House / Flat / Block No.",
  // "Apartment / Building name", "Area", "City"): the first box is line 1.
  function firstLine(list) {
    const forms = new Set(list.map((f) => formOf(f.el)));
    for (const form of forms) {
      const mine = list.filter((f) => formOf(f.el) === form);
      if (mine.some((f) => /^(address-line1|street-address)$/.test(f.type)) || !mine.some((f) => /^(address-level2|postal-code)$/.test(f.type))) continue;
      const first = mine.find((f) => f.type === "address-line2");
      // (a Dutch "Postcode, Huisnummer" lookup keeps its number as line 2, and a list of floors is no line 1)
      if (first && first.el.tagName === "INPUT" && !HOUSE_NUMBER.test(first.label)) first.type = "address-line1";
    }
  }

  // One box for the whole address: an "Address" field with no city, postcode or other line in its form.
  function wholeAddress(list) {
    for (const f of list) {
      const words = `${f.label} ${f.el.getAttribute("placeholder") || ""}`;
      if (f.type !== "address-line1" || f.el.tagName !== "INPUT" || /line|\d/i.test(words) || STREET.test(words)) continue;
      const mine = list.filter((o) => formOf(o.el) === formOf(f.el));
      if (mine.filter((o) => o.type === "address-line1").length === 1 && !mine.some((o) => /^(address-line[23]|address-level[123]|postal-code|street-address)$/.test(o.type))) f.type = "street-address";
    }
  }

  // A booking's second block of personal fields captioned as the guest or the person staying, after the
  // booker's own name in a block of its own: the guest's ("Konaklayacak kişinin bilgileri").
  function guestBlock(list) {
    let booker = null;
    for (const f of list) {
      if (!/^(name|given-name|family-name|additional-name|email|tel|tel-national)$/.test(f.type)) continue;
      const c = blockCaption(f.el);
      if (booker === null) { if (/^(name|given-name|family-name)$/.test(f.type)) booker = c; continue; }
      if (c !== booker && GUEST_BLOCK.test(c) && !GUEST_BLOCK.test(booker)) f.type = "off";
    }
  }

  // Blocks the form numbers ("Επιβάτης 1", "Επιβάτης 2"): a later block that asks again for what the
  // first asked (a name, a birth date) is another person's. The same kind of detail is required, so
  // numbered steps of one person's form ("Step 1 · Name", "Step 2 · Contact") are left alone.
  const KIND = { name: "name", "given-name": "name", "family-name": "name", "additional-name": "name", "honorific-prefix": "name", email: "email", tel: "tel", "tel-national": "tel", bday: "bday", sex: "sex" };
  function numberedBlocks(list) {
    const first = new Map(); // the caption's word -> kinds of detail in its block number 1
    for (const f of list) {
      const kind = KIND[f.type];
      if (!kind) continue;
      const m = /(\p{L}{3,})\s*(?:#|no\.?|nr\.?|n[º°])?\s*([1-9])(?!\d)/u.exec(blockCaption(f.el));
      if (!m) continue;
      const word = m[1].toLowerCase();
      if (m[2] === "1") { if (!first.has(word)) first.set(word, new Set()); first.get(word).add(kind); }
      else if (first.has(word) && first.get(word).has(kind)) f.type = "off";
    }
  }

  // A lone box called only "Tên" ("Nome", "Nombre") in a form that asks no surname: the whole name.
  function loneName(list) {
    for (const f of list) {
      if (f.type !== "given-name" || !/^\W*(tên|nome|nombre)\W*$/iu.test(f.label)) continue;
      if (!list.some((o) => formOf(o.el) === formOf(f.el) && /^(family-name|additional-name)$/.test(o.type))) f.type = "name";
    }
    // "Surname" and "Other names" (Kenya, Nigeria, Ghana) with no first name asked: the other names are the given names
    for (const f of list) {
      if (f.type !== "additional-name" || !/other.?names?/i.test(f.label)) continue;
      const mine = list.filter((o) => formOf(o.el) === formOf(f.el));
      if (mine.some((o) => o.type === "family-name") && !mine.some((o) => o.type === "given-name")) f.type = "given-name";
    }
  }

  function classify(scope) {
    begin(scope);
    const els = controls(scope);
    const passwords = els.filter((e) => (e.getAttribute("type") || "").toLowerCase() === "password");
    const cardRe = RULES.find(([t]) => t === "cc-number")[1];
    const hasCard = els.some((e) => /cc-number/.test(e.getAttribute("autocomplete") || "") || cardRe.test(ownLabel(e)) || cardRe.test(attrText(e)) || cardRe.test(e.getAttribute("placeholder") || ""));
    const orgRe = RULES.find(([t]) => t === "organization")[1];
    const hasOrg = els.some((e) => orgRe.test(ownLabel(e)) || orgRe.test(attrText(e)));
    // Text-like fields per form (once, not per field): several beside a password make it a registration.
    const textsIn = new Map();
    // (one-character boxes are a code's digits, not personal fields)
    for (const e of els) if (!/^(password|checkbox|radio)$/i.test(e.getAttribute("type") || "") && e.tagName !== "SELECT" && !(e.hasAttribute("maxlength") && Number(e.getAttribute("maxlength")) <= 1)) textsIn.set(formOf(e), (textsIn.get(formOf(e)) || 0) + 1);
    const list = els.map((el) => {
      // a log-in form and a sign-up form on one page: each form's passwords are counted on their own
      const mine = passwords.filter((p) => formOf(p) === formOf(el));
      const ctx = { passwords: mine.length, passwordIndex: mine.indexOf(el), hasCard, hasOrg, signup: (textsIn.get(formOf(el)) || 0) >= 3 };
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

  SB.fields = { classify, describe, labelOf, clean, RULES, TOKENS };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
