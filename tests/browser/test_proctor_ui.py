"""Browser tests of the invigilation console (/proctor.html) against a live sitting.

The sitting is the CLI test's (tests/cli/test_sitting_runtime.py `prepare`), six minutes long,
served with a proctoring policy of its own (a snapshot every 10 s, a 20 s coverage gap) so the
coverage audit has something to say within the test. Staff are drawn at random for the room; so
that the demo examiner is certainly not drawn, they declare a relation (回避关系) with a candidate of
the room just before the draw, as the real rule intends, and the test checks they are off the
staff.

Two candidates sit over real WebSockets in a background thread for the whole module: both answer
some items after the start, the first leaves the exam page once (`visibility_hidden`), the second
uploads a webcam snapshot every 6 s. Everything each socket receives is kept with its arrival time.

In the browser:
- the exam administrator finds the sitting in the list, sees both candidates connected with their
  progress and the visibility event with the name in the feed, then warns, pauses, resumes and
  extends the first candidate from the UI — each reaches the candidate's socket within 2 s, the
  grid says 已暂停 while paused, and the deadline moves by 300 s; a dialog survives a refresh with
  what was typed in it and Escape closes it;
- the quality supervisor sees no action at all, writes a 督导记录 (shown in the list and stored), and
  reads the coverage audit: the candidate without snapshots is flagged, the other is covered;
- an examiner who is not on the sitting does not find it in the list and is told so when they open it.

Screenshots are written to /tmp/shots/proctor-*.png (or $ASSAY_PROCTOR_SHOTS).
"""

import asyncio
import datetime
import io
import json
import os
import pathlib
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
import websockets
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api_status_call
from test_login import driver, login as browser_login, wait  # noqa: F401 (driver is a fixture)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
import test_sitting_runtime as runtime  # noqa: E402
from test_sitting_runtime import (  # noqa: E402
    DEMO_ID, answer_for, login, prepare, receive, receive_paper, sit_login, ws_ticket, ws_url,
)

SHOTS = pathlib.Path(os.environ.get("ASSAY_PROCTOR_SHOTS", "/tmp/shots"))
ADMIN = {"username": "examadmin", "password": "amber-field-3390"}
SUPERVISOR = {"username": "supervisor", "password": "clear-lake-9132"}
EXAMINER = {"username": "examiner", "password": "north-bridge-2649"}
POLICY = """\
schema: assay.proctoring/1
snapshot_interval_seconds: 10
snapshot_max_kib: 512
coverage_gap_seconds: 20
rules:
  - events: [visibility_hidden, window_blur]
    count: 3
    action: warn
    message: 系统多次检测到你离开考试页面，请专注作答；离开记录将提交监考人员。
"""


# ---------------------------------------------------------------- candidates over real sockets


