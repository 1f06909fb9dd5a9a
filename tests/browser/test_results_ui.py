"""Browser tests of the results page (/results.html, 成绩管理 / 我的成绩) against a real batch.

The batch is the shared marking fixture's (tests/cli/marking_fixture.py `prepare_batch`): a theory
and a practical sitting of one exam, ten candidates who have all handed in and been scored, with
three misconduct decisions (a deduction and a warning in theory, a voided practical part).

The tests run in order on one server:
- the exam administrator comes from the workbench, creates the batch from the two sittings in the
  browser while the practical submissions are still unmarked: the batch is not ready, the blockers
  name the unfinished marking, 发布成绩 is disabled and the marking progress lists what is open;
- a candidate is told 成绩尚未发布;
- every submission is marked and signed over the API (two markers each, close enough that none
  needs a third); the administrator sees the batch become ready, publishes after a confirmation
  and reads the results table: every score, pass and misconduct badge as the API says;
- the candidate reads their own scores (as the API says), asks for a re-check (合分错误) and sees
  it listed as pending; a second request for the same part is refused by the server, and said so;
- the administrator corrects the score; the results table shows the new score and revision, the
  certification gate opens, and the candidate sees the outcome;
- the quality supervisor reads the same batch with no control to publish or decide, and the
  statistics: each paper's KR-20 as the API computes it, the flagged items marked and explained,
  the marking reliability tables; the page switches to English;
- an examiner finds 评阅工作台 on the workbench and is refused this page.

The re-check deadline cannot pass within a test, so "overdue" is only what the server says.

Screenshots are written to /tmp/shots/results-*.png (or $ASSAY_RESULTS_SHOTS).
"""

import os
import pathlib
import sys
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_login import driver, login as browser_login, wait  # noqa: F401 (driver is a fixture)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
from marking_fixture import ADMIN, SUPERVISOR, call, pairs, prepare_batch, sheet_for_total, sign, submission, worth  # noqa: E402

SHOTS = pathlib.Path(os.environ.get("ASSAY_RESULTS_SHOTS", "/tmp/shots"))
# The candidate who looks at their results and asks for a re-check (rank 2: a theory deduction).
CANDIDATE = 2
MISCONDUCT = (
    {"candidate": 2, "part": "theory", "tier": "deduction", "points": 5, "reason": "考试结束信号发出后继续作答"},
    {"candidate": 5, "part": "theory", "tier": "warning", "reason": "多次离开考试页面"},
    {"candidate": 7, "part": "ability", "tier": "subject_void", "reason": "使用未经允许的资料"},
)
SCOPE = "summation_error"
REASON = "第 3 题得分未计入总分，请核对合分。"
NOTE = "经核查第 3 题得分漏计，已更正合分。"


# ---------------------------------------------------------------- the batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    prepared = prepare_batch(tmp_path_factory.mktemp("results-ui"), misconduct=MISCONDUCT)
    try:
        prepared["state"] = {}
        yield prepared
    finally:
        prepared["server"].stop()


def api(batch, method, path, token=None, body=None, expect=200):
    status, answer = call(batch["url"], method, path, token or batch["admin"], body)
    assert status == expect, f"{method} {path} → {status} {answer}"
    return answer


def mark_everything(batch):
    """Both markers of every submission of both sittings sign sheets two points either side of a
    part score away from the pass band, so no submission needs a third marker; candidate 0 fails."""
    signed = 0
    for sitting in (batch["theory"], batch["ability"]):
        for code, entry in pairs(batch, sitting).items():
            rank = next(p["rank"] for p in batch["candidates"] if p["id"] == entry["candidate"])
            for role in ("first", "second"):
                marker = entry[role]
                assert marker and marker.get("token"), f"{code}: no {role} marker among the fixture's examiners: {entry['row']}"
                status, body = submission(batch["url"], marker["token"], code)
                assert status == 200, body
                whole = worth(body)
                share = (40 if rank == 0 else 66 + 2 * rank) / 100
                spread = 1.5 if rank % 2 == 0 else -1
                total = round((share * whole + (spread if role == "first" else -spread)) * 2) / 2
                status, answer = sign(batch["url"], marker["token"], code, sheet_for_total(body, min(max(total, 0), whole)))
                assert status == 200, answer
                signed += 1
    return signed


