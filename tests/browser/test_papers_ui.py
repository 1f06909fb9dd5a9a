"""Browser tests of the paper-assembly page (组卷): preview with the conformance report, an infeasible
request and its findings, save, discard, seal (bank sealed, then unsealed), and read-only roles.

Same set-up as test_bank_ui.py (headless Chromium through chromedriver), but against a server of
its own on a copy of the session's demo data: saving assemblies changes item exposure and these
tests unseal the bank, which the shared server must not see.

The feasible path uses the practical part (one task per form); theory feasibility depends on the
size of the demo bank and is covered by tests/cli/test_paper.py.

Set ASSAY_SCREENSHOTS to a folder to keep screenshots of a preview, an infeasible preview and a
saved assembly.
"""

import shutil

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import Server, api_status_call, login_token, read_demo_shares
from test_login import account_for, driver, login, path_of, save_screenshot, wait  # noqa: F401 (driver is a fixture)

AI = "2-02-10-09"
PLATFORM = "人工智能平台产品实现"
VISION = "计算机视觉产品实现"
PRACTICAL = {"exam": AI, "level": "中级", "direction": PLATFORM, "part": "practical", "forms": 2}


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def papers_server(demo, tmp_path_factory):
    """A server on a copy of the demo data, for this module only."""
    data = tmp_path_factory.mktemp("papers") / "data"
    shutil.copytree(demo["data"], data)
    server = Server(data)
    yield server, data
    code = server.stop()
    assert code == 0, f"server did not shut down cleanly ({code}):\n{server.output()}"


@pytest.fixture
def server_url(papers_server):
    """This module's server (not the session's shared one)."""
    return papers_server[0].url


@pytest.fixture(scope="module")
def demo_shares(papers_server):
    return read_demo_shares(papers_server[1])






def save_through_api(server_url, demo_accounts, seed):
    """Saves a practical assembly as the exam administrator; returns its id."""
    token = login_token(server_url, account_for(demo_accounts, "exam_admin"))
    status, body = api_status_call(server_url, "/api/v1/papers", token, {"request": {**PRACTICAL, "seed": seed}, "replacing": None})
    assert status == 201, body
    assert body["assembly"]["status"] == "assembled"
    return body["assembly"]["id"]


def set_bank(server_url, demo_accounts, shares=None):
    """Seals the bank, or unseals it with `shares`, as the custodian."""
    token = login_token(server_url, account_for(demo_accounts, "bank_custodian"))
    try:
        if shares is None:
            status, body = api_status_call(server_url, "/api/v1/bank/seal", token, body={})
            assert status == 200 and body["bank"]["sealed"] is True, body
        else:
            status, body = api_status_call(server_url, "/api/v1/bank/unseal", token, body={"shares": shares})
            assert status == 200 and body["bank"]["sealed"] is False, body
    finally:
        api_status_call(server_url, "/api/v1/auth/logout", token, body={})


