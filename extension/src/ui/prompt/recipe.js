// From a finished pick (the page session's state) and the prompt's choices to the scheduler's
// scrape trigger and job spec. Pure: tested in node (tests/js/test_pick_recipe.test.js); the
// daemon validates the result again (jobs.ScrapeTrigger) before anything is saved.

// The field that identifies a row across runs (so an edited price is "changed", not removed and
// added): the first link URL, else the first field.
export function defaultKey(fields) {
  const link = fields.find((f) => f.attr === "href");
  return link ? link.name : fields.length ? fields[0].name : "";
}

export function defaultName(url) {
  let host = "list";
  try {
    host = new URL(url).hostname || host;
  } catch (_) {
    /* keep the default */
  }
  return `${host.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "list"}-list`;
}

// The scrape trigger: the schema the pick produced, run as the scheduler runs every recipe.
export function triggerFor(state, source, { scroll = false, maxPages = 10, key = "", format = "", notify = true } = {}) {
  if (!state || !state.item) throw new Error("pick at least two examples of the repeated item first");
  if (!state.fields || !state.fields.length) throw new Error("pick at least one field inside an item");
  const pages = Math.trunc(Number(maxPages));
  if (!(pages >= 1 && pages <= 200)) throw new Error("pages at most: a number from 1 to 200");
  const trigger = { kind: "scrape", url: state.url || source.url, wait_selector: state.item, scroll: false, schema: state.schema, notify_on_change: !!notify };
  if (state.next) trigger.paginate = { maxPages: pages };
  // Scrolling: once before extracting (the job's own step), or on every page when there is a
  // next link too (the extractor scrolls each page it reaches when the schema says so).
  if (scroll && state.next) trigger.schema = { ...state.schema, scroll: true };
  else if (scroll) Object.assign(trigger, { scroll: true, item_selector: state.item });
  if (key) {
    if (!state.fields.some((f) => f.name === key)) throw new Error(`the row key ${key} is not one of the fields`);
    trigger.key = key;
  }
  if (format) {
    if (!["csv", "xlsx", "sqlite"].includes(format)) throw new Error(`unknown output format ${format}`);
    trigger.output = format;
  }
  return trigger;
}

export function jobSpec(name, cron, tz, trigger) {
  const n = String(name || "").trim();
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(n)) throw new Error("a schedule name is letters, digits, . _ or - (at most 100)");
  if (!String(cron || "").trim()) throw new Error("give a cron expression, e.g. 0 * * * * (hourly)");
  return { name: n, cron: String(cron).trim(), tz: tz || "UTC", trigger };
}

// Column order for a preview table: first-seen order over the rows.
export function columns(rows) {
  const cols = [];
  for (const r of rows) for (const k of Object.keys(r || {})) if (!cols.includes(k)) cols.push(k);
  return cols;
}

// Selectors typed by hand ("name=CSS" or "name=CSS@attr", one field per line), for pages where
// picking cannot help (frames, closed components) or to correct what was inferred.
export function parseFields(text) {
  const fields = [];
  for (const line of String(text || "").split("\n").map((l) => l.trim()).filter(Boolean)) {
    const m = /^([\w-]{1,40})\s*=\s*(.+?)(?:@([A-Za-z][\w-]*))?$/.exec(line);
    if (!m) throw new Error(`cannot read the field line "${line}" (name=CSS or name=CSS@attr)`);
    if (fields.some((f) => f.name === m[1])) throw new Error(`the field ${m[1]} is there twice`);
    fields.push(m[3] ? { name: m[1], selector: m[2].trim(), attr: m[3] } : { name: m[1], selector: m[2].trim() });
  }
  if (!fields.length) throw new Error("add at least one field (name=CSS)");
  return fields;
}

export const fieldsText = (fields) => fields.map((f) => `${f.name}=${f.selector}${f.attr ? `@${f.attr}` : ""}`).join("\n");

// A state shaped like the page session's, from typed selectors.
export function manualState(key, url, item, text, next) {
  const sel = String(item || "").trim();
  if (!sel) throw new Error("give the CSS selector of each item");
  const fields = parseFields(text);
  const schema = { item: sel, fields: Object.fromEntries(fields.map((f) => [f.name, f.attr ? { selector: f.selector, attr: f.attr } : f.selector])) };
  const nxt = String(next || "").trim();
  if (nxt) schema.next = nxt;
  return { key, step: "manual", url, examples: 0, item: sel, fields, next: nxt || null, schema, error: "" };
}