# ---------------------------------------------------------------- page helpers


def shot(browser: WebDriver, name: str) -> None:
    """A screenshot of the whole page (the window grown to its height for the moment)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = browser.get_window_size()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(max(size["width"], 1440), max(size["height"], min(int(height) + 140, 4800)))
    try:
        browser.save_screenshot(str(SHOTS / f"results-{name}.png"))
    finally:
        browser.set_window_size(size["width"], size["height"])


def click(browser: WebDriver, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def text_of(browser: WebDriver, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip()


def assert_no_script_errors(browser: WebDriver) -> None:
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]
    assert not errors, errors


def score_text(value) -> str:
    """A score as the page writes it: up to two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def settled(browser: WebDriver) -> bool:
    """The batch view has finished reading its parts."""
    section = browser.find_element(By.ID, "batch-section")
    return section.is_displayed() and section.get_attribute("data-refreshing") is None \
        and bool(browser.find_elements(By.CSS_SELECTOR, "#readiness-box"))


def open_batch(browser: WebDriver, url: str, batch_id: str) -> None:
    browser.get(f"{url}/results.html#batch={batch_id}")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    wait(browser).until(settled)


def choose_tab(browser: WebDriver, name: str) -> None:
    click(browser, browser.find_element(By.ID, f"tab-{name}"))
    wait(browser).until(lambda b: b.find_element(By.ID, f"panel-{name}").is_displayed())


def sign_in_candidate(browser: WebDriver, url: str, person) -> None:
    """The candidate's session (from signing in with their admission ticket) as the browser's cookie."""
    browser.get(f"{url}/favicon.svg")
    browser.delete_all_cookies()
    browser.add_cookie({"name": "assay_session", "value": person["token"], "path": "/", "httpOnly": True, "sameSite": "Strict"})
    browser.get(f"{url}/results.html")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))


def result_row(browser: WebDriver, candidate: str):
    return browser.find_element(By.CSS_SELECTOR, f"#results-table tr[data-candidate='{candidate}']")


def assert_misconduct_badges(browser: WebDriver, batch, rows) -> None:
    """Each misconduct decision of the fixture as a badge of its tier with its reason; a voided
    part says so. `rows`: the API's result rows by candidate."""
    people = {p["rank"]: p for p in batch["candidates"]}
    deducted = result_row(browser, people[2]["id"])
    badge = deducted.find_element(By.CSS_SELECTOR, ".misconduct-item[data-tier='deduction']")
    assert "扣 5 分" in badge.text and "考试结束信号发出后继续作答" in badge.text
    assert rows[people[2]["id"]]["theory"]["deduction"] == 5
    if rows[people[2]["id"]]["theory"]["status"] == "scored":
        assert "扣分 5" in deducted.find_element(By.CSS_SELECTOR, "td[data-part='theory']").text
    warned = result_row(browser, people[5]["id"]).find_element(By.CSS_SELECTOR, ".misconduct-item[data-tier='warning']")
    assert "警告" in warned.text and "多次离开考试页面" in warned.text
    voided = result_row(browser, people[7]["id"])
    assert "本科目成绩无效" in voided.find_element(By.CSS_SELECTOR, ".misconduct-item[data-tier='subject_void']").text
    assert "使用未经允许的资料" in voided.text
    assert rows[people[7]["id"]]["ability"]["status"] == "void" and rows[people[7]["id"]]["passed"] is False
    assert voided.find_element(By.CSS_SELECTOR, "td[data-part='ability'] .part-cell").get_attribute("data-status") == "void"
    assert voided.find_element(By.CSS_SELECTOR, "td[data-part='ability']").text == "作废"


# ---------------------------------------------------------------- tests


