// One table of named handlers; every request gets a reply (errors as BridgeError codes).
import { BridgeError } from "./protocol.js";

export class Router {
  constructor() {
    this.table = new Map();
  }

  add(handlers) {
    for (const [name, fn] of Object.entries(handlers)) {
      if (this.table.has(name)) throw new Error(`handler ${name} registered twice`);
      this.table.set(name, fn);
    }
    return this;
  }

  methods() {
    return [...this.table.keys()].sort();
  }

  async handle(method, params) {
    const fn = this.table.get(method);
    if (!fn) throw new BridgeError("method_not_found", `the extension has no command ${method}`);
    if (params === null || typeof params !== "object" || Array.isArray(params)) throw new BridgeError("invalid_params", "params must be an object");
    return fn(params);
  }
}
