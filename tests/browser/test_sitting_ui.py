"""Browser tests of the candidate's exam page (/sit.html) against a live sitting (docs/PROTOCOL.md).

The set-up follows tests/cli/test_sitting_runtime.py and reuses its helpers: the standards are
copied with a short theory part (here 8 minutes, with 6 minutes of late entry and no earliest
hand-in, so both tests fit whatever order and speed they run at), `assay demo --no-serve --exams`
seeds the data, papers are assembled and sealed with the demo's custodian shares, the bank is
unsealed over the API, and a sitting is published starting about 30 s ahead with two papers.

The candidate signs in with the admission ticket's QR link (/sit.html?ticket=CODE) and the ID
number, confirms, waits with a countdown, answers items of every type the theory paper has, flags
one, loses the network, keeps answering (the page says the answers are kept on this computer),
gets the network back (the page says 已保存 only when every change is acknowledged), hands in through
the dialog and gets the receipt. What the page showed is then read back from the database (read
only). A second candidate sees an invigilator's extension on the timer within 2 s, must dismiss a
warning with its button, and is stopped with a clear message when another tab of the same session
takes over (close 4001). The written item types (short answer, practical task), which the theory
paper does not have, are rendered directly through the page's item module.

Going offline: DevTools' `Network.emulateNetworkConditions` sets `navigator.onLine` to false and
fires `offline`, on which the page drops its socket itself, as a real network loss would kill it;
Chromium's emulation does not always cut an already-open WebSocket, so if the page still says
"connected" after the switch the test closes the socket with the page's debug hook
`window.__assaySit.dropConnection()` (it closes the socket exactly as a network cut would, and the
page reconnects with backoff).

Screenshots of the waiting room, an item, the offline state, the hand-in dialog, the receipt and
the timer after an extension are written to /tmp/shots/sit-*.png (or $ASSAY_SIT_SHOTS).
"""

import asyncio
import datetime
import json
import os
import pathlib
import re
import sqlite3
import sys
import time

import pytest
import websockets
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api_status_call
from test_login import driver, make_driver, wait  # noqa: F401 (driver is a fixture)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
from test_sitting_runtime import (  # noqa: E402
    DEMO_ID, candidate_id, login, prepare, receive, stored_answers, ws_ticket, ws_url,
)

SHOTS = pathlib.Path(os.environ.get("ASSAY_SIT_SHOTS", "/tmp/shots"))
START_AHEAD_SECONDS = 30
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The CLI test's live sitting, lengthened (8 minutes, 6 of late entry) so a browser session fits."""
    prepared = prepare(tmp_path_factory.mktemp("sit-ui"), start_in=START_AHEAD_SECONDS, minutes=8, late=6)
    yield prepared
    prepared["server"].stop()


# ---------------------------------------------------------------- page helpers