def test_the_administrator_creates_the_batch_which_is_not_ready_while_marking_is_open(driver, batch):  # noqa: F811
    url = batch["url"]
    browser_login(driver, url, ADMIN)
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="resultsManage"]')))
    assert "成绩管理" in card.text
    click(driver, card)
    wait(driver).until(lambda b: b.current_url.endswith("/results.html"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    assert text_of(driver, "#page-title") == "成绩管理"
    wait(driver).until(EC.presence_of_element_located((By.ID, "batches-empty")))

    # A new batch: the theory sitting, then its practical sitting (offered alone: same exam).
    click(driver, driver.find_element(By.ID, "create-open"))
    assert driver.switch_to.active_element.get_attribute("id") == "create-theory"
    assert driver.find_element(By.ID, "create-days").get_attribute("value") == "10"
    assert not driver.find_element(By.ID, "create-ability").is_enabled()
    wait(driver).until(lambda b: batch["theory"] in [o.get_attribute("value") for o in Select(b.find_element(By.ID, "create-theory")).options])
    theories = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "create-theory")).options if o.get_attribute("value")]
    assert batch["ability"] not in theories, "a practical sitting is not offered as the theory part"
    Select(driver.find_element(By.ID, "create-theory")).select_by_value(batch["theory"])
    ability = Select(driver.find_element(By.ID, "create-ability"))
    assert [o.get_attribute("value") for o in ability.options if o.get_attribute("value")] == [batch["ability"]]
    assert ability.first_selected_option.get_attribute("value") == batch["ability"]
    shot(driver, "admin-create")
    driver.find_element(By.ID, "create-submit").click()

    # The new batch opens: not ready, the unfinished marking named, publishing disabled.
    wait(driver).until(lambda b: "已创建考试批次" in text_of(b, "#batches-message"))
    wait(driver).until(settled)
    batches = api(batch, "GET", "/api/v1/batches")["batches"]
    assert len(batches) == 1 and batches[0]["theory"] == batch["theory"] and batches[0]["ability"] == batch["ability"]
    assert batches[0]["recheckDays"] == 10 and batches[0]["status"] == "open"
    batch_id = batches[0]["id"]
    batch["state"]["id"] = batch_id
    assert driver.find_element(By.ID, "batch-section").get_attribute("data-id") == batch_id
    assert f"batch={batch_id}" in driver.current_url

    view = api(batch, "GET", f"/api/v1/batches/{batch_id}/results")
    assert view["ready"] is False and view["blockers"]
    box = driver.find_element(By.ID, "readiness-box")
    assert box.get_attribute("data-ready") == "false"
    assert "暂不能发布成绩" in box.text
    shown = [li.get_attribute("textContent").strip() for li in driver.find_elements(By.CSS_SELECTOR, "#blockers li")]
    assert shown == view["blockers"]
    assert any("评阅" in line for line in shown), shown
    publish = driver.find_element(By.ID, "publish-button")
    assert not publish.is_enabled()
    assert publish.get_attribute("aria-describedby") == "publish-note"
    # Nothing is scored for a part still being marked.
    pending = [row for row in view["results"] if row["ability"]["status"] == "pending"]
    assert pending, "the practical parts are still being marked"
    assert text_of(driver, f"#results-table tr[data-candidate='{pending[0]['candidate']}'] td[data-part='ability']") == "待评分"
    # Misconduct decisions apply before publication too.
    assert_misconduct_badges(driver, batch, {row["candidate"]: row for row in view["results"]})
    shot(driver, "admin-not-ready")

    # The marking progress of the practical sitting: nothing final yet, each submission listed.
    choose_tab(driver, "marking")
    progress = api(batch, "GET", f"/api/v1/sittings/{batch['ability']}/marking")
    counts = driver.find_element(By.ID, "marking-ability-counts")
    wait(driver).until(lambda b: counts.find_element(By.CSS_SELECTOR, "[data-count='submissions']").get_attribute("data-value") == str(progress["submissions"]))
    for key in ("final", "marking", "adjudication", "unassigned"):
        assert counts.find_element(By.CSS_SELECTOR, f"[data-count='{key}']").get_attribute("data-value") == str(progress[key])
    assert progress["final"] < progress["submissions"]
    listed = {row.get_attribute("data-code") for row in driver.find_elements(By.CSS_SELECTOR, "#marking-ability-table tbody tr")}
    assert listed == {row["code"] for row in progress["rows"] if row["status"] != "final"}
    assert text_of(driver, "#tab-marking-count") == str(progress["submissions"] - progress["final"])
    shot(driver, "admin-marking-progress")
    assert_no_script_errors(driver)


