// The native-messaging port to swarmbridge-host: one port, exponential back-off on reconnect,
// replies correlated by id with time-outs, everything pending rejected on disconnect, chunked
// messages reassembled before dispatch, and `bridge.hello` sent first on every (re)connection.
import { Reassembler } from "./chunks.js";
import { BridgeError, decode, fail, ok, request, ProtocolError } from "./protocol.js";

export const HOST_NAME = "dev.swarmbridge.host";

export class NativePort {
  // connect(): returns a chrome.runtime.Port-like object (connectNative in the extension, a fake in tests)
  // onRequest(method, params): Promise<result>, throwing BridgeError for error replies
  // hello(): Promise<params for bridge.hello>
  // topics: event prefixes to subscribe to after every hello (daemon events for notifications and UI)
  constructor({ connect, onRequest, onEvent = () => {}, hello, topics = [], log = console, minDelay = 250, maxDelay = 30000, timeoutMs = 60000 }) {
    Object.assign(this, { connect, onRequest, onEvent, hello, topics, log, minDelay, maxDelay, timeoutMs });
    this.port = null;
    this.pending = new Map();
    this.chunks = new Reassembler();
    this.delay = minDelay;
    this.timer = null;
    this.state = "idle"; // idle | connecting | connected | waiting
    this.bridgeId = null;
    this.daemonUp = false;
    this.listeners = new Set();
  }

  onState(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setState(state, extra = {}) {
    this.state = state;
    for (const fn of this.listeners) {
      try {
        fn({ state, bridgeId: this.bridgeId, daemonUp: this.daemonUp, ...extra });
      } catch (_) {}
    }
  }

  start() {
    if (this.port || this.timer) return;
    this.open();
  }

  // Close the port and cancel every timer (tests; extension shutdown).
  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    const port = this.port;
    this.port = null;
    this.rejectAll(new BridgeError("cancelled", "bridge stopped"));
    if (port && port.disconnect) port.disconnect();
    this.setState("idle");
  }

  open() {
    this.timer = null;
    this.setState("connecting");
    let port;
    try {
      port = this.connect();
    } catch (e) {
      this.log.warn("connectNative failed", e);
      return this.scheduleReconnect(String(e.message || e));
    }
    this.port = port;
    port.onMessage.addListener((m) => this.receive(m));
    port.onDisconnect.addListener(() => this.disconnected(port));
    this.sendHello();
  }

  async sendHello() {
    try {
      const params = await this.hello();
      const result = await this.call("bridge.hello", params, 10000);
      this.bridgeId = result && result.bridgeId;
      this.daemonUp = true;
      // Notifications are a convenience: a daemon that refuses the subscription still serves commands.
      if (this.topics.length) await this.call("events.subscribe", { topics: this.topics }, 10000).catch((e) => this.log.warn("events.subscribe failed", e));
      this.delay = this.minDelay;
      this.setState("connected");
    } catch (e) {
      this.log.warn("bridge.hello failed", e);
      this.daemonUp = false;
      // The port closed meanwhile: disconnected() already reported Chrome's reason (e.g. "host not
      // found"), which says more than this call's "not connected"; keep it.
      if (!this.port) return;
      this.setState("waiting", { error: String(e.message || e) });
    }
  }

  disconnected(port) {
    if (port !== this.port) return;
    const err = (typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.lastError && chrome.runtime.lastError.message) || "native host disconnected";
    this.port = null;
    this.bridgeId = null;
    this.daemonUp = false;
    this.chunks.clear();
    this.rejectAll(new BridgeError("unavailable", err));
    this.scheduleReconnect(err);
  }

  scheduleReconnect(reason) {
    this.setState("waiting", { error: reason });
    if (this.timer) return;
    const wait = this.delay;
    this.delay = Math.min(this.maxDelay, this.delay * 2);
    this.timer = setTimeout(() => this.open(), wait);
  }

  rejectAll(err) {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  post(msg) {
    if (!this.port) throw new BridgeError("unavailable", "not connected to swarmbridge-host");
    this.port.postMessage(msg);
  }

  call(method, params = {}, timeoutMs = this.timeoutMs) {
    const msg = request(method, params);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msg.id);
        reject(new BridgeError("timeout", `${method} got no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(msg.id, { resolve, reject, timer });
      try {
        this.post(msg);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(msg.id);
        reject(e);
      }
    });
  }

  emit(method, params = {}) {
    try {
      this.post({ v: 1, id: `ev${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, kind: "event", method, params });
    } catch (_) {
      // no port: events are best-effort
    }
  }

  receive(raw) {
    let msg = raw;
    if (raw && raw.kind === "chunk") {
      let body;
      try {
        body = this.chunks.feed(raw);
      } catch (e) {
        this.log.warn("bad chunk", e);
        return;
      }
      if (body === null) return;
      try {
        msg = JSON.parse(body);
      } catch (e) {
        this.log.warn("reassembled message is not JSON", e);
        return;
      }
    }
    try {
      decode(msg);
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.log.warn("invalid message from host", e.message);
        if (msg && msg.kind === "request" && e.id) this.safePost(fail(e.id, e.code, e.message));
        return;
      }
      throw e;
    }
    if (msg.kind === "response") return this.settle(msg);
    if (msg.kind === "event") return this.event(msg);
    this.dispatch(msg);
  }

  settle(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new BridgeError(msg.error.code, msg.error.message, msg.error.data));
    else p.resolve(msg.result);
  }

  event(msg) {
    if (msg.method === "bridge.daemon_available") {
      this.sendHello();
    } else if (msg.method === "bridge.daemon_unavailable") {
      this.daemonUp = false;
      this.rejectAll(new BridgeError("unavailable", "the SwarmBridge daemon is restarting"));
      this.setState("waiting", { error: "daemon unavailable" });
    }
    try {
      this.onEvent(msg.method, msg.params || {});
    } catch (e) {
      this.log.warn("event handler failed", e);
    }
  }

  async dispatch(msg) {
    let reply;
    try {
      reply = ok(msg.id, await this.onRequest(msg.method, msg.params || {}));
    } catch (e) {
      reply = fail(msg.id, (e && e.code) || "internal_error", (e && e.message) || String(e), e && e.data);
    }
    this.safePost(reply);
  }

  safePost(msg) {
    try {
      this.post(msg);
    } catch (e) {
      this.log.warn("reply lost: port closed", e.message);
    }
  }
}
