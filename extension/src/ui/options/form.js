// Form plumbing shared by the options page's sections: the daemon validates every value (one
// source of truth); its `invalid_params` error carries data.fields = {field: message}, and each
// message is shown next to the input it is about. Nothing here decides what is valid.

// Clear every error and message inside `root`.
export function clearErrors(root) {
  for (const e of root.querySelectorAll(".err")) e.textContent = "";
  for (const e of root.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
}

// Show a daemon error: each field's message in the error element `where(field)` returns (and the
// input before it marked invalid); whatever has no place goes to `msg`.
export function showError(err, where, msg) {
  const fields = errorFields(err);
  let placed = 0;
  for (const [field, text] of Object.entries(fields)) {
    const slot = where(field);
    if (!slot) continue;
    slot.textContent = text;
    const input = slot.previousElementSibling;
    if (input && /^(INPUT|TEXTAREA|SELECT)$/.test(input.tagName)) input.setAttribute("aria-invalid", "true");
    placed++;
  }
  say(msg, placed ? "Not saved: fix the marked fields." : `Not saved: ${err.message}`, false);
}

// {field: message} from our settings errors (data.fields) or from a pydantic error list (data =
// [{loc, msg}], what the daemon's router sends for other components' models).
export function errorFields(err) {
  const data = err && err.data;
  if (data && data.fields && typeof data.fields === "object") return data.fields;
  const out = {};
  if (Array.isArray(data)) for (const e of data) if (e && Array.isArray(e.loc) && e.loc.length) out[String(e.loc[0])] ??= String(e.msg || "invalid").replace(/^Value error, /, "");
  return out;
}

export function say(msg, text, ok = true) {
  if (!msg) return;
  msg.textContent = text;
  msg.classList.toggle("ok", !!ok);
  msg.classList.toggle("bad", !ok);
}

// One entry per non-empty line (site and folder lists).
export function lines(text) {
  return String(text || "").split("\n").map((s) => s.trim()).filter(Boolean);
}

// "token = value" lines -> {token: value}; a line without "=" is reported, not guessed at.
export function pairs(text) {
  const out = {};
  const bad = [];
  for (const line of lines(text)) {
    const i = line.indexOf("=");
    if (i < 1) bad.push(line);
    else out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { values: out, bad };
}

export function pairsText(obj) {
  return Object.entries(obj || {}).map(([k, v]) => `${k} = ${v}`).join("\n");
}

// Run `fn` with `button` disabled, so a double click cannot send a request twice.
export async function busy(button, fn) {
  button.disabled = true;
  try {
    return await fn();
  } finally {
    button.disabled = false;
  }
}

// A list item's button (remove, unmount): busy while the call runs; a failure is said in `msg`.
export function itemAction(button, msg, failed, fn) {
  return busy(button, async () => {
    try {
      await fn();
    } catch (err) {
      say(msg, `${failed}: ${err.message}`, false);
    }
  });
}