def test_a_candidate_is_told_results_are_not_published(driver, batch):  # noqa: F811
    person = batch["candidates"][CANDIDATE]
    sign_in_candidate(driver, batch["url"], person)
    assert text_of(driver, "#page-title") == "我的成绩"
    notice = wait(driver).until(EC.visibility_of_element_located((By.ID, "mine-unpublished")))
    assert "成绩尚未发布" in notice.text
    assert not driver.find_element(By.ID, "batches-section").is_displayed()
    assert person["name"] in text_of(driver, "#current-user")
    shot(driver, "candidate-unpublished")
    assert_no_script_errors(driver)


def test_the_administrator_publishes_once_everything_is_marked(driver, batch):  # noqa: F811
    url, batch_id = batch["url"], batch["state"]["id"]
    assert mark_everything(batch) >= 2 * len(batch["candidates"]) - 2
    for sitting in (batch["theory"], batch["ability"]):
        view = api(batch, "GET", f"/api/v1/sittings/{sitting}/marking")
        assert view["final"] == view["submissions"], view
    # Both sittings must also be over (their scheduled end), which the marking may have outrun.
    deadline = time.monotonic() + 240
    while not (view := api(batch, "GET", f"/api/v1/batches/{batch_id}/results"))["ready"]:
        assert time.monotonic() < deadline, view["blockers"]
        time.sleep(2)

    browser_login(driver, url, ADMIN)
    open_batch(driver, url, batch_id)
    box = driver.find_element(By.ID, "readiness-box")
    assert box.get_attribute("data-ready") == "true" and "可以发布" in box.text
    assert not driver.find_elements(By.CSS_SELECTOR, "#blockers li")
    publish = driver.find_element(By.ID, "publish-button")
    assert publish.is_enabled()

    # Publishing asks first; cancelling gives the focus back.
    click(driver, publish)
    confirm = wait(driver).until(EC.visibility_of_element_located((By.ID, "publish-confirm")))
    assert "确定发布本批次成绩吗" in confirm.text and "10 个工作日" in confirm.text
    assert driver.switch_to.active_element.get_attribute("id") == "publish-confirm-button"
    driver.find_element(By.ID, "publish-cancel").click()
    assert not driver.find_elements(By.ID, "publish-confirm")
    assert driver.switch_to.active_element.get_attribute("id") == "publish-button"
    assert api(batch, "GET", "/api/v1/batches")["batches"][0]["status"] == "open"

    click(driver, driver.find_element(By.ID, "publish-button"))
    click(driver, wait(driver).until(EC.element_to_be_clickable((By.ID, "publish-confirm-button"))))
    wait(driver).until(lambda b: "成绩已发布" in text_of(b, "#batch-message"))
    published = api(batch, "GET", "/api/v1/batches")["batches"][0]
    assert published["status"] == "published" and published["publishedAt"] and published["recheckUntil"]
    view = api(batch, "GET", f"/api/v1/batches/{batch_id}/results")
    wait(driver).until(lambda b: b.find_element(By.ID, "readiness-box").get_attribute("data-status") == "published")
    wait(driver).until(settled)
    assert driver.find_element(By.ID, "batch-section").get_attribute("data-status") == "published"
    assert driver.find_elements(By.ID, "batch-recheck-until")
    assert not driver.find_elements(By.ID, "publish-button")
    assert driver.find_element(By.CSS_SELECTOR, f"#batches-table tr[data-id='{batch_id}'] [data-status]").get_attribute("data-status") == "published"

    # The results table, as the API states them: scores, passes and misconduct badges.
    rows = {row["candidate"]: row for row in view["results"]}
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")) == len(rows) == len(batch["candidates"])
    for candidate, row in rows.items():
        shown = result_row(driver, candidate)
        assert row["name"] in shown.find_element(By.CSS_SELECTOR, "th").text
        for part, passed in (("theory", row["passedTheory"]), ("ability", row["passedAbility"])):
            cell = shown.find_element(By.CSS_SELECTOR, f"td[data-part='{part}'] .part-cell")
            assert cell.get_attribute("data-status") == row[part]["status"]
            if row[part]["status"] == "scored":
                assert cell.find_element(By.CSS_SELECTOR, ".part-score").text == score_text(row[part]["score"])
            assert shown.find_element(By.CSS_SELECTOR, f"td[data-pass='{part}'] .pass-tag").get_attribute("data-passed") == str(passed).lower()
        assert shown.find_element(By.CSS_SELECTOR, "td[data-pass='overall'] .pass-tag").text == ("合格" if row["passed"] else "不合格")
    assert any(row["passed"] for row in rows.values()) and not all(row["passed"] for row in rows.values())

    assert_misconduct_badges(driver, batch, rows)
    assert text_of(driver, "#results-count").startswith(f"共 {len(rows)} 名考生")

    # Certification waits for nothing but open re-checks now.
    assert driver.find_element(By.ID, "cert-status").get_attribute("data-ready") == "true"
    # Export buttons for the table.
    assert driver.find_element(By.ID, "results-export-csv") and driver.find_element(By.ID, "results-export-xlsx")
    click(driver, driver.find_element(By.ID, "results-export-csv"))
    wait(driver).until(lambda b: b.find_element(By.ID, "results-export").get_attribute("data-done"))
    shot(driver, "admin-published")
    assert_no_script_errors(driver)


