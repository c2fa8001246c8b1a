"""Point-and-pick scheduled scrapes for real: the "Scrape this list on a schedule…" menu handler
(the same function the menu calls) in the real extension in headless Chromium, with a real daemon.
Examples, fields and the next link are clicked with Selenium in a served page; the prompt window
shows the live rows and the all-pages preview, saves the recipe; the schedule's first run has the
page's rows, and a run after the page changed reports what was added, removed and changed. The
same session also covers: a strict-CSP page, a field renamed, Cancel from the in-page toolbar, Esc,
an infinite list previewed by scrolling, selectors typed by hand, and a page that cannot be
scripted. One flow, one browser: each part would otherwise pay for its own daemon and Chromium."""

from __future__ import annotations

import csv
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from relaykit import wait_until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from test_menus_browser import CALL_MENU
from test_popup_browser import ARTIFACTS, driver  # noqa: F401 (fixture)
from test_real_chromium import bridges

from swarmbridge.extension_id import extension_id
from swarmbridge.rpc.client import call

# (title, price) per page; the test edits it between runs.
PAGES: dict[int, list[tuple[str, str]]] = {}


def reset_pages() -> None:
    PAGES.clear()
    PAGES.update({1: [("Tent", "$120"), ("Stove", "$45"), ("Lamp", "$12"), ("Mat", "$30")], 2: [("Rope", "$9"), ("Axe", "$60")]})


# An infinite list: 5 posts at first, 5 more each time the reader nears the bottom, 15 in all.
FEED = """<!doctype html><html><head><title>Feed</title><style>.post{height:260px;border:1px solid #ccc}</style></head><body><ul id="feed"></ul><script>
let n = 0;
function more() { for (let i = 0; i < 5 && n < 15; i++) { n++; const li = document.createElement('li'); li.className = 'post';
  li.innerHTML = '<span class="who">user' + n + '</span> <em>post</em>'; document.getElementById('feed').appendChild(li); } }
more();
addEventListener('scroll', () => { if (innerHeight + scrollY >= document.body.scrollHeight - 100) setTimeout(more, 100); });
</script></body></html>"""


