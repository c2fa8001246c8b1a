// Trusted input through chrome.debugger (Chromium only) for sites that ignore synthetic events,
// and file upload. Attach, act, detach: the "is being debugged" bar shows only while acting.
import { BridgeError } from "./protocol.js";
import { call } from "./frames.js";

async function withDebugger(tabId, fn) {
  if (!chrome.debugger) throw new BridgeError("unavailable", "this browser has no chrome.debugger (trusted input is Chromium-only)");
  const target = { tabId };
  try {
    await chrome.debugger.attach(target, "1.3");
  } catch (e) {
    throw new BridgeError("unavailable", `cannot attach the debugger: ${e.message}`);
  }
  try {
    return await fn((method, params) => chrome.debugger.sendCommand(target, method, params));
  } finally {
    await chrome.debugger.detach(target).catch(() => {});
  }
}

export async function trustedClick(tabId, frameId, args) {
  if (frameId !== 0) throw new BridgeError("invalid_params", "trusted clicks work in the top frame only");
  const r = await call(tabId, 0, "rect", args);
  return withDebugger(tabId, async (send) => {
    const base = { x: r.x, y: r.y, button: "left", clickCount: 1 };
    await send("Input.dispatchMouseEvent", { type: "mouseMoved", x: r.x, y: r.y });
    await send("Input.dispatchMouseEvent", { type: "mousePressed", ...base });
    await send("Input.dispatchMouseEvent", { type: "mouseReleased", ...base });
    return { ok: true, trusted: true };
  });
}

export async function trustedType(tabId, frameId, args, cmd) {
  await call(tabId, frameId, "focus", args);
  const text = cmd === "fill" ? String(args.value ?? "") : String(args.text ?? "");
  return withDebugger(tabId, async (send) => {
    if (cmd === "fill") {
      await send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "a", code: "KeyA", modifiers: 2, windowsVirtualKeyCode: 65 });
      await send("Input.dispatchKeyEvent", { type: "keyUp", key: "a", code: "KeyA", modifiers: 2, windowsVirtualKeyCode: 65 });
    }
    await send("Input.insertText", { text });
    return { ok: true, trusted: true };
  });
}

export async function upload(tabId, selector, files) {
  if (!Array.isArray(files) || !files.length || files.some((f) => typeof f !== "string" || !f.startsWith("/") && !/^[A-Za-z]:\\/.test(f))) {
    throw new BridgeError("invalid_params", "upload needs absolute file paths");
  }
  return withDebugger(tabId, async (send) => {
    const { root } = await send("DOM.getDocument", { depth: 0 });
    const { nodeId } = await send("DOM.querySelector", { nodeId: root.nodeId, selector });
    if (!nodeId) throw new BridgeError("not_found", `no element matches ${selector}`);
    await send("DOM.setFileInputFiles", { nodeId, files });
    return { ok: true, files: files.length };
  });
}
