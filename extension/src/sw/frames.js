// Talking to the content scripts of a tab: inject on demand into every frame (guarded against
// double injection), send a command to one frame, or to all frames (snapshot). Refs from frames
// other than the top one are written "f<frameId>:e<n>".
import { BridgeError } from "./protocol.js";

export const CONTENT_FILES = [
  "src/content/refs.js",
  "src/content/snapshot.js",
  "src/content/actions.js",
  "src/content/wait.js",
  "src/content/extract.js",
  "src/content/article.js",
  "src/content/fieldwords.js",
  "src/content/formpage.js",
  "src/content/fields.js",
  "src/content/autofill.js",
  "src/content/bootstrap.js",
];

export function parseRef(ref, frame) {
  const m = /^f(\d+):(e\d+)$/.exec(String(ref || ""));
  if (m) return { frameId: Number(m[1]), ref: m[2] };
  return { frameId: frame !== undefined && frame !== null ? Number(frame) : 0, ref };
}

export async function inject(tabId, frameIds) {
  const target = frameIds ? { tabId, frameIds } : { tabId, allFrames: true };
  try {
    await chrome.scripting.executeScript({ target, files: CONTENT_FILES, injectImmediately: true });
  } catch (e) {
    throw new BridgeError("unavailable", `cannot script this page (${e.message}); browser pages and the web store are off limits`);
  }
}

function send(tabId, frameId, cmd, params) {
  return chrome.tabs.sendMessage(tabId, { sb: 1, cmd, params }, { frameId });
}

const NO_RECEIVER = /Receiving end does not exist|Could not establish connection|message port closed|No frame with id/i;

// Run one content command in one frame, injecting first when the frame has no content script yet.
export async function call(tabId, frameId, cmd, params = {}) {
  let reply;
  try {
    reply = await send(tabId, frameId, cmd, params);
  } catch (e) {
    if (!NO_RECEIVER.test(e.message || "")) throw new BridgeError("unavailable", e.message);
    await inject(tabId, [frameId]);
    try {
      reply = await send(tabId, frameId, cmd, params);
    } catch (e2) {
      throw new BridgeError("unavailable", `frame ${frameId} of tab ${tabId} did not answer: ${e2.message}`);
    }
  }
  if (!reply) throw new BridgeError("unavailable", `frame ${frameId} of tab ${tabId} navigated away before answering`);
  if (!reply.ok) throw new BridgeError(reply.error.code, reply.error.message, reply.error.data);
  return reply.result;
}

export async function frames(tabId) {
  const all = (await chrome.webNavigation.getAllFrames({ tabId })) || [];
  return all.filter((f) => !f.errorOccurred && /^(https?|file|about|data):/.test(f.url));
}

// One command in each listed frame at once, in list order: {f, got} or {f, error} per frame (one
// frame that cannot be scripted does not sink the others).
function eachFrame(tabId, list, cmdFor, paramsFor) {
  return Promise.all(list.map((f) => call(tabId, f.frameId, cmdFor(f), paramsFor(f)).then((got) => ({ f, got }), (e) => ({ f, error: e }))));
}
const prefixed = (frameId, ref) => (frameId === 0 ? ref : `f${frameId}:${ref}`);

