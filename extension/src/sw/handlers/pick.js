// Point-and-pick sessions, from the extension side: inject the pick scripts into the top frame of
// the user's tab on demand (after the usual content scripts, whose extractor the preview reuses)
// and send the session commands. Used by the context menu (start) and the prompt window (steps,
// renames, state); works from the service worker and from extension pages alike.
import { BridgeError } from "../protocol.js";
import { inject } from "../frames.js";

export const PICK_FILES = ["src/content/pick.js", "src/content/pick_overlay.js"];

// Structured scrapes extract from the top frame (see browser.extract), so picking happens there.
export async function startPick(tabId, key) {
  await inject(tabId, [0]);
  try {
    await chrome.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: PICK_FILES, injectImmediately: true });
  } catch (e) {
    throw new BridgeError("unavailable", `cannot pick on this page (${e.message})`);
  }
  return pickCommand(tabId, "start", { key });
}

export async function pickCommand(tabId, cmd, params = {}) {
  let reply;
  try {
    reply = await chrome.tabs.sendMessage(tabId, { sbPick: "cmd", cmd, params }, { frameId: 0 });
  } catch (e) {
    throw new BridgeError("unavailable", `the page is gone or was reloaded; use the menu again (${e.message})`);
  }
  if (!reply) throw new BridgeError("unavailable", "the page did not answer; use the menu again");
  if (!reply.ok) throw new BridgeError(reply.error.code, reply.error.message);
  return reply.result;
}