def test_the_candidate_reads_their_results_and_asks_for_a_recheck(driver, batch):  # noqa: F811
    url, batch_id = batch["url"], batch["state"]["id"]
    person = batch["candidates"][CANDIDATE]
    mine = api(batch, "GET", "/api/v1/results/mine", person["token"])["results"]
    assert [entry["batch"] for entry in mine] == [batch_id]
    result = mine[0]
    assert result["canRecheck"] is True

    # From the workbench: 我的成绩.
    sign_in_candidate(driver, url, person)
    driver.get(f"{url}/home.html")
    entry = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="myResults"]')))
    assert "我的成绩" in entry.text
    click(driver, entry)
    wait(driver).until(lambda b: b.current_url.endswith("/results.html"))
    card = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, f".mine-card[data-batch='{batch_id}']"))
    assert not driver.find_elements(By.ID, "mine-unpublished")
    for part, passed in (("theory", result["passedTheory"]), ("ability", result["passedAbility"])):
        block = card.find_element(By.CSS_SELECTOR, f".mine-part[data-part='{part}']")
        assert block.get_attribute("data-status") == result[part]["status"] == "scored"
        assert block.find_element(By.CSS_SELECTOR, ".mine-score-value").text == score_text(result[part]["score"])
        assert block.find_element(By.CSS_SELECTOR, ".pass-tag").text == ("合格" if passed else "不合格")
    assert card.find_element(By.CSS_SELECTOR, ".mine-overall").get_attribute("data-passed") == str(result["passed"]).lower()
    theory = card.find_element(By.CSS_SELECTOR, ".mine-part[data-part='theory']")
    for decision in result["theory"]["misconduct"]:
        assert decision["reason"] in theory.text
    if result["theory"]["deduction"]:
        assert "扣分 5" in theory.text and "扣 5 分" in theory.text
    assert "北京时间" in text_of(driver, f"#mine-{batch_id}-until")
    batch["state"]["before"] = result["theory"]["score"]

    # The re-check form: every field is needed, the scopes are the fixed four.
    click(driver, driver.find_element(By.ID, f"apply-open-{batch_id}"))
    assert driver.switch_to.active_element.get_attribute("id") == "apply-part"
    scopes = [o.text for o in Select(driver.find_element(By.ID, "apply-scope")).options if o.get_attribute("value")]
    assert scopes == ["漏登成绩", "漏评试题", "合分错误", "登记错误"]
    driver.find_element(By.ID, "apply-submit").click()
    assert driver.find_element(By.ID, "apply-part").get_attribute("aria-invalid") == "true"
    assert "请选择复核科目" in text_of(driver, "#apply-part-error")
    assert driver.switch_to.active_element.get_attribute("id") == "apply-part"
    assert api(batch, "GET", "/api/v1/results/mine", person["token"])["results"][0]["rechecks"] == []

    Select(driver.find_element(By.ID, "apply-part")).select_by_value("theory")
    Select(driver.find_element(By.ID, "apply-scope")).select_by_visible_text("合分错误")
    driver.find_element(By.ID, "apply-reason").send_keys(REASON)
    driver.find_element(By.ID, "apply-submit").click()
    wait(driver).until(lambda b: "已提交理论知识的成绩复核申请" in text_of(b, "#mine-message"))
    item = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, ".my-recheck[data-status='open']"))
    assert "合分错误" in item.text and REASON in item.text and "待处理" in item.text and "答复期限" in item.text
    rechecks = api(batch, "GET", "/api/v1/results/mine", person["token"])["results"][0]["rechecks"]
    assert [(r["part"], r["scope"], r["reason"], r["status"]) for r in rechecks] == [("theory", SCOPE, REASON, "open")]
    shot(driver, "candidate-requested")

    # A second request for the same part while one is open: the server refuses, the page says why.
    click(driver, driver.find_element(By.ID, f"apply-open-{batch_id}"))
    assert "已有待处理的申请" in Select(driver.find_element(By.ID, "apply-part")).options[1].text
    Select(driver.find_element(By.ID, "apply-part")).select_by_value("theory")
    Select(driver.find_element(By.ID, "apply-scope")).select_by_value("recording_error")
    driver.find_element(By.ID, "apply-reason").send_keys("再次申请")
    driver.find_element(By.ID, "apply-submit").click()
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "apply-error")))
    assert error.get_attribute("data-code") == "recheck_open" and "已有待处理的复核申请" in error.text
    assert len(api(batch, "GET", "/api/v1/results/mine", person["token"])["results"][0]["rechecks"]) == 1
    driver.find_element(By.ID, "apply-cancel").click()
    assert driver.switch_to.active_element.get_attribute("id") == f"apply-open-{batch_id}"
    shot(driver, "candidate-results")
    assert_no_script_errors(driver)


