"""Browser tests of the marking workspace (/marking.html, 评阅工作台) against a real batch.

The batch is the shared marking fixture's (tests/cli/marking_fixture.py `prepare_batch`): a theory
and a practical sitting of one exam, ten candidates who have all handed in and been scored, the
practical room's panel of five examiners (the first of them the room's chief examiner). The
practical task of every candidate becomes a submission marked blind by two of the panel.

In the browser:
- the first marker of candidate 1's submission (the one with an uploaded file) finds it in their
  queue (filter and counts), opens it, reads the task and the candidate's answer (preformatted),
  unfolds the reference answer and downloads the file; a mark above its 配分 is refused on the page
  with the scoring point named, and nothing reaches the server; valid marks make the running total
  add up as they are typed; the draft is saved and is still there after a reload; signing asks for
  a confirmation that says it is final, and leaves the sheet read-only with 已签名;
- the second marker signs over the API twelve points apart, so adjudication is needed;
- the chief examiner finds the 仲裁 assignment, sees both signed sheets side by side with their
  totals, comments and the difference, and enters and signs the third mark, which becomes the
  submission's marked score; the page switches to English;
- a quality supervisor is told that only examiners mark.

On every page visited the page source is checked for every candidate's name, ID number, ticket
codes and account id: none may appear.

Screenshots are written to /tmp/shots/marking-*.png (or $ASSAY_MARKING_SHOTS).
"""

import os
import pathlib
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from test_login import driver, login as browser_login, wait  # noqa: F401 (driver is a fixture)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
from marking_fixture import SUPERVISOR, prepare_batch, progress, queue, sheet_for_total, sign, submission  # noqa: E402

SHOTS = pathlib.Path(os.environ.get("ASSAY_MARKING_SHOTS", "/tmp/shots"))
# The candidate whose practical answer carries an uploaded file (the fixture's default `upload_for`).
CANDIDATE = 1
GAP = 12


# ---------------------------------------------------------------- the batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    prepared = prepare_batch(tmp_path_factory.mktemp("marking-ui"))
    try:
        url, admin = prepared["url"], prepared["admin"]
        person = prepared["candidates"][CANDIDATE]
        # The administrator may map codes to candidates (examiners never can): looking at the
        # progress view also makes the submissions and draws their markers.
        rows = progress(url, admin, prepared["ability"])["rows"]
        row = next(r for r in rows if r.get("candidate") == person["id"] or r.get("name") == person["name"])
        by_id = {examiner["id"]: examiner for examiner in prepared["examiners"]}
        markers = {marker["role"]: by_id[marker["examiner"]] for marker in row["markers"] if marker["examiner"] in by_id}
        assert {"first", "second"} <= set(markers), row
        chief = next(examiner for examiner in prepared["examiners"] if examiner["chief"])
        assert chief["id"] not in (markers["first"]["id"], markers["second"]["id"]), "the chief should be kept for adjudication"
        prepared["target"] = {"code": row["code"], "first": markers["first"], "second": markers["second"], "chief": chief, "person": person}
        yield prepared
    finally:
        prepared["server"].stop()


# ---------------------------------------------------------------- page helpers