def jpeg(n):
    """A small real JPEG, different each time (what a webcam snapshot is to the server)."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (320, 240), (40 + (n * 23) % 180, 90, 160))
    ImageDraw.Draw(image).ellipse([115, 50, 205, 170], fill=(232, 200, 170))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


class Candidate:
    """One candidate's socket, kept open by the background thread; what it received, with when."""

    def __init__(self, ticket, answers, hides=False, snapshots=False):
        self.ticket = ticket
        self.name = ticket["candidate"]["name"]
        self.answers = answers
        self.hides = hides
        self.snapshots = snapshots
        self.ready = threading.Event()
        self.lock = threading.Lock()
        self.messages = []
        self.sent_snapshots = 0
        self.error = None

    def received(self):
        with self.lock:
            return list(self.messages)

    def wait_for(self, predicate, after, timeout=5.0):
        """The first message (and its arrival time) received after `after` that matches."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, message in self.received():
                if at >= after and predicate(message):
                    return message, at
            time.sleep(0.02)
        raise AssertionError(f"{self.name}: no matching message in {timeout} s; got {[m for _, m in self.received()][-5:]}")

    def last_time(self):
        times = [message for _, message in self.received() if message["type"] == "time"]
        return times[-1] if times else None


async def sit(url, sitting, candidate):
    try:
        token = sit_login(url, candidate.ticket)
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
            await receive(socket, "welcome")
            paper = await receive_paper(socket, timeout=120)
            seq = 0
            for item in paper["items"][:candidate.answers]:
                seq += 1
                await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": answer_for(item)}))
                assert (await receive(socket, "ack"))["seq"] == seq
            if candidate.hides:
                seq += 1
                await socket.send(json.dumps({"type": "event", "seq": seq, "kind": "visibility_hidden", "detail": "tab"}))
                assert (await receive(socket, "ack"))["seq"] == seq
            if candidate.snapshots:
                asyncio.get_running_loop().create_task(snap(url, sitting, token, candidate))
            candidate.ready.set()
            while True:
                message = json.loads(await socket.recv())
                with candidate.lock:
                    candidate.messages.append((time.monotonic(), message))
    except Exception as error:  # the server stops at the end of the module
        candidate.error = error
        candidate.ready.set()


async def snap(url, sitting, token, candidate):
    """A snapshot every 6 s, as the exam page's camera would send them."""
    while True:
        request = urllib.request.Request(
            url + f"/api/v1/sit/{sitting}/snapshot", data=jpeg(candidate.sent_snapshots), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"},
        )
        try:
            await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=10).read())
            candidate.sent_snapshots += 1
        except urllib.error.HTTPError as error:
            if error.code == 409:  # no longer sitting
                return
        except OSError:  # the server has stopped
            return
        await asyncio.sleep(6)


def declare_relation_before_the_draw(call):
    """`api_status_call` for `prepare`: just before the room's staff are drawn, the demo examiner
    declares a relation with the demo candidate, so the draw leaves them out."""
    def wrapped(url, path, token=None, body=None, **options):
        if path.endswith("/staff") and body == {"draw": True}:
            examiner = login(url, EXAMINER["username"], EXAMINER["password"])
            status, answer = call(url, "/api/v1/relations", examiner, {"candidateIDNumber": DEMO_ID, "kind": "colleague"})
            assert status in (200, 201), answer
        return call(url, path, token, body, **options)
    return wrapped


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runtime, "api_status_call", declare_relation_before_the_draw(runtime.api_status_call))
        prepared = prepare(tmp_path_factory.mktemp("proctor-ui"), start_in=12, minutes=6, late=1, policy=POLICY)
    url, sitting = prepared["url"], prepared["sitting"]
    try:
        # The examiner is not on the sitting's staff; the supervisor is.
        _, staff = api_status_call(url, "/api/v1/staff", prepared["admin"])
        examiner_id = next(s["id"] for s in staff["staff"] if s["username"] == EXAMINER["username"])
        _, view = api_status_call(url, f"/api/v1/sittings/{sitting}", prepared["admin"])
        assert all(examiner_id not in room["staff"] for room in view["sitting"]["plan"]["rooms"])

        first = Candidate(prepared["tickets"][0], answers=3, hides=True)
        second = Candidate(prepared["tickets"][1], answers=2, snapshots=True)

        async def both():
            await asyncio.gather(sit(url, sitting, first), sit(url, sitting, second))

        thread = threading.Thread(target=lambda: asyncio.run(both()), daemon=True)
        thread.start()
        for candidate in (first, second):
            assert candidate.ready.wait(150), f"{candidate.name} never got the paper"
            assert candidate.error is None, candidate.error
        prepared["candidates"] = (first, second)
        yield prepared
    finally:
        prepared["server"].stop()


# ---------------------------------------------------------------- page helpers


