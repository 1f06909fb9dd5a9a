"""Browser tests of the item-bank page: status, unsealing with custodian shares, item list, preview, seal.

Same set-up as test_login.py: headless Debian Chromium through chromedriver against the session's
demo server (`server_url`, `demo_accounts`). The demo custodian shares are read from the demo data
directory (`demo` fixture). The server is shared with other tests, so the bank is sealed before and
after the unsealing test, whatever happens in between.

The review workflow test writes two drafts with unique ids as the demo item author (through the
API), then submits, sends back, resubmits and approves one of them in the page as the author and
the custodian; the other one checks that an author cannot review their own item.

Set ASSAY_SCREENSHOTS to a folder to keep screenshots of the bank page and an item preview.
"""

import hashlib
import uuid

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import api_status_call, login_token, read_demo_shares
from test_login import account_for, driver, login, path_of, save_screenshot, wait  # noqa: F401 (driver is a fixture)

ITEM_COLUMNS_ZH = ["试题编号", "题型", "鉴定点", "等级", "方向", "难度", "分值", "状态", "版本"]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def demo_shares(demo):
    return read_demo_shares(demo["data"])




def seal_bank(server_url, custodian):
    """Seals the shared server's bank (and drops any collected shares) as the custodian."""
    token = login_token(server_url, custodian)
    try:
        status, body = api_status_call(server_url, "/api/v1/bank/seal", token, body={})
        assert status == 200 and body["bank"]["sealed"] is True, body
    finally:
        api_status_call(server_url, "/api/v1/auth/logout", token, body={})


@pytest.fixture
def sealed_bank(server_url, demo_accounts):
    """The bank starts sealed with no share collected, and is sealed again at the end."""
    custodian = account_for(demo_accounts, "bank_custodian")
    seal_bank(server_url, custodian)
    yield
    seal_bank(server_url, custodian)


def open_bank(browser: WebDriver, server_url: str) -> None:
    browser.get(f"{server_url}/bank.html")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    wait(browser).until(EC.presence_of_element_located((By.ID, "bank-state")))


def bank_state(browser: WebDriver):
    return browser.find_element(By.ID, "bank-state")


def bank_sealed(browser: WebDriver):
    """`data-sealed` of the bank banner, or None while the banner is being replaced."""
    try:
        return bank_state(browser).get_attribute("data-sealed")
    except StaleElementReferenceException:
        return None


def shares_text(browser: WebDriver) -> str:
    return browser.find_element(By.ID, "bank-shares").text.strip()


def submit_shares(browser: WebDriver, shares) -> None:
    field = browser.find_element(By.ID, "unseal-shares")
    field.clear()
    field.send_keys("\n".join(shares))
    click(browser, browser.find_element(By.ID, "unseal-submit"))


