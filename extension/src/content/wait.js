// Waiting and scrolling driven by DOM mutations (MutationObserver), never busy polling.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.wait) return;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);

  // Resolve when check() returns a truthy value; re-check on DOM mutations (and a slow timer, for
  // changes no mutation reports, like layout). Rejects with `timeout`.
  function until(doc, check, timeoutMs, what) {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      let done = false;
      let scheduled = false;
      const finish = (fn, v) => {
        if (done) return;
        done = true;
        obs.disconnect();
        clearTimeout(timer);
        clearInterval(slow);
        fn(v);
      };
      const test = () => {
        scheduled = false;
        let v;
        try {
          v = check();
        } catch (e) {
          return finish(reject, e);
        }
        if (v) finish(resolve, { found: true, elapsedMs: Date.now() - t0, value: v === true ? undefined : v });
      };
      const view = doc.defaultView || root;
      const obs = new view.MutationObserver(() => {
        if (!scheduled) {
          scheduled = true;
          Promise.resolve().then(test);
        }
      });
      obs.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => finish(reject, E("timeout", `waited ${timeoutMs} ms for ${what}`)), timeoutMs);
      const slow = setInterval(test, 250);
      test();
    });
  }

  function waitFor(doc, { selector, text, visible = false, timeoutMs = 10000 }) {
    if (!selector && !text) throw E("invalid_params", "wait_for needs selector or text");
    const check = () => {
      if (selector) {
        const el = SB.refs.querySelectorDeep(doc, selector);
        if (!el) return false;
        if (visible && !SB.snapshot.visible(el)) return false;
        if (!text) return true;
        return (el.innerText || el.textContent || "").includes(text);
      }
      return (doc.body && (doc.body.innerText || doc.body.textContent) || "").includes(text);
    };
    return until(doc, check, timeoutMs, selector ? `selector ${selector}` : `text ${JSON.stringify(text)}`);
  }

  function scrollable(el) {
    for (let n = el && el.parentElement; n && n !== n.ownerDocument.body; n = n.parentElement) {
      const st = n.ownerDocument.defaultView.getComputedStyle(n);
      if (/(auto|scroll)/.test(st.overflowY) && n.scrollHeight > n.clientHeight + 4) return n;
    }
    return null;
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // Scroll until the list stops growing (no new items or height for `quietMs`), reaches maxItems,
  // or the time budget runs out.
  async function untilStable(doc, { itemSelector, maxItems = Infinity, timeoutMs = 30000, quietMs = 1200 }) {
    const view = doc.defaultView;
    const count = () => (itemSelector ? SB.refs.querySelectorAllDeep(doc, itemSelector).length : doc.documentElement.scrollHeight);
    const t0 = Date.now();
    let scrolls = 0;
    let reason = "stable";
    let before = count();
    while (true) {
      if (itemSelector && before >= maxItems) {
        reason = "maxItems";
        break;
      }
      if (Date.now() - t0 > timeoutMs) {
        reason = "timeout";
        break;
      }
      const items = itemSelector ? SB.refs.querySelectorAllDeep(doc, itemSelector) : [];
      const lastItem = items[items.length - 1];
      const box = scrollable(lastItem);
      if (lastItem) lastItem.scrollIntoView({ block: "end", behavior: "instant" });
      if (box) box.scrollTop = box.scrollHeight;
      else view.scrollTo(0, doc.documentElement.scrollHeight);
      // Background tabs (swarm tabs are inactive) run no animation frames, so Chromium never
      // delivers the scroll event infinite-list loaders listen for: deliver it ourselves.
      (box || doc).dispatchEvent(new Event("scroll"));
      if (!box) view.dispatchEvent(new Event("scroll"));
      scrolls++;
      try {
        await until(doc, () => count() > before, Math.min(quietMs, Math.max(1, timeoutMs - (Date.now() - t0))), "growth");
      } catch (e) {
        if (e.code !== "timeout") throw e;
        // One nudge: some loaders need a scroll event after the content settles.
        view.scrollBy(0, -50);
        await sleep(50);
        view.scrollTo(0, doc.documentElement.scrollHeight);
        if (box) box.scrollTop = box.scrollHeight;
        await sleep(150);
        if (count() <= before) break;
      }
      before = count();
    }
    const result = { scrolled: scrolls, reason, elapsedMs: Date.now() - t0 };
    if (itemSelector) result.items = count();
    return result;
  }

  async function scroll(doc, params, el) {
    const view = doc.defaultView;
    const to = params.to || "page";
    if (to === "element") {
      if (!el) throw E("invalid_params", "scroll to element needs ref or selector");
      el.scrollIntoView({ block: "center", behavior: "instant" });
      return { scrolled: 1 };
    }
    if (to === "bottom") {
      view.scrollTo(0, doc.documentElement.scrollHeight);
      return { scrolled: 1, y: view.scrollY };
    }
    if (to === "top") {
      view.scrollTo(0, 0);
      return { scrolled: 1, y: 0 };
    }
    if (to === "until_stable") return untilStable(doc, params);
    const dir = params.direction === "up" ? -1 : 1;
    const y0 = view.scrollY;
    view.scrollBy(0, dir * view.innerHeight * 0.9);
    return { scrolled: 1, y: view.scrollY, moved: view.scrollY !== y0 };
  }

  SB.wait = { until, waitFor, scroll, untilStable };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