def click(browser: WebDriver, element) -> None:
    """Clicks `element` once it is in the middle of the window (clear of the sticky top bar)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def open_papers_from_home(browser: WebDriver) -> None:
    card = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#workbench a.work-card[data-work="papers"]')))
    assert "组卷" in card.text
    card.click()
    wait(browser).until(lambda b: path_of(b) == "/papers.html")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))


def fill_request(browser: WebDriver, level, direction, part, forms, seed) -> None:
    Select(browser.find_element(By.ID, "compose-occupation")).select_by_value(AI)
    Select(browser.find_element(By.ID, "compose-level")).select_by_value(level)
    Select(browser.find_element(By.ID, "compose-direction")).select_by_value(direction)
    Select(browser.find_element(By.ID, "compose-part")).select_by_value(part)
    for field, value in (("compose-forms", forms), ("compose-seed", seed)):
        element = browser.find_element(By.ID, field)
        element.clear()
        element.send_keys(str(value))


def preview(browser: WebDriver, *request):
    """Fills the request, submits it with Enter from the seed field, and waits for the result."""
    fill_request(browser, *request)
    browser.find_element(By.ID, "compose-seed").send_keys(Keys.ENTER)
    wait(browser, 60).until(lambda b: b.find_element(By.ID, "preview-result").get_attribute("data-state") in ("ok", "error"))
    return browser.find_element(By.ID, "preview-result")


def active_id(browser: WebDriver) -> str:
    return browser.execute_script("return document.activeElement && document.activeElement.id")


def assembly_rows(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#assemblies-table tbody tr")


def row_of(browser: WebDriver, assembly_id):
    wait(browser).until(lambda b: any(row.get_attribute("data-id") == assembly_id for row in assembly_rows(b)))
    return next(row for row in assembly_rows(browser) if row.get_attribute("data-id") == assembly_id)


def open_assembly(browser: WebDriver, assembly_id) -> None:
    """Opens an assembly from its row, by keyboard, and waits for its report."""
    row = row_of(browser, assembly_id)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    browser.execute_script("arguments[0].focus()", row)
    row.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "assembly")))
    wait(browser).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("data-state") == "ok")
    assert browser.find_element(By.ID, "assembly-title").text.strip() == assembly_id


def close_assembly(browser: WebDriver) -> None:
    browser.find_element(By.ID, "assembly-close").click()
    wait(browser).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("open") is None)


def detail_status(browser: WebDriver) -> str:
    return browser.find_element(By.ID, "assembly-status").get_attribute("data-status")


def form_rows(browser: WebDriver, prefix, form):
    return browser.find_elements(By.CSS_SELECTOR, f"#{prefix}-form-{form} .rows-table tbody tr")


# ---------------------------------------------------------------- tests


def test_exam_admin_previews_practical_forms_and_reads_every_row(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    open_papers_from_home(driver)

    assert driver.find_element(By.ID, "compose-section").is_displayed()
    assert not driver.find_element(By.ID, "readonly-note").is_displayed()
    assert driver.find_element(By.ID, "compose-seed").get_attribute("value").isdigit(), "a seed is offered"
    assert not driver.find_element(By.ID, "save-button").is_enabled(), "nothing to save before a preview"

    result = preview(driver, "中级", PLATFORM, "practical", 2, 7)
    assert result.get_attribute("data-state") == "ok"
    assert active_id(driver) == "preview-result", "the focus moves to the result"
    verdict = driver.find_element(By.ID, "preview-verdict")
    assert verdict.get_attribute("data-feasible") == "true"
    assert "可行：2 套试卷均满足蓝图的全部硬约束" in verdict.text
    assert all(part in verdict.text for part in ("中级", PLATFORM, "专业能力", "种子 7"))
    assert not driver.find_elements(By.ID, "preview-proven")
    assert not driver.find_elements(By.ID, "preview-unmet")

    # Every row of both forms, with its kind in words, range, achieved value and mark.
    for form in (1, 2):
        section = driver.find_element(By.ID, f"preview-form-{form}")
        assert section.get_attribute("data-met") == "true"
        assert f"第 {form} 套" in section.text and "1 题" in section.text and "100 分" in section.text
        headers = [cell.text.strip() for cell in section.find_elements(By.CSS_SELECTOR, ".rows-table thead th")]
        assert headers == ["约束类别", "编号", "名称", "目标", "允许范围", "实际", "是否满足"]
        rows = form_rows(driver, "preview", form)
        kinds = {row.get_attribute("data-kind") for row in rows}
        assert {"weight", "total", "difficulty"} <= kinds
        assert all(row.get_attribute("data-met") == "true" for row in rows)
        assert all("✓" in row.text for row in rows)
        design = next(row for row in rows if row.get_attribute("data-kind") == "weight" and row.get_attribute("data-key") == "2")
        assert "职业功能 权重" in design.text and "设计开发" in design.text
        total = next(row for row in rows if row.get_attribute("data-kind") == "total")
        cells = [cell.text.strip() for cell in total.find_elements(By.CSS_SELECTOR, "th, td")]
        assert cells[0] == "总分" and cells[3] == "100 分" and cells[4] == "100–100 分" and cells[5] == "100 分"
        difficulty = next(row for row in rows if row.get_attribute("data-kind") == "difficulty")
        assert "平均难度" in difficulty.text

    across = driver.find_element(By.ID, "preview-across")
    for text in ("各套平均难度", "第 1 套", "第 2 套", "平均难度极差", "任意两套最多共用", "0 题", "至多 0 题",
                 "使用试题", "2 题", "最高曝光次数", "上限", "目标函数值", "组卷用时", "秒"):
        assert text in across.text, text

    # The items of a form are listed as metadata (ID @ version), folded away.
    driver.find_element(By.CSS_SELECTOR, "#preview-form-1 details.form-items summary").click()
    item = driver.find_element(By.CSS_SELECTOR, "#preview-form-1-items tbody th")
    assert "@ v" in item.text and item.text.startswith("AI-P-")

    assert driver.find_element(By.ID, "save-button").is_enabled()
    assert "可以保存" in driver.find_element(By.ID, "compose-hint").text
    save_screenshot(driver, "papers-preview")

    # A change after the preview makes it stale: save is withdrawn until the next preview.
    seed = driver.find_element(By.ID, "compose-seed")
    seed.send_keys("1")
    wait(driver).until(lambda b: not b.find_element(By.ID, "save-button").is_enabled())
    assert driver.find_element(By.ID, "preview-stale").is_displayed()
    assert "请重新预览" in driver.find_element(By.ID, "compose-hint").text

    # The same report in English.
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "Feasible" in b.find_element(By.ID, "preview-verdict").text)
    assert "Function weight" in driver.find_element(By.ID, "preview-form-1").text
    driver.find_element(By.ID, "lang-toggle").click()
    wait(driver).until(lambda b: "可行" in b.find_element(By.ID, "preview-verdict").text)


def test_infeasible_request_shows_the_findings_as_the_server_wrote_them(driver, server_url, demo_accounts):
    admin = account_for(demo_accounts, "exam_admin")
    login(driver, server_url, admin)
    driver.get(f"{server_url}/papers.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))

    # A number of forms out of range is caught in the page, next to the field.
    fill_request(driver, "初级", VISION, "theory", 0, 3)
    driver.find_element(By.ID, "preview-button").click()
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "compose-forms-error")))
    assert "1 到 100" in error.text
    assert driver.find_element(By.ID, "compose-forms").get_attribute("aria-invalid") == "true"
    assert active_id(driver) == "compose-forms"

    preview(driver, "初级", VISION, "theory", 6, 3)
    verdict = driver.find_element(By.ID, "preview-verdict")
    assert verdict.get_attribute("data-feasible") == "false"
    assert "不可行：题库不足以支持 6 套试卷" in verdict.text
    proven = driver.find_element(By.ID, "preview-proven")
    assert "题库不足" in proven.text
    shown = [item.text.strip() for item in proven.find_elements(By.CSS_SELECTOR, "li.finding")]

    token = login_token(server_url, admin)
    status, body = api_status_call(server_url, "/api/v1/papers/preview", token,
                            {"exam": AI, "level": "初级", "direction": VISION, "part": "theory", "forms": 6, "seed": 3})
    assert status == 200 and body["report"]["proven"], body
    assert shown == body["report"]["proven"], "each finding exactly as the server wrote it"
    assert any("for 6 disjoint forms" in finding for finding in shown)
    assert any("the bank has" in finding or "give at most" in finding for finding in shown)
    assert not driver.find_elements(By.CSS_SELECTOR, "#preview-result .report-form")

    assert not driver.find_element(By.ID, "save-button").is_enabled()
    assert "不能保存" in driver.find_element(By.ID, "compose-hint").text
    save_screenshot(driver, "papers-infeasible")


def test_exam_admin_saves_the_preview_then_discards_it(driver, server_url, demo_accounts):
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    open_papers_from_home(driver)
    preview(driver, "中级", PLATFORM, "practical", 2, 11)
    assert driver.find_element(By.ID, "preview-verdict").get_attribute("data-feasible") == "true"

    click(driver, driver.find_element(By.ID, "save-button"))
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("open") is not None)
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("data-state") == "ok")
    assembly_id = driver.find_element(By.ID, "assembly-title").text.strip()
    assert assembly_id.startswith("ASM-")
    assert detail_status(driver) == "assembled"
    assert "已组卷" in driver.find_element(By.ID, "assembly-status").text
    message = driver.find_element(By.ID, "assembly-message")
    assert message.get_attribute("data-code") == "saved" and assembly_id in message.text
    assert active_id(driver) == "assembly-message"

    # Its papers: one card per form with the pinned items and points, never content.
    cards = driver.find_elements(By.CSS_SELECTOR, "#assembly-papers .paper-card")
    assert [card.get_attribute("data-form") for card in cards] == ["1", "2"]
    for card in cards:
        assert card.get_attribute("data-paper").startswith(assembly_id + "-F")
        items = card.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(items) == 1
        assert "@ v" in items[0].text and "100" in items[0].text
        assert "未封装" in card.text
    # …and the report as it was stored.
    assert driver.find_element(By.ID, "assembly-verdict").get_attribute("data-feasible") == "true"
    assert form_rows(driver, "assembly", 1) and form_rows(driver, "assembly", 2)
    # Actions for the exam administrator on an assembled one: seal, replace, discard.
    for button in ("assembly-seal", "assembly-replace", "assembly-discard"):
        assert driver.find_element(By.ID, button).is_displayed(), button
    save_screenshot(driver, "papers-saved")

    # Listed first, as 已组卷; closing the sheet returns the focus to its row.
    close_assembly(driver)
    rows = assembly_rows(driver)
    assert rows[0].get_attribute("data-id") == assembly_id
    assert rows[0].get_attribute("data-status") == "assembled" and "已组卷" in rows[0].text
    assert all(part in rows[0].text for part in ("中级", PLATFORM, "专业能力"))
    assert active_id(driver) == "" and driver.execute_script("return document.activeElement.dataset.id") == assembly_id
    assert not driver.find_element(By.ID, "save-button").is_enabled(), "a saved preview is not saved twice"
    assert assembly_id in driver.find_element(By.ID, "compose-hint").text

    # Discard, with a confirm step that Escape cancels.
    open_assembly(driver, assembly_id)
    click(driver, driver.find_element(By.ID, "assembly-discard"))
    confirm = wait(driver).until(EC.visibility_of_element_located((By.ID, "assembly-discard-confirm")))
    assert assembly_id in driver.find_element(By.ID, "assembly-discard-text").text
    assert active_id(driver) == "assembly-discard-confirm"
    confirm.send_keys(Keys.ESCAPE)
    wait(driver).until(lambda b: not b.find_elements(By.ID, "assembly-discard-confirm"))
    assert driver.find_element(By.ID, "assembly").get_attribute("open") is not None, "Escape left the sheet open"
    assert detail_status(driver) == "assembled"

    click(driver, driver.find_element(By.ID, "assembly-discard"))
    click(driver, wait(driver).until(EC.element_to_be_clickable((By.ID, "assembly-discard-confirm"))))
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly-message").get_attribute("data-code") == "discarded")
    assert "已作废" in driver.find_element(By.ID, "assembly-message").text
    assert detail_status(driver) == "discarded"
    assert "已作废" in driver.find_element(By.ID, "assembly-status").text
    assert not driver.find_elements(By.ID, "assembly-seal") and not driver.find_elements(By.ID, "assembly-discard")
    close_assembly(driver)
    row = row_of(driver, assembly_id)
    assert row.get_attribute("data-status") == "discarded" and "已作废" in row.text


def test_exam_admin_replaces_an_assembly_with_a_new_one(driver, server_url, demo_accounts):
    old_id = save_through_api(server_url, demo_accounts, seed=41)
    login(driver, server_url, account_for(demo_accounts, "exam_admin"))
    driver.get(f"{server_url}/papers.html")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
    open_assembly(driver, old_id)

    # 重新组卷替换 fills the request from the assembly with a new seed and says what will be replaced.
    click(driver, driver.find_element(By.ID, "assembly-replace"))
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("open") is None)
    wait(driver).until(lambda b: active_id(b) == "preview-button")
    notice = driver.find_element(By.ID, "replacing-notice")
    assert notice.is_displayed() and old_id in notice.text
    selected = {name: Select(driver.find_element(By.ID, f"compose-{name}")).first_selected_option.get_attribute("value")
                for name in ("occupation", "level", "direction", "part")}
    assert selected == {"occupation": AI, "level": "中级", "direction": PLATFORM, "part": "practical"}
    assert driver.find_element(By.ID, "compose-forms").get_attribute("value") == "2"
    assert driver.find_element(By.ID, "compose-seed").get_attribute("value") != "41"

    driver.find_element(By.ID, "preview-button").send_keys(Keys.ENTER)
    wait(driver, 60).until(lambda b: b.find_element(By.ID, "preview-result").get_attribute("data-state") == "ok")
    save = wait(driver).until(EC.element_to_be_clickable((By.ID, "save-button")))
    assert save.text.strip() == "保存并替换"
    click(driver, save)
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("open") is not None)
    wait(driver).until(lambda b: b.find_element(By.ID, "assembly").get_attribute("data-state") == "ok")
    new_id = driver.find_element(By.ID, "assembly-title").text.strip()
    assert new_id != old_id and detail_status(driver) == "assembled"
    message = driver.find_element(By.ID, "assembly-message").text
    assert new_id in message and old_id in message and "已作废" in message
    close_assembly(driver)
    assert not driver.find_element(By.ID, "replacing-notice").is_displayed()
    wait(driver).until(lambda b: row_of(b, old_id).get_attribute("data-status") == "discarded")
    assert assembly_rows(driver)[0].get_attribute("data-id") == new_id


def test_supervisor_reads_assemblies_but_cannot_change_them(driver, server_url, demo_accounts):
    accounts = demo_accounts
    assembly_id = save_through_api(server_url, accounts, seed=21)
    login(driver, server_url, account_for(accounts, "supervisor"))
    open_papers_from_home(driver)

    assert not driver.find_element(By.ID, "compose-section").is_displayed()
    assert not driver.find_element(By.ID, "save-button").is_displayed()
    note = driver.find_element(By.ID, "readonly-note")
    assert note.is_displayed() and "考务管理员" in note.text
    row = row_of(driver, assembly_id)
    assert "已组卷" in row.text

    open_assembly(driver, assembly_id)
    for button in ("assembly-seal", "assembly-discard", "assembly-replace"):
        assert not driver.find_elements(By.ID, button), button
    assert "不能更改" in driver.find_element(By.ID, "assembly-no-actions").text
    assert driver.find_element(By.ID, "assembly-verdict").get_attribute("data-feasible") == "true"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#assembly-papers .paper-card")) == 2
    close_assembly(driver)


def test_sealing_needs_the_bank_unsealed(driver, server_url, demo_accounts, demo_shares):
    accounts = demo_accounts
    set_bank(server_url, accounts)
    assembly_id = save_through_api(server_url, accounts, seed=31)
    try:
        login(driver, server_url, account_for(accounts, "exam_admin"))
        driver.get(f"{server_url}/papers.html")
        wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "body.is-ready")))
        open_assembly(driver, assembly_id)

        # Sealed bank: refused, with what to do about it.
        click(driver, driver.find_element(By.ID, "assembly-seal"))
        message = driver.find_element(By.ID, "assembly-message")
        wait(driver).until(lambda b: message.get_attribute("data-code") == "bank_sealed")
        assert "题库已封存" in message.text and "启封" in message.text
        assert message.find_element(By.CSS_SELECTOR, 'a[href="/bank.html"]')
        assert active_id(driver) == "assembly-message"
        assert detail_status(driver) == "assembled"

        # Unsealed by the custodians: sealing packages every paper.
        set_bank(server_url, accounts, demo_shares[:3])
        click(driver, driver.find_element(By.ID, "assembly-seal"))
        wait(driver).until(lambda b: b.find_element(By.ID, "assembly-message").get_attribute("data-code") == "sealed")
        assert "已封存" in driver.find_element(By.ID, "assembly-message").text
        assert detail_status(driver) == "sealed"
        assert "已封存" in driver.find_element(By.ID, "assembly-status").text
        assert not driver.find_elements(By.ID, "assembly-seal"), "a sealed assembly is not sealed again"
        assert driver.find_element(By.ID, "assembly-discard").is_displayed(), "a sealed assembly may still be discarded"
        cards = driver.find_elements(By.CSS_SELECTOR, "#assembly-papers .paper-card")
        assert cards and all("已封装" in card.text for card in cards)
        close_assembly(driver)
        row = row_of(driver, assembly_id)
        assert row.get_attribute("data-status") == "sealed" and "已封存" in row.text
    finally:
        set_bank(server_url, accounts)