def click(browser: WebDriver, element) -> None:
    """Clicks `element` once it is in the middle of the window (clear of the sticky top bar)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def item_rows(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#items-table tbody tr")


def wait_for_items(browser: WebDriver):
    wait(browser).until(lambda b: len(item_rows(b)) > 0)
    return item_rows(browser)


def open_preview_of(browser: WebDriver, item_type: str):
    """Opens the preview of the first listed item of `item_type`, by keyboard; returns its id."""
    row = browser.find_element(By.CSS_SELECTOR, f'#items-table tbody tr[data-type="{item_type}"]')
    item_id = row.get_attribute("data-id")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    browser.execute_script("arguments[0].focus()", row)
    row.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "preview")))
    wait(browser).until(lambda b: b.find_element(By.ID, "preview").get_attribute("data-state") in ("ok", "error"))
    assert browser.find_element(By.ID, "preview-title").text.strip() == item_id
    return item_id


def close_preview(browser: WebDriver) -> None:
    browser.find_element(By.ID, "preview-close").click()
    wait(browser).until(lambda b: b.find_element(By.ID, "preview").get_attribute("open") is None)


# ---------------------------------------------------------------- tests


def test_custodian_unseals_with_three_shares_previews_an_item_and_seals(driver, server_url, demo_accounts, demo_shares, sealed_bank):
    login(driver, server_url, account_for(demo_accounts, "bank_custodian"))

    # The workbench card leads to the bank page.
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="bankUnseal"]')))
    assert "题库启封" in card.text
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/bank.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))

    state = bank_state(driver)
    assert state.get_attribute("data-sealed") == "true"
    assert "题库已封存" in state.text
    assert shares_text(driver) == "已提交 0/3"
    assert driver.find_element(By.ID, "bank-threshold").text.strip() == "3/5"
    assert driver.find_element(By.ID, "bank-items").text.strip().replace(",", "").isdigit()
    assert driver.find_element(By.ID, "bank-id").text.strip()
    assert not driver.find_element(By.ID, "seal-area").is_displayed()
    headers = [cell.text.strip() for cell in driver.find_elements(By.CSS_SELECTOR, "#items-table thead th")]
    assert headers == ITEM_COLUMNS_ZH
    save_screenshot(driver, "bank-sealed")

    # While sealed, a preview says so instead of showing content.
    open_preview_of(driver, "single_choice")
    error = driver.find_element(By.ID, "preview-error")
    assert error.get_attribute("data-code") == "bank_sealed"
    assert "题库已封存，请题库管理员启封后查看" in error.text
    assert "每次查看均记入审计日志" in driver.find_element(By.ID, "preview-audit").text
    assert not driver.find_elements(By.ID, "answer-block")
    close_preview(driver)

    # A mistyped share is refused by its check digits and changes nothing; the field is cleared.
    mistyped = demo_shares[0][:-1] + ("0" if demo_shares[0][-1] != "0" else "1")
    submit_shares(driver, [mistyped])
    message = driver.find_element(By.ID, "custody-message")
    wait(driver).until(lambda b: message.get_attribute("data-code") == "bad_share")
    assert "密钥份额无效或输错" in message.text
    assert driver.find_element(By.ID, "unseal-shares").get_attribute("value") == ""

    # Two shares at once: 2/3, still sealed.
    submit_shares(driver, demo_shares[:2])
    wait(driver).until(lambda b: shares_text(b) == "已提交 2/3")
    assert bank_state(driver).get_attribute("data-sealed") == "true"
    assert driver.find_element(By.ID, "unseal-shares").get_attribute("value") == ""
    assert "还需 1 份" in driver.find_element(By.ID, "custody-message").text

    # The third share unseals.
    submit_shares(driver, demo_shares[2:3])
    wait(driver).until(lambda b: bank_sealed(b) == "false")
    assert "题库已启封" in bank_state(driver).text
    assert not driver.find_element(By.ID, "unseal-form").is_displayed()
    assert driver.find_element(By.ID, "seal-button").is_displayed()
    # Nothing of a share is kept in the page or in storage.
    stored = driver.execute_script("return Object.keys(localStorage).concat(Object.keys(sessionStorage))")
    assert set(stored) <= {"assay.lang"}, stored

    # A single-choice item as the candidate sees it, then its answer block.
    open_preview_of(driver, "single_choice")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "answer-block")))
    assert driver.find_element(By.ID, "preview-stem").text.strip()
    options = driver.find_elements(By.CSS_SELECTOR, ".paper .q-option")
    assert [option.get_attribute("data-letter") for option in options][:2] == ["A", "B"]
    answer = driver.find_element(By.ID, "answer-block")
    assert "参考答案与解析" in answer.text
    key = driver.find_element(By.CSS_SELECTOR, "#answer-key .key-letter").text.strip()
    assert key in [option.get_attribute("data-letter") for option in options]
    assert "每次查看均记入审计日志" in driver.find_element(By.ID, "preview-audit").text
    save_screenshot(driver, "bank-preview-single")
    close_preview(driver)

    # A practical task: its sections and the scoring table with 配分 and 评分细则.
    open_preview_of(driver, "practical_task")
    wait(driver).until(EC.presence_of_element_located((By.ID, "scoring-table")))
    paper = driver.find_element(By.CSS_SELECTOR, ".paper").text
    for heading in ("考核准备通知单", "任务", "考核时间"):
        assert heading in paper
    scoring = driver.find_element(By.ID, "scoring-table")
    scoring_headers = [cell.text.strip() for cell in scoring.find_elements(By.CSS_SELECTOR, "thead th")]
    assert "配分" in scoring_headers and "评分细则" in scoring_headers
    close_preview(driver)

    # Filters: by type in the page, by occupation on the server.
    Select(driver.find_element(By.ID, "filter-type")).select_by_value("fill_in")
    wait(driver).until(lambda b: all(row.get_attribute("data-type") == "fill_in" for row in item_rows(b)))
    assert item_rows(driver)

    # The same page in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "Bank unsealed" in bank_state(b).text)
    assert driver.find_element(By.CSS_SELECTOR, "#items-table thead th").text.strip() == "Item ID"
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "题库已启封" in bank_state(b).text)

    # Seal, with a confirm step.
    click(driver, driver.find_element(By.ID, "seal-button"))
    confirm = wait(driver).until(EC.visibility_of_element_located((By.ID, "seal-confirm-button")))
    assert bank_state(driver).get_attribute("data-sealed") == "false"
    click(driver, confirm)
    wait(driver).until(lambda b: bank_sealed(b) == "true")
    assert shares_text(driver) == "已提交 0/3"
    assert driver.find_element(By.ID, "unseal-form").is_displayed()


def forged_share(share: str) -> str:
    """The same share with one byte of its secret changed and its check digits recomputed: well formed,
    of this bank, but wrong (the check is the first 4 hex digits of SHA-256 over the rest)."""
    fields = share.split(":")
    secret = fields[4]
    fields[4] = ("0" if secret[0] != "0" else "1") + secret[1:]
    body = ":".join(fields[:5])
    return f"{body}:{hashlib.sha256(body.encode()).hexdigest()[:4]}"


def test_wrong_and_duplicate_shares_are_refused(driver, server_url, demo_accounts, demo_shares, sealed_bank):
    login(driver, server_url, account_for(demo_accounts, "bank_custodian"))
    open_bank(driver, server_url)
    message = driver.find_element(By.ID, "custody-message")

    # A share given twice is refused and the first one is kept.
    submit_shares(driver, demo_shares[:1])
    wait(driver).until(lambda b: shares_text(b) == "已提交 1/3")
    submit_shares(driver, demo_shares[:1])
    wait(driver).until(lambda b: message.get_attribute("data-code") == "bad_share")
    assert "密钥份额无效或输错" in message.text
    wait(driver).until(lambda b: shares_text(b) == "已提交 1/3")

    # A well-formed but wrong share completes the threshold and fails: every share is forgotten.
    submit_shares(driver, [demo_shares[1], forged_share(demo_shares[2])])
    wait(driver).until(lambda b: message.get_attribute("data-code") == "wrong_shares")
    assert "份额不匹配，已清空已提交份额" in message.text
    wait(driver).until(lambda b: shares_text(b) == "已提交 0/3")
    assert bank_state(driver).get_attribute("data-sealed") == "true"
    assert driver.find_element(By.ID, "unseal-shares").get_attribute("value") == ""


def test_item_author_browses_items(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "item_author"))
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="myItems"]')))
    assert "我的试题" in card.text
    assert driver.find_elements(By.CSS_SELECTOR, '#workbench a.work-card[data-work="itemWriting"]')
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/bank.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))

    rows = wait_for_items(driver)
    count = driver.find_element(By.ID, "items-count").text
    assert f"共 {len(rows)} 道试题" == count.strip().replace(",", "")
    assert not driver.find_elements(By.ID, "unseal-form") or not driver.find_element(By.ID, "unseal-form").is_displayed()
    assert not driver.find_element(By.ID, "seal-area").is_displayed()
    # Items without directions read "全部方向".
    assert any("全部方向" in row.text for row in rows)
    # Authors may ask for a preview; whatever the server decides is shown next to the audit note.
    assert rows[0].get_attribute("tabindex") == "0"
    open_preview_of(driver, rows[0].get_attribute("data-type"))
    assert "每次查看均记入审计日志" in driver.find_element(By.ID, "preview-audit").text
    state = driver.find_element(By.ID, "preview").get_attribute("data-state")
    if state == "error":
        error = driver.find_element(By.ID, "preview-error")
        assert error.get_attribute("data-code") in ("forbidden", "bank_sealed")
        if error.get_attribute("data-code") == "forbidden":
            assert driver.find_element(By.ID, "preview-reason").text.strip()
    close_preview(driver)


def test_supervisor_sees_metadata_only(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "supervisor"))
    card = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="bank"]')))
    card.click()
    wait(driver).until(lambda b: path_of(b) == "/bank.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    rows = wait_for_items(driver)
    assert rows[0].get_attribute("tabindex") is None
    assert "is-clickable" not in rows[0].get_attribute("class")
    assert not driver.find_element(By.ID, "custody").is_displayed()
    assert "元数据" in driver.find_element(By.ID, "items-lead").text
    rows[0].click()
    assert driver.find_element(By.ID, "preview").get_attribute("open") is None


def test_examiner_has_no_bank_card_and_no_access(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "examiner"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#workbench .work-card")))
    assert not driver.find_elements(By.CSS_SELECTOR, '#workbench a[href="/bank.html"]')
    assert "题库" not in driver.find_element(By.ID, "workbench").text

    driver.get(f"{server_url}/bank.html")
    denied = wait(driver).until(EC.visibility_of_element_located((By.ID, "access-denied")))
    assert "无权访问题库" in denied.text
    assert not driver.find_element(By.ID, "content").is_displayed()
    assert not driver.find_elements(By.ID, "items-table")
    assert not driver.find_elements(By.ID, "bank-state")


def test_bank_page_needs_a_session(driver, server_url):
    driver.get(f"{server_url}/bank.html")
    wait(driver).until(lambda b: path_of(b) == "/index.html")


# ---------------------------------------------------------------- the review workflow

OCCUPATION_BIG_DATA = "2-02-10-09"


@pytest.fixture
def unsealed_bank(server_url, demo_accounts, demo_shares, sealed_bank):
    """The bank unsealed through the API with three demo shares (sealed again by `sealed_bank`)."""
    token = login_token(server_url, account_for(demo_accounts, "bank_custodian"))
    try:
        status, body = api_status_call(server_url, "/api/v1/bank/unseal", token, body={"shares": demo_shares[:3]})
        assert status == 200 and body["bank"]["sealed"] is False, body
    finally:
        api_status_call(server_url, "/api/v1/auth/logout", token, body={})


@pytest.fixture
def two_drafts(server_url, demo_accounts):
    """Two new true/false drafts written by the demo item author, with unique ids."""
    suffix = uuid.uuid4().hex[:8].upper()
    ids = [f"W-{suffix}-1", f"W-{suffix}-2"]
    document = {
        "schema": 1,
        "occupation": OCCUPATION_BIG_DATA,
        "items": [
            {
                "id": item_id, "type": "true_false", "levels": ["初级"], "directions": "all", "point": "1.1.1",
                "difficulty": 0.8, "points": 1, "stem": f"评审流程测试题 {item_id}：数据应当先清洗再分析。", "answer": True,
            }
            for item_id in ids
        ],
    }
    token = login_token(server_url, account_for(demo_accounts, "item_author"))
    try:
        status, body = api_status_call(server_url, "/api/v1/items", token, body=document)
        assert status == 201 and body["created"] == ids, body
    finally:
        api_status_call(server_url, "/api/v1/auth/logout", token, body={})
    return ids


def switch_user(browser: WebDriver, server_url: str, account) -> None:
    """Drops the browser session and signs in as `account`, then opens the bank page."""
    browser.delete_all_cookies()
    login(browser, server_url, account)
    open_bank(browser, server_url)
    wait_for_items(browser)


def open_preview_by_id(browser: WebDriver, item_id: str) -> None:
    """Opens the preview of item `item_id` by keyboard and waits for its content and review block."""
    row = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#items-table tbody tr[data-id="{item_id}"]')))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    browser.execute_script("arguments[0].focus()", row)
    row.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "preview")))
    wait(browser).until(lambda b: b.find_element(By.ID, "preview").get_attribute("data-state") == "ok")
    assert browser.find_element(By.ID, "preview-title").text.strip() == item_id
    wait(browser).until(EC.visibility_of_element_located((By.ID, "preview-review")))
    wait(browser).until(lambda b: b.find_element(By.ID, "review-history").get_attribute("aria-busy") == "false")


def review_status(browser: WebDriver) -> str:
    return browser.find_element(By.ID, "review-status").get_attribute("data-status")


def row_status(browser: WebDriver, item_id: str) -> str:
    row = browser.find_element(By.CSS_SELECTOR, f'#items-table tbody tr[data-id="{item_id}"]')
    return row.find_element(By.CSS_SELECTOR, ".item-status").text.strip()


def review_message(browser: WebDriver):
    return browser.find_element(By.ID, "review-message")


def wait_for_message(browser: WebDriver, code: str):
    wait(browser).until(lambda b: review_message(b).get_attribute("data-code") == code)
    return review_message(browser)


def history_rows(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#review-history-table tbody tr")


def test_review_workflow_submit_reject_resubmit_approve(driver, server_url, demo_accounts, unsealed_bank, two_drafts):
    author = account_for(demo_accounts, "item_author")
    custodian = account_for(demo_accounts, "bank_custodian")
    first, second = two_drafts

    # The author submits draft 1: a 提交审核 button below the answer key.
    switch_user(driver, server_url, author)
    assert row_status(driver, first) == "草稿"
    open_preview_by_id(driver, first)
    review = driver.find_element(By.ID, "preview-review")
    assert "审核" in review.find_element(By.ID, "review-title").text
    assert review_status(driver) == "draft"
    assert driver.find_element(By.ID, "review-history-empty").text.strip() == "暂无审核记录。"
    assert not driver.find_elements(By.ID, "review-approve")
    click(driver, driver.find_element(By.ID, "review-submit"))
    message = wait_for_message(driver, "submitted")
    assert "已提交审核" in message.text
    assert review_status(driver) == "in_review"
    assert driver.find_element(By.CSS_SELECTOR, "#preview-meta .item-status").get_attribute("data-status") == "in_review"
    assert row_status(driver, first) == "审核中"
    # The result is announced and has the focus.
    assert message.get_attribute("aria-live") == "polite"
    assert driver.switch_to.active_element.get_attribute("id") == "review-message"
    close_preview(driver)

    # The author may not review their own item: the server's reason is shown.
    open_preview_by_id(driver, second)
    click(driver, driver.find_element(By.ID, "review-submit"))
    wait_for_message(driver, "submitted")
    click(driver, driver.find_element(By.ID, "review-approve"))
    refused = wait_for_message(driver, "forbidden")
    assert "操作被拒绝" in refused.text
    assert "someone other than its author" in driver.find_element(By.ID, "review-reason").text
    assert review_status(driver) == "in_review"
    close_preview(driver)

    # The custodian sends draft 1 back: first without a comment (refused in the page), then with one.
    switch_user(driver, server_url, custodian)
    assert row_status(driver, first) == "审核中"
    open_preview_by_id(driver, first)
    assert review_status(driver) == "in_review"
    assert not driver.find_elements(By.ID, "review-submit")
    click(driver, driver.find_element(By.ID, "review-reject"))
    required = wait_for_message(driver, "comment_required")
    assert "退回时必须填写审核意见" in required.text
    comment = driver.find_element(By.ID, "review-comment")
    assert comment.get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element.get_attribute("id") == "review-comment"
    assert review_status(driver) == "in_review"
    assert driver.find_element(By.ID, "review-history-empty").is_displayed()

    note = "题干表述不清 <b>请改</b> & 补充条件"
    comment.send_keys(note)
    assert comment.get_attribute("aria-invalid") is None
    click(driver, driver.find_element(By.ID, "review-reject"))
    done = wait_for_message(driver, "rejected")
    assert "已退回" in done.text
    assert review_status(driver) == "draft"
    assert driver.find_element(By.ID, "review-status").text.strip() == "草稿"
    assert row_status(driver, first) == "草稿"
    wait(driver).until(lambda b: len(history_rows(b)) == 1)
    entry = history_rows(driver)[0]
    assert entry.get_attribute("data-approved") == "false"
    assert "退回" in entry.text
    # The comment is shown as text, markup and all.
    assert entry.find_element(By.CSS_SELECTOR, ".review-comment-cell").text.strip() == note
    assert not driver.find_elements(By.CSS_SELECTOR, "#review-history-table b")
    assert entry.find_element(By.TAG_NAME, "time").get_attribute("datetime")
    headers = [cell.text.strip() for cell in driver.find_elements(By.CSS_SELECTOR, "#review-history-table thead th")]
    assert headers == ["版本", "结论", "审核意见", "审核人", "时间"]
    close_preview(driver)

    # The author sees the comment and submits again.
    switch_user(driver, server_url, author)
    assert row_status(driver, first) == "草稿"
    open_preview_by_id(driver, first)
    wait(driver).until(lambda b: len(history_rows(b)) == 1)
    assert note in history_rows(driver)[0].text
    click(driver, driver.find_element(By.ID, "review-submit"))
    wait_for_message(driver, "submitted")
    assert row_status(driver, first) == "审核中"
    close_preview(driver)

    # The custodian approves: 启用, two entries in the history (newest first).
    switch_user(driver, server_url, custodian)
    open_preview_by_id(driver, first)
    click(driver, driver.find_element(By.ID, "review-approve"))
    approved = wait_for_message(driver, "approved")
    assert "已通过审核" in approved.text
    assert review_status(driver) == "active"
    assert driver.find_element(By.ID, "review-status").text.strip() == "启用"
    assert row_status(driver, first) == "启用"
    wait(driver).until(lambda b: len(history_rows(b)) == 2)
    assert [row.get_attribute("data-approved") for row in history_rows(driver)] == ["true", "false"]
    assert "本人" in history_rows(driver)[0].text

    # An active item may be retired by the custodian, after a confirm step that Escape cancels.
    click(driver, driver.find_element(By.ID, "review-retire"))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "review-retire-confirm")))
    assert driver.switch_to.active_element.get_attribute("id") == "review-retire-confirm"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver).until(lambda b: not b.find_elements(By.ID, "review-retire-confirm"))
    assert driver.find_element(By.ID, "preview").get_attribute("open") is not None
    assert driver.switch_to.active_element.get_attribute("id") == "review-retire"
    assert review_status(driver) == "active"

    save_screenshot(driver, "bank-review")
    close_preview(driver)

    # The same block in English (the header is inert while the preview is open).
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: row_status(b, first) == "Active")
    open_preview_by_id(driver, first)
    assert driver.find_element(By.ID, "review-title").text.strip() == "Review"
    wait(driver).until(lambda b: len(history_rows(b)) == 2)
    assert "Approved" in history_rows(driver)[0].text
    assert "Sent back" in history_rows(driver)[1].text
    assert driver.find_element(By.ID, "review-status").text.strip() == "Active"
    assert driver.find_element(By.ID, "review-retire").text.strip() == "Retire"
    close_preview(driver)
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: row_status(b, first) == "启用")