def shot(browser: WebDriver, name: str, whole=True) -> None:
    """A screenshot of the whole page (the window grown to its height for the moment), or of the
    window as it is (`whole=False`: a modal dialog stays where the person sees it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if not whole:
        browser.save_screenshot(str(SHOTS / f"proctor-{name}.png"))
        return
    size = browser.get_window_size()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(max(size["width"], 1440), max(size["height"], min(int(height) + 140, 3200)))
    try:
        browser.save_screenshot(str(SHOTS / f"proctor-{name}.png"))
    finally:
        browser.set_window_size(size["width"], size["height"])


def text_of(browser: WebDriver, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip()


def card(browser: WebDriver, name: str):
    """The grid card of a candidate, found by name as a person would."""
    for item in browser.find_elements(By.CSS_SELECTOR, "#grid li.cand"):
        if item.find_element(By.CSS_SELECTOR, ".cand-name").get_attribute("textContent").strip() == name:
            return item
    return None


def card_text(browser: WebDriver, name: str, css: str) -> str:
    # The grid redraws as the board changes; a card replaced between finding and reading is read again.
    for _ in range(5):
        try:
            found = card(browser, name)
            return found.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip() if found else ""
        except StaleElementReferenceException:
            time.sleep(0.2)
    raise AssertionError(f"the card of {name} kept being redrawn")


def click(browser: WebDriver, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def polls(browser: WebDriver) -> int:
    return int(browser.find_element(By.ID, "console").get_attribute("data-polls") or 0)


def dialog_open(browser: WebDriver) -> bool:
    return browser.find_element(By.ID, "act-dialog").get_attribute("open") is not None


def open_action(browser: WebDriver, action: str) -> None:
    click(browser, browser.find_element(By.CSS_SELECTOR, f"#detail button[data-action='{action}']"))
    wait(browser).until(dialog_open)


def submit_dialog(browser: WebDriver) -> float:
    """Submits the open dialog; returns when it was clicked (monotonic)."""
    button = browser.find_element(By.ID, "act-submit")
    clicked = time.monotonic()
    button.click()
    return clicked


def open_console(browser: WebDriver, url: str, sitting: str, role_text: str) -> None:
    browser.get(f"{url}/proctor.html")
    link = wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, f"#watch-table a[data-sitting='{sitting}']"))
    row = browser.find_element(By.CSS_SELECTOR, f"#watch-table tr[data-id='{sitting}']")
    assert role_text in row.text
    click(browser, link)
    wait(browser).until(lambda b: f"sitting={sitting}" in b.current_url)
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#grid li.cand"))


def assert_no_script_errors(browser: WebDriver) -> None:
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]
    assert not errors, errors


def parse(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


# ---------------------------------------------------------------- tests


def test_the_exam_administrator_watches_and_acts_on_a_candidate(driver, live):  # noqa: F811
    url, sitting = live["url"], live["sitting"]
    first, second = live["candidates"]
    browser_login(driver, url, ADMIN)
    open_console(driver, url, sitting, "考务管理员")
    assert "考试进行中" in text_of(driver, "#console-head")

    # Both candidates connected, answering, with their progress; the visibility event in the feed.
    wait(driver).until(lambda b: card_text(b, first.name, ".cand-progress").startswith("3/")
                       and card_text(b, second.name, ".cand-progress").startswith("2/"))
    for candidate in (first, second):
        assert card(driver, candidate.name).find_elements(By.CSS_SELECTOR, ".conn-on")
        assert card_text(driver, candidate.name, ".cand-state") == "作答中"
    assert card_text(driver, first.name, ".cand-focus strong") == "1"
    event = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, "#feed-list li[data-kind='visibility_hidden']"))
    assert "离开考试页面" in event.text and first.name in event.text
    assert int(driver.find_element(By.CSS_SELECTOR, "[data-count='connected']").get_attribute("data-value")) == 2

    # Clicking the candidate in the feed selects them in the grid and opens their details.
    click(driver, event.find_element(By.CSS_SELECTOR, "button.feed-who"))
    wait(driver).until(lambda b: card(b, first.name).find_element(By.CSS_SELECTOR, ".cand-card").get_attribute("aria-pressed") == "true")
    assert first.name in text_of(driver, "#detail-title")
    shot(driver, "admin-console")

    # A warning: the dialog focuses its field, survives a refresh, Escape closes it and gives the
    # focus back; sent, it reaches the candidate's socket within 2 s.
    open_action(driver, "warn")
    assert driver.switch_to.active_element.get_attribute("id") == "act-text"
    driver.switch_to.active_element.send_keys("半句")
    seen = polls(driver)
    wait(driver).until(lambda b: polls(b) > seen)
    assert dialog_open(driver) and driver.switch_to.active_element.get_attribute("id") == "act-text"
    assert driver.find_element(By.ID, "act-text").get_attribute("value") == "半句"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver).until(lambda b: not dialog_open(b))
    assert driver.switch_to.active_element.get_attribute("data-action") == "warn"

    warning = "请勿离开考试页面，本次提醒已记录。"
    open_action(driver, "warn")
    driver.find_element(By.ID, "act-text").send_keys(warning)
    shot(driver, "admin-warn-dialog", whole=False)
    clicked = submit_dialog(driver)
    message, at = first.wait_for(lambda m: m["type"] == "warning", clicked)
    assert message["text"] == warning and at - clicked < 2.0
    wait(driver).until(lambda b: not dialog_open(b))
    assert "已向" in text_of(driver, "#console-message")
    wait(driver).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#feed-list li[data-kind='warning']"))

    # Pause: a `time` message in state paused within 2 s, and the grid says so.
    open_action(driver, "pause")
    submit_dialog(driver)
    assert dialog_open(driver) and driver.find_element(By.ID, "act-reason").get_attribute("aria-invalid") == "true", "a reason is required"
    driver.find_element(By.ID, "act-reason").send_keys("考生网络异常，核实情况")
    clicked = submit_dialog(driver)
    message, at = first.wait_for(lambda m: m["type"] == "time" and m["state"] == "paused", clicked)
    assert at - clicked < 2.0
    wait(driver).until(lambda b: card_text(b, first.name, ".cand-state") == "已暂停")
    assert card_text(driver, second.name, ".cand-state") == "作答中"
    wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-count='paused']").get_attribute("data-value") == "1")
    shot(driver, "admin-paused")

    # Resume: answering again.
    open_action(driver, "resume")
    clicked = submit_dialog(driver)
    resumed, at = first.wait_for(lambda m: m["type"] == "time" and m["state"] == "answering", clicked)
    assert at - clicked < 2.0
    wait(driver).until(lambda b: card_text(b, first.name, ".cand-state") == "作答中")

    # Extend by 5 minutes (the default): the deadline moves by 300 s.
    before = parse(first.last_time()["deadline"])
    assert parse(resumed["deadline"]) == before
    open_action(driver, "extend")
    assert driver.find_element(By.ID, "act-minutes").get_attribute("value") == "5"
    driver.find_element(By.ID, "act-reason").send_keys("设备故障")
    clicked = submit_dialog(driver)
    extended, at = first.wait_for(lambda m: m["type"] == "time" and m["state"] == "answering" and parse(m["deadline"]) != before, clicked)
    assert at - clicked < 2.0
    assert abs((parse(extended["deadline"]) - before).total_seconds() - 300) < 0.01
    assert "设备故障" in (extended.get("reason") or "")
    wait(driver).until(lambda b: "延长 5 分钟" in text_of(b, "#console-message"))
    # The second candidate was not touched.
    assert not [m for _, m in second.received() if m["type"] == "warning" or (m["type"] == "time" and m["state"] == "paused")]

    # The same console in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: card_text(b, first.name, ".cand-state") == "Answering")
    assert "Live events" in text_of(driver, "#feed-title")
    shot(driver, "admin-console-en")
    driver.find_element(By.ID, "lang-toggle").click()
    assert_no_script_errors(driver)


def test_a_supervisor_only_watches_writes_notes_and_reads_the_coverage_audit(driver, live):  # noqa: F811
    url, sitting = live["url"], live["sitting"]
    first, second = live["candidates"]
    browser_login(driver, url, SUPERVISOR)
    open_console(driver, url, sitting, "质量督导员")
    wait(driver).until(lambda b: card_text(b, first.name, ".cand-state") == "作答中")
    assert "质量督导员" in text_of(driver, "#readonly-note")

    # Read-only: not one action on the page, in the toolbar or for a candidate.
    assert not driver.find_elements(By.ID, "toolbar-actions")
    click(driver, card(driver, first.name).find_element(By.CSS_SELECTOR, ".cand-card"))
    wait(driver).until(lambda b: first.name in text_of(b, "#detail-title"))
    assert [b.get_attribute("data-action") for b in driver.find_elements(By.CSS_SELECTOR, "[data-action]")] == ["note"]

    # The second candidate's latest snapshot is on their card.
    image = wait(driver).until(lambda b: card(b, second.name).find_element(By.CSS_SELECTOR, "img.cand-shot-img"))
    wait(driver).until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
    assert card_text(driver, first.name, ".cand-shot") == "无画面"
    shot(driver, "supervisor-console")

    # A 督导记录 about the selected candidate: shown in the list and stored.
    click(driver, driver.find_element(By.CSS_SELECTOR, "#detail button[data-action='note']"))
    wait(driver).until(lambda b: b.find_element(By.ID, "panel-notes").is_displayed())
    assert driver.switch_to.active_element.get_attribute("id") == "note-text"
    assert driver.find_element(By.ID, "note-candidate").get_attribute("value") == card(driver, first.name).get_attribute("data-id")
    note = "15时巡查：该考生曾离开考试页面一次，监考员已提醒并暂停核实，现场秩序良好。"
    driver.switch_to.active_element.send_keys(note)
    driver.find_element(By.ID, "note-submit").click()
    item = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, "#note-list li.note-item"))
    assert note in item.text and first.name in item.text
    assert driver.find_element(By.ID, "note-text").get_attribute("value") == ""
    token = login(url, SUPERVISOR["username"], SUPERVISOR["password"])
    status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/notes", token)
    assert status == 200 and [n["text"] for n in body["notes"]] == [note]
    shot(driver, "supervisor-notes")

    # The coverage audit: the candidate without snapshots is flagged, the other is covered.
    driver.find_element(By.ID, "tab-coverage").click()

    # The table is redrawn whenever the audit is read again, so its rows are read in one
    # script call (name -> covered, text) rather than held as elements that may go stale.
    def rows(browser):
        return browser.execute_script(
            "const out = {};"
            "for (const r of document.querySelectorAll('#coverage-table tbody tr')) {"
            "  const th = r.querySelector('th'); if (!th) continue;"
            "  out[th.innerText.trim()] = {covered: r.getAttribute('data-covered'), text: r.innerText};"
            "}"
            "return out;")

    # The audit is read again every 10 s; 重新检查 reads it at once.
    deadline = time.monotonic() + 40
    while True:
        found = rows(driver)
        if first.name in found and found[first.name]["covered"] == "false":
            break
        assert time.monotonic() < deadline, "the candidate without snapshots was never flagged"
        driver.find_element(By.ID, "coverage-refresh").click()
        time.sleep(1)
    found = rows(driver)
    assert "未完整覆盖" in found[first.name]["text"]
    assert found[second.name]["covered"] == "true" and "覆盖完整" in found[second.name]["text"]
    assert "未完整覆盖" in text_of(driver, "#coverage-summary") or "覆盖不完整" in text_of(driver, "#coverage-summary")
    assert driver.find_element(By.ID, "coverage-export-buttons-csv")
    shot(driver, "supervisor-coverage")
    assert_no_script_errors(driver)


def test_an_examiner_not_on_the_sitting_is_told_so(driver, live):  # noqa: F811
    url, sitting = live["url"], live["sitting"]
    browser_login(driver, url, EXAMINER)
    driver.get(f"{url}/proctor.html")
    wait(driver).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#watch-table, #chooser-empty"))
    assert not driver.find_elements(By.CSS_SELECTOR, f"#watch-table tr[data-id='{sitting}']")

    driver.get(f"{url}/proctor.html?sitting={sitting}")
    card_ = wait(driver).until(lambda b: b.find_element(By.ID, "not-your-sitting"))
    assert card_.is_displayed()
    assert "您不是本场次的监考或督导人员" in card_.text
    assert card_.get_attribute("data-code") == "not_your_sitting"
    assert not driver.find_element(By.ID, "console-body").is_displayed()
    shot(driver, "examiner-not-yours")