// Snapshot every frame and stitch: the top frame's text, then each sub-frame's, with refs prefixed.
export async function snapshotAll(tabId, params) {
  await inject(tabId);
  const list = await frames(tabId);
  const results = (await eachFrame(tabId, list, () => "snapshot", () => params)).map(({ f, got, error }) => ({ f, snap: got, error: error && error.message }));
  const top = results.find((r) => r.f.frameId === 0);
  if (!top || !top.snap) throw new BridgeError("unavailable", `could not snapshot tab ${tabId}: ${(top && top.error) || "no top frame"}`);
  const out = { ...top.snap, tabId, frames: [] };
  const texts = [top.snap.text];
  for (const { f, snap, error } of results) {
    if (f.frameId === 0) continue;
    const id = `f${f.frameId}`;
    out.frames.push({ frame: f.frameId, parent: f.parentFrameId, url: f.url, error });
    if (!snap || (params.delta && !snap.text.trim())) continue;
    const text = snap.text.replace(/\[(e\d+) /g, `[${id}:$1 `);
    texts.push(`[frame ${id} ${f.url}]\n${text.split("\n").map((l) => "  " + l).join("\n")}`);
    for (const el of snap.elements) out.elements.push({ ...el, ref: prefixed(f.frameId, el.ref), frame: f.frameId });
  }
  out.text = texts.filter(Boolean).join("\n");
  return out;
}

// Autofill over a tab's frames. Every frame of the top page's origin is read and filled (an
// address form in a same-origin iframe); a cross-origin frame (an embedded form, a payment
// provider's card frame) is read and listed but filled only when named with `frame`, as browsers
// keep autofill out of third-party frames. Refs of sub-frames are written "f<frameId>:e<n>".
export function frameOrigins(list) {
  const byId = new Map(list.map((f) => [f.frameId, f]));
  const origin = (f, depth = 0) => {
    if (!f) return null;
    if (/^about:/.test(f.url)) return depth < 20 ? origin(byId.get(f.parentFrameId), depth + 1) : null; // about:blank and srcdoc: the parent's origin
    try {
      const o = new URL(f.url).origin;
      return o === "null" ? null : o; // data: and sandboxed: an opaque origin, never the top's
    } catch {
      return null;
    }
  };
  return new Map(list.map((f) => [f.frameId, origin(f)]));
}

// `only`: the one frame a caller named (by `frame`, a ref or a selector), filled whatever its origin.
export async function autofillAll(tabId, cmd, params, only = null) {
  let list = await frames(tabId);
  const origins = frameOrigins(list);
  const top = origins.get(0);
  if (only !== null) {
    list = list.filter((f) => f.frameId === only);
    if (!list.length) list = [{ frameId: only, url: "" }]; // (not a page we list: the call says why)
  }
  const fill = cmd === "autofill_fill";
  const out = { fields: [], frames: [] };
  if (fill) out.filled = 0;
  const own = (f) => only !== null || f.frameId === 0 || (top !== null && origins.get(f.frameId) === top);
  const argsFor = (f) => {
    const args = { ...params };
    if (f.frameId !== 0 && only === null) delete args.next; // the form's "next" control is the top page's
    if (params.types) args.types = Object.fromEntries(Object.entries(params.types).filter(([r]) => parseRef(r).frameId === f.frameId).map(([r, t]) => [parseRef(r).ref, t]));
    return args;
  };
  const sorted = [...list].sort((a, b) => (a.frameId === 0 ? -1 : b.frameId === 0 ? 1 : 0)); // the top page's fields first
  for (const { f, got, error } of await eachFrame(tabId, sorted, (f) => (fill && !own(f) ? "autofill_classify" : cmd), argsFor)) {
    if (error) {
      if (f.frameId === 0 || only !== null) throw error;
      out.frames.push({ frame: f.frameId, url: f.url, error: error.message });
      continue;
    }
    if (f.frameId !== 0) out.frames.push({ frame: f.frameId, url: f.url, crossOrigin: origins.get(f.frameId) !== top, fields: got.fields.length });
    for (const field of got.fields) {
      const entry = { ...field, ref: prefixed(f.frameId, field.ref) };
      if (f.frameId !== 0) entry.frame = f.frameId;
      if (fill && !own(f)) Object.assign(entry, { filled: false, reason: `in a cross-origin frame (${f.url}): fill it by naming frame ${f.frameId}` });
      out.fields.push(entry);
    }
    if (fill && own(f)) out.filled += got.filled;
    if (got.next !== undefined) out.next = got.next;
  }
  return out;
}