def test_the_administrator_corrects_the_score(driver, batch):  # noqa: F811
    url, batch_id = batch["url"], batch["state"]["id"]
    person = batch["candidates"][CANDIDATE]
    before = batch["state"]["before"]
    corrected = min(100, before + 3)
    browser_login(driver, url, ADMIN)
    open_batch(driver, url, batch_id)
    assert text_of(driver, "#tab-rechecks-count") == "1"
    assert driver.find_element(By.ID, "cert-status").get_attribute("data-ready") == "false"
    assert "成绩复核" in text_of(driver, "#cert-blockers")

    choose_tab(driver, "rechecks")
    row = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, "#rechecks-table tr[data-status='open']"))
    assert person["name"] in row.text and "合分错误" in row.text and REASON in row.text
    assert row.get_attribute("data-overdue") == "false"
    click(driver, row.find_element(By.CSS_SELECTOR, "button[data-action='decide']"))
    form = wait(driver).until(EC.visibility_of_element_located((By.ID, "decide-form")))
    assert driver.switch_to.active_element.get_attribute("id") == "decide-outcome-unchanged"
    assert person["name"] in form.text
    driver.find_element(By.ID, "decide-outcome-corrected").click()
    score = wait(driver).until(EC.visibility_of_element_located((By.ID, "decide-score")))
    assert f"当前成绩：{score_text(before)}" in text_of(driver, "#decide-score-hint")
    # A correction needs its score and a note.
    driver.find_element(By.ID, "decide-submit").click()
    score = driver.find_element(By.ID, "decide-score")
    assert score.get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "decide-note").get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element.get_attribute("id") == "decide-score"
    assert api(batch, "GET", f"/api/v1/batches/{batch_id}/rechecks")["rechecks"][0]["status"] == "open"
    score.send_keys(score_text(corrected))
    driver.find_element(By.ID, "decide-note").send_keys(NOTE)
    shot(driver, "admin-decide")
    driver.find_element(By.ID, "decide-submit").click()
    wait(driver).until(lambda b: "更正为" in text_of(b, "#batch-message"))
    wait(driver).until(settled)

    decided = api(batch, "GET", f"/api/v1/batches/{batch_id}/rechecks")["rechecks"]
    assert [(r["status"], r["before"], r["after"], r["note"]) for r in decided] == [("corrected", before, corrected, NOTE)]
    row = driver.find_element(By.CSS_SELECTOR, f"#rechecks-table tr[data-id='{decided[0]['id']}']")
    assert row.get_attribute("data-status") == "corrected"
    assert f"{score_text(before)} → {score_text(corrected)}" in row.text and NOTE in row.text
    assert not driver.find_elements(By.CSS_SELECTOR, "button[data-action='decide']")
    assert text_of(driver, "#tab-rechecks-count") == ""

    # The results table shows the new score and revision; the certification gate opens.
    choose_tab(driver, "results")
    view = api(batch, "GET", f"/api/v1/batches/{batch_id}/results")
    latest = next(r for r in view["results"] if r["candidate"] == person["id"])
    assert latest["theory"]["score"] == corrected and latest["revision"] == 2
    shown = result_row(driver, person["id"])
    assert shown.find_element(By.CSS_SELECTOR, "td[data-part='theory'] .part-score").text == score_text(corrected)
    assert shown.get_attribute("data-revision") == "2" and "已更正（第 2 版）" in shown.text
    assert driver.find_element(By.ID, "cert-status").get_attribute("data-ready") == "true"
    shot(driver, "admin-corrected")
    assert_no_script_errors(driver)

    # The candidate sees the outcome and the new score.
    sign_in_candidate(driver, url, person)
    card = wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, f".mine-card[data-batch='{batch_id}']"))
    assert card.find_element(By.CSS_SELECTOR, ".mine-part[data-part='theory'] .mine-score-value").text == score_text(corrected)
    outcome = card.find_element(By.CSS_SELECTOR, ".my-recheck[data-status='corrected']")
    assert f"由 {score_text(before)} 分更正为 {score_text(corrected)} 分" in outcome.text and NOTE in outcome.text
    shot(driver, "candidate-corrected")


