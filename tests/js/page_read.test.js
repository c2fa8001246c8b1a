// A read retried after its document went away: only the errors that mean "the page was replaced"
// qualify, never an answer from the page itself (a bad selector must fail at once, not be re-sent).
const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

test("errors meaning the document went away are recognised", async () => {
  const { GONE } = await sw("handlers/page");
  for (const msg of [
    "The page keeping the extension port is moved into back/forward cache, so the message channel is closed.",
    "frame 0 of tab 3 navigated away before answering",
    "A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received",
    "The message port closed before a response was received.",
  ]) assert.ok(GONE.test(msg), msg);
});

test("answers from the page and script refusals are not taken for a replaced document", async () => {
  const { GONE } = await sw("handlers/page");
  for (const msg of [
    "no element matches #missing",
    "bad selector [: not valid",
    'cannot script this page (Cannot access contents of url "chrome-extension://abc/")',
    "Frame with ID 0 is showing error page",
  ]) assert.ok(!GONE.test(msg), msg);
});