def shot(browser: WebDriver, name: str) -> None:
    """A screenshot of the whole page (the window grown to its height for the moment)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = browser.get_window_size()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(size["width"], max(size["height"], min(int(height) + 140, 4000)))
    try:
        browser.save_screenshot(str(SHOTS / f"sit-{name}.png"))
    finally:
        browser.set_window_size(size["width"], size["height"])


def text_of(browser: WebDriver, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).get_attribute("textContent").strip()


def attr(browser: WebDriver, element_id: str, name: str):
    return browser.find_element(By.ID, element_id).get_attribute(name)


def snapshot(browser: WebDriver):
    return browser.execute_script("return window.__assaySit.snapshot()")


def visible(browser: WebDriver, element_id: str) -> bool:
    return browser.find_element(By.ID, element_id).is_displayed()


def click(browser: WebDriver, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def sign_in(browser: WebDriver, url: str, ticket, *, wrong_first=False) -> None:
    code = ticket["code"]
    browser.get(f"{url}/sit.html?ticket={code}")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    # The QR link fills in the ticket number.
    assert browser.find_element(By.ID, "sit-ticket").get_attribute("value").replace("-", "") == code.replace("-", "")
    if wrong_first:
        browser.find_element(By.ID, "sit-idnumber").send_keys("110101199001011009")
        browser.find_element(By.ID, "sit-login-submit").click()
        wait(browser).until(lambda b: text_of(b, "sit-login-error"))
        assert "准考证号或证件号码不正确" in text_of(browser, "sit-login-error")
        assert attr(browser, "sit-idnumber", "aria-invalid") == "true"
        assert visible(browser, "view-login")
        browser.find_element(By.ID, "sit-idnumber").clear()
    browser.find_element(By.ID, "sit-idnumber").send_keys(ticket["candidate"]["idNumber"])
    browser.find_element(By.ID, "sit-login-submit").click()
    wait(browser).until(lambda b: visible(b, "view-confirm"))
    wait(browser).until(lambda b: text_of(b, "sit-confirm-name") == ticket["candidate"]["name"])
    assert text_of(browser, "sit-confirm-room") == ticket["room"]
    assert str(ticket["seat"]) in text_of(browser, "sit-confirm-seat")
    # The rules come from the ticket (Exams/exam-rules.md).
    wait(browser).until(lambda b: "准考证号仅供本人使用" in b.find_element(By.ID, "view-confirm").text)
    # The token is kept for this tab only.
    stored = browser.execute_script("return window.sessionStorage.getItem('assay.sit')")
    assert stored and json.loads(stored)["sitting"]


def confirm(browser: WebDriver) -> None:
    click(browser, browser.find_element(By.ID, "sit-confirm"))
    wait(browser).until(lambda b: visible(b, "view-waiting") or visible(b, "view-paper"))


def wait_for_paper(browser: WebDriver, timeout=90) -> None:
    wait(browser, timeout).until(lambda b: visible(b, "view-paper"))
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#sit-item article.sit-item"))
    wait(browser).until(lambda b: visible(b, "sit-timer"))


def save_state(browser: WebDriver) -> str:
    return attr(browser, "sit-save", "data-state")


def wait_saved(browser: WebDriver, timeout=20) -> None:
    wait(browser, timeout).until(lambda b: save_state(b) == "saved")
    assert text_of(browser, "sit-save") == "已保存"
    assert snapshot(browser)["queued"] == []


def groups(browser: WebDriver):
    """Section name → the item indexes of its navigator buttons."""
    result = {}
    for group in browser.find_elements(By.CSS_SELECTOR, "#sit-nav .sit-nav-group"):
        name = group.find_element(By.CSS_SELECTOR, ".sit-nav-section").get_attribute("textContent").strip()
        result[name] = [int(b.get_attribute("data-index")) for b in group.find_elements(By.CSS_SELECTOR, "button.sit-nav-item")]
    return result


def go_to(browser: WebDriver, index: int):
    click(browser, browser.find_element(By.CSS_SELECTOR, f"#sit-nav button[data-index='{index}']"))
    wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, f"#sit-nav button[data-index='{index}']").get_attribute("aria-current") == "true")
    article = browser.find_element(By.CSS_SELECTOR, "#sit-item article.sit-item")
    return article.get_attribute("data-key"), article.get_attribute("data-type")


def option_letters(browser: WebDriver, key: str):
    return [box.get_attribute("value") for box in browser.find_elements(By.CSS_SELECTOR, f"#sit-item input[name='sit-{key}']")]


def choose(browser: WebDriver, key: str, value: str) -> None:
    click(browser, browser.find_element(By.CSS_SELECTOR, f"label[for='sit-{key}-{value}']"))


def fill_blanks(browser: WebDriver, key: str, words):
    inputs = browser.find_elements(By.CSS_SELECTOR, f"#sit-item input[id^='sit-{key}-blank-']")
    values = []
    for index, field in enumerate(inputs):
        field.clear()
        word = words[index % len(words)]
        field.send_keys(word)
        values.append(word)
    return values


def set_offline(browser: WebDriver, offline: bool) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1 if not offline else 0, "uploadThroughput": -1 if not offline else 0,
    })


def db_rows(data, query, *args):
    connection = sqlite3.connect(f"file:{data / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


# ---------------------------------------------------------------- tests


def test_a_candidate_takes_the_sitting_through_a_network_loss(driver, live):  # noqa: F811 (driver is a fixture)
    url, sitting = live["url"], live["sitting"]
    ticket = next(t for t in live["tickets"] if t["candidate"]["idNumber"] == DEMO_ID)

    sign_in(driver, url, ticket, wrong_first=True)
    confirm(driver)
    # A second candidate waits in a browser without WebCrypto (as on a plain-HTTP exam server): the
    # page connects with sealed=0, holds no sealed paper, and gets the paper in clear at the start.
    plain = make_driver()
    try:
        plain.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
            "source": "Object.defineProperty(Crypto.prototype, 'subtle', { get() { return undefined; }, configurable: true });",
        })
        sign_in(plain, url, [t for t in live["tickets"] if t["candidate"]["idNumber"] != DEMO_ID][1])
        assert plain.execute_script("return window.crypto.subtle") is None
        confirm(plain)
        wait(plain).until(lambda b: attr(b, "sit-conn", "data-state") == "open")
        time.sleep(1)
        assert not snapshot(plain)["holdsSealedPaper"]
        run_the_sitting(driver, live, ticket, plain)
    finally:
        plain.quit()


def run_the_sitting(driver, live, ticket, plain):
    """The first test from the waiting room on (`plain` is the browser without WebCrypto)."""
    url, sitting = live["url"], live["sitting"]

    # Waiting room: the sitting's title, its start in Beijing time, a countdown from the server's clock.
    assert visible(driver, "view-waiting")
    wait(driver).until(lambda b: attr(b, "sit-conn", "data-state") == "open")
    assert text_of(driver, "sit-conn") == "已连接"
    wait(driver).until(lambda b: int(attr(b, "sit-countdown-value", "data-seconds") or 0) > 0)
    waiting = driver.find_element(By.ID, "view-waiting").text
    assert "人工智能" in waiting and "北京时间" in waiting and "考生须知" in waiting
    first = int(attr(driver, "sit-countdown-value", "data-seconds"))
    expected = (live["starts"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert abs(first - expected) <= 3, (first, expected)
    time.sleep(1.2)
    assert int(attr(driver, "sit-countdown-value", "data-seconds")) < first, "the countdown moves"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", text_of(driver, "sit-countdown-value"))
    shot(driver, "waiting")

    wait_for_paper(driver)
    # The paper came sealed while waiting and was opened with the key sent at the start.
    assert snapshot(driver)["paperVia"] == "sealed"
    wait_for_paper(plain, timeout=20)
    assert snapshot(plain)["paperVia"] == "clear"
    remaining = int(attr(driver, "sit-timer", "data-seconds"))
    assert 7 * 60 < remaining <= 8 * 60
    sections = groups(driver)
    assert set(sections) == {"单选题", "多选题", "判断题", "填空题"}, sections

    shown = {}  # item key → the answer the page shows
    # Single choice.
    key, kind = go_to(driver, sections["单选题"][0])
    assert kind == "single_choice"
    letter = option_letters(driver, key)[1]
    choose(driver, key, letter)
    shown[key] = {"choice": letter}
    # Multiple choice, and flag it.
    key, kind = go_to(driver, sections["多选题"][0])
    assert kind == "multiple_choice"
    letters = option_letters(driver, key)
    choose(driver, key, letters[2])
    choose(driver, key, letters[0])
    shown[key] = {"choices": sorted([letters[0], letters[2]])}
    flagged_key, flagged_number = key, sections["多选题"][0] + 1
    click(driver, driver.find_element(By.ID, "sit-flag"))
    wait(driver).until(lambda b: attr(b, "sit-flag", "aria-pressed") == "true")
    assert "is-flagged" in driver.find_element(By.CSS_SELECTOR, f"#sit-nav button[data-key='{key}']").get_attribute("class")
    # True/false: 错误.
    key, kind = go_to(driver, sections["判断题"][0])
    assert kind == "true_false"
    choose(driver, key, "false")
    shown[key] = {"value": False}
    # Fill-in: every blank.
    key, kind = go_to(driver, sections["填空题"][0])
    assert kind == "fill_in"
    shown[key] = {"blanks": fill_blanks(driver, key, ["梯度下降", "过拟合"])}
    wait_saved(driver)
    for answered in shown:
        assert "is-answered" in driver.find_element(By.CSS_SELECTOR, f"#sit-nav button[data-key='{answered}']").get_attribute("class")
    shot(driver, "item")

    # The network goes away.
    set_offline(driver, True)
    try:
        WebDriverWait(driver, 3).until(lambda b: attr(b, "sit-conn", "data-state") in ("offline", "reconnecting"))
    except Exception:
        # The emulation left the socket open: cut it the way the network would.
        driver.execute_script("window.__assaySit.dropConnection()")
    wait(driver).until(lambda b: attr(b, "sit-conn", "data-state") in ("offline", "reconnecting"))

    offline_keys = set()
    key, kind = go_to(driver, sections["单选题"][1])
    letter = option_letters(driver, key)[0]
    choose(driver, key, letter)
    shown[key] = {"choice": letter}
    offline_keys.add(key)
    key, kind = go_to(driver, sections["判断题"][1])
    choose(driver, key, "true")
    shown[key] = {"value": True}
    offline_keys.add(key)
    key, kind = go_to(driver, sections["填空题"][1])
    shown[key] = {"blanks": fill_blanks(driver, key, ["卷积神经网络"])}
    offline_keys.add(key)
    # Changing an answer given online: the newest one wins.
    key, kind = go_to(driver, sections["单选题"][0])
    letter = option_letters(driver, key)[3]
    choose(driver, key, letter)
    shown[key] = {"choice": letter}
    offline_keys.add(key)

    wait(driver).until(lambda b: save_state(b) == "offline")
    wait(driver).until(lambda b: not snapshot(b)["pending"] and {e["item"] for e in snapshot(b)["queued"] if e["type"] == "save"} == offline_keys)
    state = snapshot(driver)
    assert any(entry["type"] == "event" for entry in state["queued"]), "the offline event waits in the queue too"
    assert state["durable"] is True, "the queue is in IndexedDB"
    badge = text_of(driver, "sit-save")
    assert badge.startswith("离线，答案已暂存本机"), badge
    assert re.search(r"（(\d+)）", badge) and int(re.search(r"（(\d+)）", badge).group(1)) == len(state["queued"])
    assert text_of(driver, "sit-conn") in ("离线", "正在重连…")
    assert driver.find_elements(By.ID, "sit-notice-offline")
    seqs = [entry["seq"] for entry in state["queued"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    shot(driver, "offline")

    # The network is back: everything queued goes up, and only then does the page say 已保存.
    set_offline(driver, False)
    wait(driver, 30).until(lambda b: attr(b, "sit-conn", "data-state") == "open")
    wait_saved(driver, 30)
    assert snapshot(driver)["answers"] == shown

    # Hand in through the dialog: it lists what is unanswered and flagged.
    click(driver, driver.find_element(By.ID, "sit-handin-open"))
    wait(driver).until(lambda b: b.find_element(By.ID, "sit-handin-dialog").get_attribute("open") is not None)
    summary = text_of(driver, "sit-handin-summary")
    total = sum(len(indexes) for indexes in sections.values())
    assert f"共 {total} 题，已作答 {len(shown)} 题" in summary, summary
    unanswered = [int(b.get_attribute("textContent")) for b in driver.find_elements(By.CSS_SELECTOR, "#sit-handin-unanswered button")]
    answered_numbers = {sections_index + 1 for sections_index in (driver.execute_script(
        "return Array.from(document.querySelectorAll('#sit-nav button.is-answered')).map((b) => Number(b.dataset.index))"))}
    assert len(unanswered) == total - len(shown) and not (set(unanswered) & answered_numbers)
    flagged = [int(b.get_attribute("textContent")) for b in driver.find_elements(By.CSS_SELECTOR, "#sit-handin-flagged button")]
    assert flagged == [flagged_number]
    shot(driver, "handin")
    click(driver, driver.find_element(By.ID, "sit-handin-confirm"))

    # The receipt.
    wait(driver, 20).until(lambda b: visible(b, "view-receipt"))
    digest = text_of(driver, "sit-receipt-sha256")
    assert HEX64.match(digest), digest
    receipt_text = driver.find_element(By.ID, "view-receipt").text
    assert f"{len(shown)} / {total} 题" in receipt_text
    assert "考生本人交卷" in receipt_text and "北京时间" in receipt_text
    assert "请抄写或拍照保存此校验码" in receipt_text
    shot(driver, "receipt")

    # Everything the page showed is what the server stored.
    candidate = candidate_id(live, ticket)
    stored = stored_answers(live["data"], sitting, candidate)
    assert {key: answer for key, (_, answer) in stored.items()} == shown
    flags = db_rows(live["data"], "SELECT item_key FROM answer_flag WHERE sitting_id = ? AND candidate_id = ? AND flagged = 1", sitting, candidate)
    assert [row[0] for row in flags] == [flagged_key]
    events = db_rows(live["data"], "SELECT kind, detail FROM proctor_event WHERE sitting_id = ? AND candidate_id = ? AND source = 'client'", sitting, candidate)
    kinds = [kind for kind, _ in events]
    assert "offline" in kinds and "online" in kinds, kinds
    assert any(kind == "online" and detail and re.search(r"离线 \d+(\.\d)? 秒", detail) for kind, detail in events), events

    # A reload shows the receipt again (the server's welcome says handedIn).
    driver.refresh()
    wait(driver, 20).until(lambda b: visible(b, "view-receipt"))
    wait(driver).until(lambda b: text_of(b, "sit-receipt-sha256") == digest)
    assert_no_script_errors(driver)


def assert_no_script_errors(browser: WebDriver) -> None:
    """No uncaught error in the page (failed requests while offline are expected and skipped)."""
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE" and "net::ERR_" not in entry["message"] and "Failed to load resource" not in entry["message"]]
    assert not errors, errors


def test_an_extension_reaches_the_candidates_timer_within_two_seconds(live):
    url, sitting = live["url"], live["sitting"]
    ticket = [t for t in live["tickets"] if t["candidate"]["idNumber"] != DEMO_ID][0]
    browser = make_driver()
    try:
        browser.set_script_timeout(20)
        sign_in(browser, url, ticket)
        confirm(browser)
        wait_for_paper(browser)
        assert snapshot(browser)["paperVia"] == "clear", "after the start the paper comes in clear"
        wait(browser).until(lambda b: attr(b, "sit-conn", "data-state") == "open")
        before = int(attr(browser, "sit-timer", "data-seconds"))
        assert not browser.find_elements(By.ID, "sit-notice-time")

        sent = time.monotonic()
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/extend", live["admin"], {
            "seconds": 300, "candidate": candidate_id(live, ticket), "reason": "设备故障",
        })
        assert status == 200, body
        WebDriverWait(browser, 2, poll_frequency=0.05).until(
            lambda b: int(attr(b, "sit-timer", "data-seconds")) >= before + 290 and b.find_elements(By.ID, "sit-notice-time"),
        )
        assert time.monotonic() - sent < 2.0
        assert "设备故障" in text_of(browser, "sit-notice-reason")
        assert "考试时间已调整" in text_of(browser, "sit-notice-time")
        assert text_of(browser, "sit-notice-delta") == "剩余时间 +05:00"
        shot(browser, "extended")

        # An invigilator's warning: a modal that only its button dismisses.
        status, body = api_status_call(url, f"/api/v1/sittings/{sitting}/warn", live["admin"], {
            "candidate": candidate_id(live, ticket), "text": "请勿离开考试页面",
        })
        assert status == 200, body
        wait(browser, 5).until(lambda b: b.find_element(By.ID, "sit-warning-dialog").get_attribute("open") is not None)
        assert text_of(browser, "sit-warning-text") == "请勿离开考试页面"
        browser.find_element(By.ID, "sit-warning-ok").send_keys(Keys.ESCAPE)
        time.sleep(0.3)
        assert browser.find_element(By.ID, "sit-warning-dialog").get_attribute("open") is not None, "Escape does not dismiss it"
        browser.find_element(By.ID, "sit-warning-ok").click()
        wait(browser).until(lambda b: b.find_element(By.ID, "sit-warning-dialog").get_attribute("open") is None)

        # A newer connection of the same session (another tab) replaces this page's: close 4001,
        # the page stops and says so; taking over reconnects.
        token = json.loads(browser.execute_script("return window.sessionStorage.getItem('assay.sit')"))["token"]
        asyncio.run(other_tab(url, sitting, token))
        wait(browser).until(lambda b: visible(b, "view-stopped"))
        assert attr(browser, "sit-conn", "data-state") == "stopped"
        assert "考试已在其他窗口打开" in browser.find_element(By.ID, "view-stopped").text
        browser.find_element(By.ID, "sit-retry").click()
        wait(browser, 20).until(lambda b: visible(b, "view-paper") and attr(b, "sit-conn", "data-state") == "open")

        # Changes made while the server is unreachable survive a reload (IndexedDB) and are merged
        # over what the server holds once it is back. The ticket request is blocked (pages and
        # scripts still load), and the open socket is cut with the page's hook.
        sections = groups(browser)
        key, _ = go_to(browser, sections["单选题"][0])
        choose(browser, key, option_letters(browser, key)[0])
        wait_saved(browser)
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/connect"]})
        browser.execute_script("window.__assaySit.dropConnection()")
        wait(browser).until(lambda b: attr(b, "sit-conn", "data-state") in ("offline", "reconnecting"))
        changed = option_letters(browser, key)[1]
        choose(browser, key, changed)
        tf_key, _ = go_to(browser, sections["判断题"][0])
        choose(browser, tf_key, "false")
        wait(browser).until(lambda b: {e["item"] for e in snapshot(b)["queued"] if e["type"] == "save"} == {key, tf_key})
        browser.refresh()
        wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
        wait(browser).until(lambda b: visible(b, "view-waiting") and b.find_elements(By.ID, "sit-connecting"))
        assert re.search(r"本机暂存 \d+ 项修改", text_of(browser, "sit-connecting"))
        assert {e["item"] for e in snapshot(browser)["queued"] if e["type"] == "save"} == {key, tf_key}
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        wait(browser, 30).until(lambda b: visible(b, "view-paper"))
        wait_saved(browser, 30)
        answers = snapshot(browser)["answers"]
        assert answers[key] == {"choice": changed} and answers[tf_key] == {"value": False}
        stored = stored_answers(live["data"], sitting, candidate_id(live, ticket))
        assert stored[key][1] == {"choice": changed} and stored[tf_key][1] == {"value": False}
        assert_no_script_errors(browser)
    finally:
        browser.quit()


async def other_tab(url, sitting, token):
    async with websockets.connect(ws_url(url, ws_ticket(url, sitting, token))) as socket:
        await receive(socket, "welcome")
        await asyncio.sleep(1.5)


def test_written_and_practical_items_render_and_answer_in_the_wire_shape(driver, live):  # noqa: F811
    """The theory paper above has no written items: the item renderer is driven directly here."""
    driver.get(f"{live['url']}/sit.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    items = [
        {"key": "Q1", "section": "简答题", "type": "short_answer", "points": 10, "stem": "简述过拟合的成因。"},
        {"key": "Q2", "section": "实操题", "type": "practical_task", "points": 100, "stem": "部署一个推理服务。",
         "statement": "在给定服务器上部署模型并提供 HTTP 接口。", "preparation": "已安装 Docker。",
         "materials": [{"name": "模型文件", "description": "model.onnx"}], "timeMinutes": 40},
        {"key": "Q3", "section": "判断题", "type": "true_false", "points": 1, "stem": "梯度下降一定收敛。"},
    ]
    result = driver.execute_async_script("""
        const [items, done] = arguments;
        import('/js/sit-items.js').then((m) => {
          const calls = [];
          const box = document.createElement('div');
          box.id = 'render-check';
          document.body.append(box);
          for (const item of items) {
            box.append(m.renderItem(item, {
              number: 1, total: 3, answer: null, flagged: false, disabled: false, problem: null,
              onChange: (answer, how) => calls.push({ key: item.key, answer, how }), onFlag: () => {}, onClear: () => {},
            }));
          }
          const area = box.querySelector('#sit-Q1-text');
          area.value = '因为模型过于复杂';
          area.dispatchEvent(new Event('input'));
          const practical = box.querySelector('#sit-Q2-text');
          practical.value = 'docker run …';
          practical.dispatchEvent(new Event('input'));
          const no = box.querySelector('#sit-Q3-false');
          no.checked = true;
          no.dispatchEvent(new Event('change'));
          done({ calls, text: box.innerText, textareas: box.querySelectorAll('textarea').length });
        }).catch((error) => done({ error: String(error) }));
    """, items)
    assert "error" not in result, result
    assert result["textareas"] == 2
    assert {"key": "Q1", "answer": {"text": "因为模型过于复杂"}, "how": {"debounce": True}} in result["calls"]
    assert {"key": "Q2", "answer": {"text": "docker run …"}, "how": {"debounce": True}} in result["calls"]
    assert {"key": "Q3", "answer": {"value": False}, "how": {}} in result["calls"]
    for shown in ["在给定服务器上部署模型并提供 HTTP 接口。", "已安装 Docker。", "模型文件", "model.onnx", "40 分钟", "正确", "错误"]:
        assert shown in result["text"], shown
    # Reconnection backoff: 0.5 s doubling to 10 s, ±50 % jitter.
    delays = driver.execute_async_script("""
        const done = arguments[0];
        import('/js/sit-connection.js').then((m) => done([0, 1, 2, 3, 4, 5, 9].map((attempt) => [
          m.backoffDelay(attempt, () => 0), m.backoffDelay(attempt, () => 0.5), m.backoffDelay(attempt, () => 0.999999),
        ]))).catch((error) => done(String(error)));
    """)
    bases = [500, 1000, 2000, 4000, 8000, 10000, 10000]
    assert delays == [[base // 2, base, round(base * 1.499999)] for base in bases], delays