def test_the_supervisor_reads_results_and_statistics_without_controls(driver, batch):  # noqa: F811
    url, batch_id = batch["url"], batch["state"]["id"]
    browser_login(driver, url, SUPERVISOR)
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="resultsManage"]')))
    assert card.get_attribute("href").endswith("/results.html")
    open_batch(driver, url, batch_id)
    assert "不能发布成绩" in text_of(driver, "#readonly-note")
    assert driver.find_element(By.ID, "readonly-note").is_displayed()
    # Read-only: no create, publish or decide control anywhere.
    assert not driver.find_element(By.ID, "create-open").is_displayed()
    assert not driver.find_elements(By.ID, "publish-button") and not driver.find_elements(By.ID, "publish-confirm-button")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")) == len(batch["candidates"])
    choose_tab(driver, "rechecks")
    wait(driver).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#rechecks-table tbody tr"))
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-action='decide']")
    assert "操作" not in text_of(driver, "#rechecks-table thead")

    # Statistics of the theory sitting: each paper's KR-20 as the API computes it, flags marked.
    choose_tab(driver, "statistics")
    assert f"batch={batch_id}&tab=statistics" in driver.current_url
    stats = api(batch, "GET", f"/api/v1/sittings/{batch['theory']}/statistics", batch["supervisor"]["token"])
    wait(driver).until(lambda b: b.find_element(By.ID, "stats-body").get_attribute("data-state") == "ok")
    assert driver.find_element(By.ID, "stats-part-theory").get_attribute("aria-pressed") == "true"
    papers = driver.find_elements(By.CSS_SELECTOR, "#stats-body .paper-stats")
    assert [p.get_attribute("data-paper") for p in papers] == [paper["paper"] for paper in stats["papers"]]
    flagged_total = 0
    for paper, block in zip(stats["papers"], papers):
        kr20 = block.find_element(By.CSS_SELECTOR, ".kr20-value")
        if paper["kr20"] is None:
            assert kr20.text == "无法计算"
        else:
            assert float(kr20.get_attribute("data-value")) == paper["kr20"]
            assert abs(float(kr20.text) - paper["kr20"]) <= 0.0005 + 1e-9
        rows = {r.get_attribute("data-key"): r for r in block.find_elements(By.CSS_SELECTOR, "tbody tr.item-stat-row")}
        assert list(rows) == [item["key"] for item in paper["items"]]
        for item in paper["items"]:
            row = rows[item["key"]]
            assert ("is-flagged" in row.get_attribute("class").split()) == bool(item["flags"]), item
            assert row.get_attribute("data-flags") == " ".join(item["flags"])
            assert float(row.find_element(By.CSS_SELECTOR, "td[data-stat='p']").get_attribute("data-value")) == item["p"]
            assert abs(float(row.find_element(By.CSS_SELECTOR, "td[data-stat='p']").text) - item["p"]) <= 0.005 + 1e-9
            flagged_total += bool(item["flags"])
        present = {flag for item in paper["items"] for flag in item["flags"]}
        explained = {li.get_attribute("data-flag") for li in block.find_elements(By.CSS_SELECTOR, ".flag-legend li")}
        assert explained == present
    assert flagged_total, "the fixture's answer patterns should flag some items"
    labels = {tag.text for tag in driver.find_elements(By.CSS_SELECTOR, "#stats-body .item-stat-row .flag-tag")}
    assert labels & {"难度过低", "难度过高", "区分度为负"}
    legend = text_of(driver, "#stats-body .flag-legend")
    assert "区分度为负" in legend or "难度过" in legend
    assert driver.find_element(By.ID, "stats-items-export-csv") and driver.find_element(By.ID, "stats-marking-export-xlsx")
    click(driver, driver.find_element(By.ID, "stats-items-export-csv"))
    wait(driver).until(lambda b: b.find_element(By.ID, "stats-items-export").get_attribute("data-done"))
    shot(driver, "supervisor-statistics-theory")

    # The practical sitting: marking reliability per task and each examiner's severity.
    click(driver, driver.find_element(By.ID, "stats-part-ability"))
    wait(driver).until(lambda b: b.find_element(By.ID, "stats-body").get_attribute("data-part") == "ability"
                       and b.find_element(By.ID, "stats-body").get_attribute("data-state") == "ok")
    practical = api(batch, "GET", f"/api/v1/sittings/{batch['ability']}/statistics", batch["supervisor"]["token"])
    marking = practical["marking"]
    assert marking["doubleMarked"] > 0 and marking["tasks"] and marking["examiners"]
    assert [r.get_attribute("data-item") for r in driver.find_elements(By.CSS_SELECTOR, "#tasks-table tbody tr")] == [t["item"] for t in marking["tasks"]]
    icc = driver.find_element(By.CSS_SELECTOR, "#tasks-table td[data-stat='icc']")
    if marking["tasks"][0]["icc"] is not None:
        assert abs(float(icc.text) - marking["tasks"][0]["icc"]) <= 0.0005 + 1e-9
    examiners = {r.get_attribute("data-examiner"): r for r in driver.find_elements(By.CSS_SELECTOR, "#examiners-table tbody tr")}
    assert set(examiners) == {e["examiner"] for e in marking["examiners"]}
    for entry in marking["examiners"]:
        assert entry["name"] in examiners[entry["examiner"]].text
    assert driver.find_element(By.ID, "stats-marking-export-csv")
    shot(driver, "supervisor-statistics-ability")

    # The same page in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: text_of(b, "#tab-statistics") == "Statistics")
    assert text_of(driver, "#page-title") == "Results"
    assert "Marking quality" in text_of(driver, "#marking-stats-title")
    click(driver, driver.find_element(By.ID, "stats-part-theory"))
    wait(driver).until(lambda b: b.find_element(By.ID, "stats-body").get_attribute("data-part") == "theory")
    english = {tag.text for tag in driver.find_elements(By.CSS_SELECTOR, "#stats-body .item-stat-row .flag-tag")}
    assert english and english <= {"Too hard", "Too easy", "Negative discrimination"}
    shot(driver, "supervisor-statistics-en")
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: text_of(b, "#tab-statistics") == "统计分析")
    assert_no_script_errors(driver)


def test_an_examiner_finds_the_marking_desk_and_not_the_results(driver, batch):  # noqa: F811
    url = batch["url"]
    examiner = batch["examiners"][1]
    browser_login(driver, url, examiner)
    entry = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="markingDesk"]')))
    assert "评阅工作台" in entry.text and entry.get_attribute("href").endswith("/marking.html")
    assert not driver.find_elements(By.CSS_SELECTOR, '#workbench a.work-card[data-work="resultsManage"]')
    driver.get(f"{url}/results.html")
    denied = wait(driver).until(EC.visibility_of_element_located((By.ID, "access-denied")))
    assert "无权访问成绩管理" in denied.text
    assert not driver.find_element(By.ID, "content").is_displayed()
    assert_no_script_errors(driver)