def shot(browser: WebDriver, name: str, whole=True) -> None:
    """A screenshot of the whole page (the window grown to its height for the moment), or of the
    window as it is (`whole=False`: a modal dialog stays where the person sees it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if not whole:
        browser.save_screenshot(str(SHOTS / f"marking-{name}.png"))
        return
    size = browser.get_window_size()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(max(size["width"], 1440), max(size["height"], min(int(height) + 140, 4000)))
    try:
        browser.save_screenshot(str(SHOTS / f"marking-{name}.png"))
    finally:
        browser.set_window_size(size["width"], size["height"])


def click(browser: WebDriver, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def text_of(browser: WebDriver, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip()


def assert_blind(browser: WebDriver, batch) -> None:
    """Nothing on the page says who any candidate is."""
    source = browser.page_source
    for person in batch["candidates"]:
        for field in ("name", "idNumber", "theoryTicket", "abilityTicket", "id"):
            value = str(person.get(field) or "")
            assert not value or value not in source, f"candidate {field} {value!r} appears on {browser.current_url}"


def assert_no_script_errors(browser: WebDriver) -> None:
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]
    assert not errors, errors


def open_queue(browser: WebDriver, url: str, code: str):
    browser.get(f"{url}/marking.html")
    return wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, f"#queue-table tr[data-code='{code}']"))


def open_submission(browser: WebDriver, code: str) -> None:
    click(browser, browser.find_element(By.CSS_SELECTOR, f"#queue-table a[data-code='{code}']"))
    wait(browser).until(lambda b: f"code={code}" in b.current_url)
    wait(browser).until(lambda b: b.find_element(By.ID, "sheet-form").is_displayed())


def mark_inputs(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#items input.mark-input")


def type_mark(browser: WebDriver, element, value) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.BACKSPACE)
    element.send_keys(str(value))


def shown_total(browser: WebDriver) -> float:
    return float(browser.find_element(By.ID, "total-value").get_attribute("data-total"))


def flat(marks_by_item, items):
    return [value for item in items for value in marks_by_item[item["key"]]]


def enter_marks(browser: WebDriver, values) -> None:
    """Types every mark, checking the running total after each."""
    inputs = mark_inputs(browser)
    assert len(inputs) == len(values)
    running = 0
    for element, value in zip(inputs, values):
        type_mark(browser, element, value)
        running += value
        wait(browser).until(lambda b: abs(shown_total(b) - running) < 1e-9)


def sign_in_dialog(browser: WebDriver, total) -> None:
    click(browser, browser.find_element(By.ID, "sign"))
    dialog = wait(browser).until(lambda b: b.find_element(By.ID, "sign-dialog") if b.find_element(By.ID, "sign-dialog").get_attribute("open") is not None else None)
    assert "不能再修改" in dialog.text and "最终" in dialog.text
    assert text_of(browser, "#sign-total").startswith(f"{total:g} /")
    shot(browser, "sign-dialog", whole=False)
    browser.find_element(By.ID, "sign-confirm").click()
    wait(browser).until(lambda b: b.find_elements(By.ID, "signed-stamp"))
    assert browser.find_element(By.ID, "sign-dialog").get_attribute("open") is None


def assert_read_only(browser: WebDriver) -> None:
    for element in mark_inputs(browser) + browser.find_elements(By.CSS_SELECTOR, "#sheet-form textarea"):
        assert element.get_attribute("readonly") is not None, element.get_attribute("id")
    assert not browser.find_element(By.ID, "save-draft").is_displayed()
    assert not browser.find_element(By.ID, "sign").is_displayed()
    assert "已签名" in text_of(browser, "#sheet-state")
    assert browser.find_element(By.ID, "sheet-form").get_attribute("data-signed") == "true"


def totals(batch, code, token):
    status, body = submission(batch["url"], token, code)
    assert status == 200, body
    return body


# ---------------------------------------------------------------- tests


def test_an_examiner_marks_saves_and_signs(driver, batch):  # noqa: F811
    url, target = batch["url"], batch["target"]
    code, examiner = target["code"], target["first"]
    browser_login(driver, url, examiner)

    # The queue: this submission to mark, as 一评; the filter and its counts agree with the API.
    row = open_queue(driver, url, code)
    assert row.get_attribute("data-status") == "todo" and row.get_attribute("data-role") == "first"
    assert "一评" in row.text and "待评" in row.text
    assigned = queue(url, examiner["token"])
    assert len(driver.find_elements(By.CSS_SELECTOR, "#queue-table tbody tr")) == len(assigned)
    for status in ("todo", "draft", "signed"):
        count = driver.find_element(By.CSS_SELECTOR, f"#filter-{status} .filter-count").get_attribute("data-count")
        assert int(count) == sum(1 for a in assigned if a["status"] == status)
    click(driver, driver.find_element(By.ID, "filter-signed"))
    wait(driver).until(lambda b: b.find_elements(By.ID, "queue-filter-empty"))
    assert driver.find_element(By.ID, "filter-signed").get_attribute("aria-pressed") == "true"
    click(driver, driver.find_element(By.ID, "filter-all"))
    wait(driver).until(lambda b: b.find_elements(By.CSS_SELECTOR, f"#queue-table tr[data-code='{code}']"))
    assert_blind(driver, batch)
    shot(driver, "queue")

    # The submission: the task, the candidate's answer exactly as written, the file.
    open_submission(driver, code)
    view = totals(batch, code, examiner["token"])
    item = view["items"][0]
    assert code in text_of(driver, "#work-title")
    assert item["stem"].strip()[:20] in text_of(driver, "#item-0 .task")
    if item.get("statement"):
        assert item["statement"].strip()[:20] in text_of(driver, "#item-0 .task")
    answer = driver.find_element(By.ID, "answer-0")
    assert answer.tag_name == "pre"
    assert answer.get_attribute("textContent") == target["person"]["abilityAnswer"]["text"]
    assert driver.execute_script("return getComputedStyle(arguments[0]).whiteSpace", answer) == "pre-wrap"
    if item.get("referenceAnswer"):
        reference = driver.find_element(By.ID, "reference-0")
        assert reference.get_attribute("open") is None
        click(driver, reference.find_element(By.TAG_NAME, "summary"))
        wait(driver).until(lambda b: b.find_element(By.ID, "reference-0").get_attribute("open") is not None)
    files = driver.find_elements(By.CSS_SELECTOR, "#item-0 button.file-btn")
    assert len(files) == 1
    click(driver, files[0])
    wait(driver).until(lambda b: "已下载" in text_of(b, "#files-0-status"))
    assert_blind(driver, batch)

    # A mark above its 配分: refused on the page, naming the point; nothing is saved.
    scoring = item["scoring"] or [{"point": "整题评分", "marks": item["points"]}]
    first = mark_inputs(driver)[0]
    type_mark(driver, first, scoring[0]["marks"] + 5)
    click(driver, driver.find_element(By.ID, "save-draft"))
    error = wait(driver).until(lambda b: b.find_element(By.ID, "mark-0-0-error") if b.find_element(By.ID, "mark-0-0-error").is_displayed() else None)
    assert scoring[0]["point"][:40] in error.text and "超过配分" in error.text
    assert first.get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element.get_attribute("id") == "mark-0-0"
    summary = driver.find_element(By.ID, "sheet-error")
    assert summary.get_attribute("data-code") == "client_check" and scoring[0]["point"][:40] in summary.text
    stored = totals(batch, code, examiner["token"])["sheet"]
    assert stored.get("savedAt") is None and all(value is None for values in stored["marks"].values() for value in values)
    shot(driver, "entry-invalid")

    # Valid marks: the running total follows each one typed.
    worth = sum(point["marks"] for entry in view["items"] for point in (entry["scoring"] or [{"marks": entry["points"]}]))
    assert GAP > 0.1 * worth, f"a {GAP}-point gap must exceed 10% of {worth}"
    first_total = round(worth * 0.7 * 2) / 2
    marks = sheet_for_total(view, first_total)
    values = flat(marks, view["items"])
    enter_marks(driver, values)
    wait(driver).until(lambda b: not b.find_element(By.ID, "mark-0-0-error").is_displayed())
    comment = driver.find_element(By.ID, "comment-0")
    comment.send_keys("数据检查完整，报告略简。")
    overall = driver.find_element(By.ID, "overall-comment")
    overall.send_keys("按评分细则逐项评分。")

    # Saved as a draft, and still there after a reload.
    click(driver, driver.find_element(By.ID, "save-draft"))
    wait(driver).until(lambda b: b.find_element(By.ID, "sheet-message").get_attribute("data-kind") == "success")
    assert "草稿已保存" in text_of(driver, "#sheet-message")
    stored = totals(batch, code, examiner["token"])["sheet"]
    assert stored.get("savedAt") and stored.get("signedAt") is None
    assert flat(stored["marks"], view["items"]) == values
    assert stored["comment"] == "按评分细则逐项评分。"
    driver.refresh()
    wait(driver).until(lambda b: b.find_element(By.ID, "sheet-form").is_displayed())
    assert [float(e.get_attribute("value")) for e in mark_inputs(driver)] == [float(v) for v in values]
    assert driver.find_element(By.ID, "comment-0").get_attribute("value") == "数据检查完整，报告略简。"
    assert shown_total(driver) == first_total
    assert "草稿已保存" in text_of(driver, "#sheet-state")
    assert_blind(driver, batch)
    shot(driver, "entry")

    # The confirmation closes with Escape, giving the focus back, and nothing is signed.
    click(driver, driver.find_element(By.ID, "sign"))
    wait(driver).until(lambda b: b.find_element(By.ID, "sign-dialog").get_attribute("open") is not None)
    assert driver.switch_to.active_element.get_attribute("id") == "sign-cancel"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver).until(lambda b: b.find_element(By.ID, "sign-dialog").get_attribute("open") is None)
    assert driver.switch_to.active_element.get_attribute("id") == "sign"
    assert totals(batch, code, examiner["token"])["sheet"].get("signedAt") is None

    # Signed after the confirmation: read-only, 已签名 with the time.
    sign_in_dialog(driver, first_total)
    assert_read_only(driver)
    assert "已签名" in text_of(driver, "#signed-stamp")
    stored = totals(batch, code, examiner["token"])["sheet"]
    assert stored.get("signedAt") and stored["total"] == first_total
    assert next(a for a in queue(url, examiner["token"]) if a["code"] == code)["status"] == "signed"
    assert_blind(driver, batch)
    shot(driver, "signed")
    assert_no_script_errors(driver)
    batch["target"]["firstTotal"] = first_total


def test_the_chief_examiner_adjudicates(driver, batch):  # noqa: F811
    url, target = batch["url"], batch["target"]
    code, second, chief = target["code"], target["second"], target["chief"]
    first_total = target.get("firstTotal")
    assert first_total is not None, "the first marker's test must run first"

    # The second marker signs over the API, twelve points below: adjudication is needed.
    view = totals(batch, code, second["token"])
    second_total = first_total - GAP
    status, body = sign(url, second["token"], code, sheet_for_total(view, second_total), comment="二评：曲线缺少验证集。")
    assert status == 200, body
    assert body["total"] == second_total
    assert any(a["code"] == code and a["role"] == "third" for a in queue(url, chief["token"]))

    browser_login(driver, url, chief)
    row = open_queue(driver, url, code)
    assert row.get_attribute("data-role") == "third" and "仲裁" in row.text
    assert_blind(driver, batch)
    shot(driver, "queue-chief")

    # Both signed sheets side by side, with their totals, comments and the difference.
    open_submission(driver, code)
    compare = driver.find_element(By.ID, "compare")
    assert compare.is_displayed()
    assert float(compare.find_element(By.CSS_SELECTOR, ".compare-first .compare-total-value").get_attribute("data-total")) == first_total
    assert float(compare.find_element(By.CSS_SELECTOR, ".compare-second .compare-total-value").get_attribute("data-total")) == second_total
    assert float(driver.find_element(By.ID, "compare-diff").get_attribute("data-diff")) == GAP
    assert "按评分细则逐项评分。" in compare.text and "二评：曲线缺少验证集。" in compare.text
    assert "一评" in compare.text and "二评" in compare.text
    assert driver.find_elements(By.CSS_SELECTOR, "#items td.cell-diff.diff-differs"), "no scoring point shows a difference"
    assert "数据检查完整，报告略简。" in text_of(driver, "#item-0 .other-comments")
    assert "仲裁" in text_of(driver, "#work-head")
    assert_blind(driver, batch)
    shot(driver, "adjudication")

    # The third mark: entered, signed, and it is the marked score.
    third_total = first_total - GAP / 2
    third = totals(batch, code, chief["token"])
    values = flat(sheet_for_total(third, third_total), third["items"])
    enter_marks(driver, values)
    sign_in_dialog(driver, third_total)
    assert_read_only(driver)
    assert_blind(driver, batch)
    shot(driver, "adjudication-signed")
    final = totals(batch, code, chief["token"])
    assert final["status"] == "final" and final["sheet"]["total"] == third_total
    row = next(r for r in progress(url, batch["admin"], batch["ability"])["rows"] if r["code"] == code)
    assert row["marked"] == third_total and row["adjudicated"] is True

    # English on the same page.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert "Scoring sheet" in text_of(driver, "#item-0 .sheet-title") and "Adjudication" in text_of(driver, "#work-head")
    assert_blind(driver, batch)
    assert_no_script_errors(driver)


def test_only_examiners_mark(driver, batch):  # noqa: F811
    url = batch["url"]
    browser_login(driver, url, SUPERVISOR)
    driver.get(f"{url}/marking.html")
    card = wait(driver).until(lambda b: b.find_element(By.ID, "access-denied") if b.find_element(By.ID, "access-denied").is_displayed() else None)
    assert "仅考评员可以评阅" in card.text
    assert not driver.find_element(By.ID, "content").is_displayed()
    assert_blind(driver, batch)
    shot(driver, "denied")
    assert_no_script_errors(driver)


def test_an_examiner_not_assigned_sees_neither_the_submission_nor_a_queue_entry(driver, batch):  # noqa: F811
    url, code = batch["url"], batch["target"]["code"]
    # The theory invigilator: an examiner with nothing to mark (the theory papers are all objective).
    examiner = batch["theory_staff"][-1]
    assert not queue(url, examiner["token"])
    browser_login(driver, url, examiner)
    driver.get(f"{url}/marking.html")
    empty = wait(driver).until(lambda b: b.find_element(By.ID, "queue-empty"))
    assert "暂无评阅任务" in empty.text

    driver.get(f"{url}/marking.html?code={code}")
    card = wait(driver).until(lambda b: b.find_element(By.ID, "not-assigned"))
    assert card.get_attribute("data-code") == "not_assigned"
    assert "该评阅卷未分配给您" in card.text
    assert not driver.find_element(By.ID, "sheet-form").is_displayed()
    assert_blind(driver, batch)
    assert_no_script_errors(driver)
