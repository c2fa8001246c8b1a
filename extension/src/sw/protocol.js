// The envelope, mirrored from host/swarmbridge/protocol/envelope.py. Golden messages in
// host/swarmbridge/protocol/golden/ are checked by both test suites so the sides cannot drift.
export const VERSION = 1;
const KINDS = new Set(["request", "response", "event"]);
const FIELDS = new Set(["v", "id", "kind", "method", "params", "result", "error"]);

export class ProtocolError extends Error {
  constructor(code, message, id) {
    super(message);
    this.code = code;
    this.id = id;
  }
}

// Validate a parsed message; returns it or throws ProtocolError(invalid_request).
export function validate(msg) {
  const bad = (why) => {
    const id = msg && typeof msg === "object" && typeof msg.id === "string" && msg.id.length > 0 && msg.id.length <= 128 ? msg.id : undefined;
    throw new ProtocolError("invalid_request", `invalid envelope: ${why}`, id);
  };
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) bad("not an object");
  for (const k of Object.keys(msg)) if (!FIELDS.has(k)) bad(`unknown field ${k}`);
  if (msg.v !== VERSION) bad(`unsupported protocol version ${msg.v}`);
  if (typeof msg.id !== "string" || msg.id.length < 1 || msg.id.length > 128) bad("id must be 1-128 characters");
  if (!KINDS.has(msg.kind)) bad(`unknown kind ${msg.kind}`);
  if ("params" in msg && (msg.params === null || typeof msg.params !== "object" || Array.isArray(msg.params))) bad("params must be an object");
  if (msg.kind === "response") {
    if (("result" in msg) === ("error" in msg)) bad("a response carries exactly one of result and error");
    if ("method" in msg || "params" in msg) bad("a response carries no method or params");
    if ("error" in msg) {
      const e = msg.error;
      if (!e || typeof e !== "object" || typeof e.code !== "string" || typeof e.message !== "string") bad("error needs code and message");
    }
  } else {
    if (typeof msg.method !== "string" || !msg.method) bad(`a ${msg.kind} needs a method`);
    if ("result" in msg || "error" in msg) bad(`a ${msg.kind} carries no result or error`);
  }
  return msg;
}

export function decode(text) {
  let msg;
  try {
    msg = typeof text === "string" ? JSON.parse(text) : text;
  } catch (e) {
    throw new ProtocolError("parse_error", `not valid JSON: ${e.message}`);
  }
  return validate(msg);
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 7);
export const newId = (p = "x") => `${p}${prefix}-${++counter}`;

export const request = (method, params = {}, id = newId("x")) => ({ v: VERSION, id, kind: "request", method, params });
export const event = (method, params = {}) => ({ v: VERSION, id: newId("xe"), kind: "event", method, params });
export const ok = (id, result) => ({ v: VERSION, id, kind: "response", result: result === undefined ? null : result });
export function fail(id, code, message, data) {
  const error = { code, message: String(message) };
  if (data !== undefined) error.data = data;
  return { v: VERSION, id: id || "unknown", kind: "response", error };
}

export class BridgeError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}
