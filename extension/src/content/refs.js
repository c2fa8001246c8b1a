// Element references that stay stable across snapshots of the same document.
// element -> ref in a WeakMap, ref -> WeakRef(element): a page that drops an element frees it,
// and a ref that no longer resolves is reported as stale rather than silently re-targeted.
// Classic script: injected with chrome.scripting.executeScript (isolated world) and loaded by node tests.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.refs) return;

  class BridgeError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }

  const refOf = new WeakMap();
  const byRef = new Map();
  let next = 1;
  const docId = Math.random().toString(36).slice(2, 10);

  function refFor(el) {
    let ref = refOf.get(el);
    if (!ref) {
      ref = "e" + next++;
      refOf.set(el, ref);
      byRef.set(ref, new WeakRef(el));
    }
    return ref;
  }

  function resolve(ref) {
    const holder = byRef.get(ref);
    const el = holder && holder.deref();
    if (!el) {
      throw new BridgeError("stale", `ref ${ref} is not from the current document: take a new snapshot`, { ref });
    }
    if (!el.isConnected) {
      throw new BridgeError("stale", `ref ${ref} was removed from the page: take a new snapshot`, { ref });
    }
    return el;
  }

  // Find the target of an action from {ref} or {selector} (CSS, searched through open shadow roots).
  function target(params, doc) {
    if (params.ref) return resolve(String(params.ref));
    if (params.selector) {
      const el = querySelectorDeep(doc || root.document, String(params.selector));
      if (!el) throw new BridgeError("not_found", `no element matches ${params.selector}`, { selector: params.selector });
      return el;
    }
    throw new BridgeError("invalid_params", "give ref (from a snapshot) or selector");
  }

  function querySelectorDeep(scope, selector) {
    let found;
    try {
      found = scope.querySelector(selector);
    } catch (e) {
      throw new BridgeError("invalid_params", `bad selector ${selector}: ${e.message}`);
    }
    if (found) return found;
    for (const host of scope.querySelectorAll("*")) {
      if (host.shadowRoot) {
        const inner = querySelectorDeep(host.shadowRoot, selector);
        if (inner) return inner;
      }
    }
    return null;
  }

  // Every match in document order, an open shadow root's matches where its host stands (before the
  // host's light children, as a declarative shadow root is written); `scope` itself may be a host.
  function querySelectorAllDeep(scope, selector, out = []) {
    if (scope.shadowRoot) querySelectorAllDeep(scope.shadowRoot, selector, out);
    const hosts = Array.from(scope.querySelectorAll("*")).filter((n) => n.shadowRoot);
    const light = scope.querySelectorAll(selector);
    let h = 0;
    for (const el of light) {
      for (; h < hosts.length && hosts[h] !== el && hosts[h].compareDocumentPosition(el) & 4 /* el follows the host */; h++) querySelectorAllDeep(hosts[h].shadowRoot, selector, out);
      out.push(el);
      if (h < hosts.length && hosts[h] === el) querySelectorAllDeep(hosts[h++].shadowRoot, selector, out);
    }
    for (; h < hosts.length; h++) querySelectorAllDeep(hosts[h].shadowRoot, selector, out);
    return out;
  }

  // isContentEditable is missing on some DOMs (parsed documents, test DOMs): read the attribute too.
  function editable(el) {
    if (el.isContentEditable) return true;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const v = n.getAttribute("contenteditable");
      if (v !== null) return v === "" || v === "true" || v === "plaintext-only";
    }
    return false;
  }

  SB.BridgeError = BridgeError;
  SB.refs = { editable, refFor, resolve, target, querySelectorDeep, querySelectorAllDeep, docId, count: () => byRef.size };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