class Shop(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/feed"):
            return self.send(FEED.encode())
        page = 2 if "page=2" in self.path else 1
        cards = "".join(
            f'<div class="card css-{i}x9q"><h3 class="title"><a href="/p/{name.lower()}">{name}</a></h3><span class="price">{price}</span></div>'
            for i, (name, price) in enumerate(PAGES[page]))
        pager = '<a class="next" href="/shop?page=2">Next</a>' if page == 1 else '<a href="/shop?page=1">Previous</a>'
        body = (f"<!doctype html><html><head><title>Shop {page}</title><style>.card{{width:260px;margin:8px;padding:6px;border:1px solid #ccc}}</style></head>"
                f'<body><h1>Camping shop</h1><section id="list">{cards}</section><nav class="pager">{pager}</nav></body></html>').encode()
        self.send(body, csp="default-src 'none'; style-src 'none'")  # the overlay must work on strict pages too

    def send(self, body: bytes, csp: str = "") -> None:
        self.send_response(200)
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def finished(job: str, n: int) -> list[dict]:
    runs = [r for r in call("schedule.history", {"name": job})["runs"] if r["status"] != "running"]
    return runs if len(runs) >= n else []


SHOWN = "chrome.windows.get(arguments[0], {populate: true}).then((w) => arguments[1](w.tabs[0].url || w.tabs[0].pendingUrl))"


class Picker:
    """The user's side: the page tab (clicked with Selenium) and the prompt window's page, loaded
    in a tab WebDriver can see (headless ChromeDriver does not list popup-type windows)."""

    def __init__(self, driver, url: str) -> None:  # noqa: ANN001 (selenium's type)
        self.d = driver
        driver.get(url)
        self.page = driver.current_window_handle
        driver.switch_to.new_window("tab")
        driver.get(f"chrome-extension://{extension_id()}/src/ui/popup/popup.html")
        self.prompt = driver.current_window_handle
        self.tab = driver.execute_async_script("chrome.tabs.query({}).then((ts) => arguments[1](ts.find((t) => t.url === arguments[0])))", url)

    def menu(self, url: str) -> dict:
        """Right-click "Scrape this list on a schedule…" (the handler the menu calls), then open
        the prompt window's page."""
        self.d.switch_to.window(self.prompt)
        out = self.d.execute_async_script(CALL_MENU, {"menuItemId": "sb-scrape", "frameId": 0, "pageUrl": url}, {"id": self.tab["id"], "url": url, "title": "t"})
        assert out["r"]["ok"], out
        self.d.get(self.d.execute_async_script(SHOWN, out["r"]["windowId"]))
        return out["r"]

    def in_page(self, *selectors: str) -> None:
        self.d.switch_to.window(self.page)
        at = self.d.current_url
        for sel in selectors:
            self.d.find_element(By.CSS_SELECTOR, sel).click()
        assert self.d.current_url == at, "picking clicks must not follow the page's links"
        self.d.switch_to.window(self.prompt)

    def text(self, id_: str) -> str:
        return self.d.find_element(By.ID, id_).text

    def press(self, id_: str, step: str | None = None) -> None:
        self.d.find_element(By.ID, id_).click()
        if step:
            wait_until(lambda: self.d.execute_script("return window.scrape.state.step") == step, 5, f"the {step} step")

    def until(self, id_: str, words: str, timeout: float = 10) -> str:
        return wait_until(lambda: words in (t := self.text(id_)) and t, timeout, f"{words!r} in #{id_}")


@pytest.mark.browser
def test_pick_preview_save_run_and_report_changes(driver) -> None:  # noqa: F811
    reset_pages()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        wait_until(bridges, 20, "the extension to connect")
        driver.set_window_size(1100, 900)
        url = f"http://127.0.0.1:{server.server_port}/shop?page=1"
        user = Picker(driver, url)
        assert user.menu(url)["pick"]["step"] == "items"
        user.press("pick-fields")  # too early: the session says why and stays on items
        user.until("pick-error", "two examples of the item first", 5)

        user.in_page(".card:nth-of-type(1) .title a", ".card:nth-of-type(3) .price")
        status = user.until("pick-status", "4 items match")
        assert "div.card" in status and "css-" not in status, status
        user.press("pick-fields", "fields")
        user.in_page(".card:nth-of-type(2) .title a", ".card:nth-of-type(2) .price")
        user.until("pick-status", "3 field(s)")
        user.press("pick-next", "next")
        user.in_page("nav.pager a.next")
        user.until("pick-status", "next page: a.next")
        driver.switch_to.window(user.page)
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "pick.png"))  # the overlay: items, fields, next link
        w, h = driver.execute_script("return [document.documentElement.clientWidth, document.documentElement.clientHeight]")  # without scrollbars
        shot = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
        assert shot.getpixel((w - 16, h - 16)) == (17, 24, 39), "the toolbar is drawn, styled, despite the page's CSP (style-src 'none')"
        driver.switch_to.window(user.prompt)
        driver.save_screenshot(str(ARTIFACTS / "pick-prompt.png"))
        user.press("pick-done", "done")
        name = driver.find_element(By.CSS_SELECTOR, '#fields tr[data-field="price"] input')
        name.clear()
        name.send_keys("cost", Keys.TAB)  # renamed in the page's session; the rows follow
        wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '#fields tr[data-field="cost"]'), 5, "the rename")

        # live rows from the page, in the preview table
        heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#rows thead th")]
        assert heads == ["title", "title_url", "cost"], heads
        live = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "#rows tbody tr")]
        assert [r[0] for r in live] == ["Tent", "Stove", "Lamp", "Mat"] and live[1][2] == "$45"
        # the whole recipe (every page) through the daemon, as the schedule will run it
        user.press("preview-all")
        assert user.until("preview-msg", "across all pages", 30).startswith("6 row(s)")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == 6

        cron = driver.find_element(By.ID, "cron")
        cron.clear()
        cron.send_keys("61 * * * *")
        user.until("next-times", "invalid", 5)
        cron.clear()
        cron.send_keys("*/30 * * * *")
        wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#next-times li")) == 4 and (":00:00" in (t := user.text("next-times")) or ":30:00" in t), 5, "next fire times")
        driver.find_element(By.ID, "name").send_keys("shop-prices")
        Select(driver.find_element(By.ID, "format")).select_by_value("csv")
        assert Select(driver.find_element(By.ID, "key")).first_selected_option.get_attribute("value") == "title_url"
        user.press("save")
        user.until("smsg", "Saved schedule")
        user.press("save")  # again: the name exists, so the button offers to replace it
        user.until("smsg", "already exists")
        assert driver.find_element(By.ID, "save").text == "Replace schedule"
        user.press("save")
        user.until("smsg", "Replaced schedule")
        assert len([j for j in call("schedule.list", {})["jobs"] if j["name"] == "shop-prices"]) == 1

        trig = call("schedule.show", {"name": "shop-prices"})["spec"]["trigger"]
        assert trig["schema"]["item"] == "div.card" and trig["schema"]["next"] == "a.next" and trig["key"] == "title_url"
        assert (trig["output"], trig["notify_on_change"], trig["paginate"]) == ("csv", True, {"maxPages": 10})

        user.press("run-now")  # the prompt's button: schedule.run_now
        first = wait_until(lambda: finished("shop-prices", 1), 30, "the first run")[0]
        assert first["status"] == "ok", first
        assert first["artefacts"]["rows"] == 6 and first["artefacts"]["diff"]["first"] and "first run: 6 rows" in first["note"]
        with open(first["artefacts"]["file"], encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        want = [(n, p) for pg in (1, 2) for n, p in PAGES[pg]]
        assert [(r["title"], r["cost"]) for r in rows] == want
        assert rows[0]["title_url"] == f"http://127.0.0.1:{server.server_port}/p/tent"

        PAGES[1][1] = ("Stove", "$39")  # changed
        del PAGES[1][2]  # Lamp removed
        PAGES[2].append(("Tarp", "$25"))  # added
        call("schedule.run_now", {"name": "shop-prices"})
        second = wait_until(lambda: finished("shop-prices", 2), 30, "the second run")[0]
        diff = second["artefacts"]["diff"]
        assert (second["status"], diff["added"], diff["removed"], diff["changed"]) == ("ok", 1, 1, 1), second
        assert [r["title"] for r in diff["addedRows"]] == ["Tarp"] and diff["changedRows"][0]["cost"] == "$39"
        assert "1 added, 1 removed, 1 changed" in second["note"]
        assert Path(second["artefacts"]["file"]) != Path(first["artefacts"]["file"])
        # the prompt's run history follows the runs (schedule.run_finished events)
        # (a late event of the first run may first list the second one as still running: wait for its end)
        finished_li = f'#history li[data-run="{second["id"]}"][data-status="ok"]'
        latest = wait_until(lambda: (li := driver.find_elements(By.CSS_SELECTOR, finished_li)) and li[0].text, 10, "the finished run in the history")
        assert "1 added, 1 removed, 1 changed" in latest and ".csv" in latest, latest
        assert "first run: 6 rows" in driver.find_element(By.CSS_SELECTOR, f'#history li[data-run="{first["id"]}"]').text
        # Headless Chromium shows no notifications (create gives no id): check the worker's rule
        # for schedule.run_finished on these runs' notes instead. A first run is quiet.
        rule = """import(chrome.runtime.getURL('src/sw/notify.js')).then((m) => arguments[1](arguments[0].map((r) =>
                  m.notificationFor('schedule.run_finished', {job: 'shop-prices', runId: r.id, status: r.status, note: r.note}))))"""
        quiet, loud = driver.execute_async_script(rule, [first, second])
        assert quiet is None and loud["id"] == f"schedule:shop-prices:{second['id']}" and "has changes" in loud["options"]["title"], loud
        assert "1 added, 1 removed, 1 changed" in loud["options"]["message"]

        # Pick again, cancel from the in-page toolbar (a real click at its bottom-right button),
        # pick again, Esc: the session ends and the page's links work again.
        user.press("pick-restart", "items")
        driver.switch_to.window(user.page)
        act = ActionBuilder(driver)
        act.pointer_action.move_to_location(w - 30, h - 28)
        act.pointer_action.click()
        act.perform()
        driver.switch_to.window(user.prompt)
        wait_until(lambda: driver.execute_script("return window.scrape.state.step") == "cancelled", 5, "the toolbar's Cancel")
        user.press("pick-restart", "items")
        driver.switch_to.window(user.page)
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        driver.switch_to.window(user.prompt)
        wait_until(lambda: driver.execute_script("return window.scrape.state.step") == "cancelled", 5, "Esc to cancel")
        driver.switch_to.window(user.page)
        driver.find_element(By.CSS_SELECTOR, ".card .title a").click()
        wait_until(lambda: driver.current_url.endswith("/p/tent"), 5, "the link to work after Esc")

        # An infinite list: the all-pages preview scrolls until the list stops growing.
        feed = f"http://127.0.0.1:{server.server_port}/feed"
        driver.get(feed)
        assert user.menu(feed)["pick"]["count"] == 0
        user.in_page(".post:nth-child(1) .who", ".post:nth-child(2) .who")
        user.until("pick-status", "5 items match li.post")
        user.press("pick-fields", "fields")
        user.in_page(".post:nth-child(3) .who")
        user.until("pick-status", "1 field(s)")
        user.press("scroll")
        user.press("preview-all")
        assert user.until("preview-msg", "across all pages", 40).startswith("15 row(s)")
        assert driver.find_elements(By.CSS_SELECTOR, "#rows tbody tr")[-1].text == "user15"
        # ...or selectors typed by hand (prefilled from the pick), previewed live on the page
        driver.find_element(By.CSS_SELECTOR, "#manual summary").click()
        assert driver.find_element(By.ID, "m-item").get_attribute("value") == "li.post"
        assert driver.find_element(By.ID, "m-fields").get_attribute("value") == "who=span.who"
        driver.find_element(By.ID, "m-fields").send_keys("\nkind=em")
        user.press("m-apply", "manual")
        heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#rows thead th")]
        first_row = driver.find_element(By.CSS_SELECTOR, "#rows tbody tr").text
        assert heads == ["who", "kind"] and first_row == "user1 post", (heads, first_row)
        assert driver.execute_script("return window.scrape.state.schema.fields") == {"who": "span.who", "kind": "em"}

        # A page no extension may script: the prompt says so instead of waiting for picks.
        driver.switch_to.window(user.page)
        driver.get("chrome://version")
        assert "cannot script this page" in user.menu("chrome://version/")["pick"]["error"]
        user.until("pick-error", "could not start on this page", 5)
    finally:
        server.shutdown()
        server.server_close()
