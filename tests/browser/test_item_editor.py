"""Browser tests of the item editor on the bank page (试题编辑: 新建试题 and 修订).

Same set-up as test_bank_ui.py: headless Debian Chromium through chromedriver against the session's
demo server, signed in as the demo item author. Items get unique ids, so the tests can share the
server with the others. Where the author must read content back (previews, revising), the bank is
unsealed through the API with the demo shares and sealed again afterwards (`unsealed_bank`).

A screenshot of the filled editor is written to /tmp/assay-item-editor.png (and, with
ASSAY_SCREENSHOTS set, to that folder too).
"""

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import api_status_call, login_token
from test_bank_ui import (  # noqa: F401 (demo_shares, sealed_bank and unsealed_bank are fixtures)
    click, demo_shares, open_bank, open_preview_by_id, sealed_bank, unsealed_bank, wait_for_items,
)
from test_login import account_for, driver, fetch_json, login, save_screenshot, wait  # noqa: F401 (driver is a fixture)

AI = "2-02-10-09"
EDITOR_SCREENSHOT = "/tmp/assay-item-editor.png"


# ---------------------------------------------------------------- helpers


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def active_id(browser: WebDriver) -> str:
    return browser.switch_to.active_element.get_attribute("id") or ""


def editor_open(browser: WebDriver) -> bool:
    return browser.find_element(By.ID, "editor").get_attribute("open") is not None


def open_new_editor(browser: WebDriver) -> None:
    click(browser, browser.find_element(By.ID, "item-new"))
    wait(browser).until(EC.visibility_of_element_located((By.ID, "editor-form")))
    wait(browser).until(lambda b: active_id(b) == "ed-id")


def field(browser: WebDriver, element_id: str):
    return browser.find_element(By.ID, element_id)


def type_into(browser: WebDriver, element_id: str, value: str) -> None:
    """Replaces a field's text the way a person does: select all, type."""
    element = field(browser, element_id)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(value)


def check_box(browser: WebDriver, element_id: str) -> None:
    element = field(browser, element_id)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def choose_level(browser: WebDriver, level: str) -> None:
    boxes = browser.find_elements(By.CSS_SELECTOR, '#editor-form input[name="levels"]')
    box = next(b for b in boxes if b.get_attribute("value") == level)
    check_box(browser, box.get_attribute("id"))


def fill_metadata(browser: WebDriver, item_id: str, item_type: str, level: str, point: str, difficulty: str, points: str = "1") -> None:
    type_into(browser, "ed-id", item_id)
    Select(field(browser, "ed-occupation")).select_by_value(AI)
    Select(field(browser, "ed-type")).select_by_value(item_type)
    choose_level(browser, level)
    type_into(browser, "ed-point", point)
    type_into(browser, "ed-difficulty", difficulty)
    type_into(browser, "ed-points", points)


def option_inputs(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#ed-options input.ed-control")


def answer_controls(browser: WebDriver):
    return browser.find_elements(By.CSS_SELECTOR, "#ed-options .ed-answer-control")


def fill_single_choice(browser: WebDriver, item_id: str, stem: str, options, answer_index=None) -> None:
    fill_metadata(browser, item_id, "single_choice", "初级", "2.2.1", "0.62")
    type_into(browser, "ed-stem", stem)
    inputs = option_inputs(browser)
    assert len(inputs) == 4, "a new choice item starts with options A–D"
    for element, value in zip(inputs, options):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.send_keys(value)
    if answer_index is not None:
        click(browser, answer_controls(browser)[answer_index])


def save(browser: WebDriver) -> None:
    click(browser, field(browser, "ed-save"))


def wait_for_editor_closed(browser: WebDriver) -> None:
    wait(browser).until(lambda b: not editor_open(b))


def row_of(browser: WebDriver, item_id: str):
    return browser.find_element(By.CSS_SELECTOR, f'#items-table tbody tr[data-id="{item_id}"]')


def list_rows(browser: WebDriver, item_id: str):
    return browser.find_elements(By.CSS_SELECTOR, f'#items-table tbody tr[data-id="{item_id}"]')


def unlabelled_controls(browser: WebDriver):
    """Ids of the editor's form controls that have neither a <label> nor an aria-label."""
    return browser.execute_script(
        """
        return Array.from(document.querySelectorAll('#editor-form input, #editor-form select, #editor-form textarea'))
          .filter((node) => !(node.labels && node.labels.length) && !node.getAttribute('aria-label'))
          .map((node) => node.id || node.outerHTML.slice(0, 80));
        """
    )


def editor_screenshot(browser: WebDriver, path: str) -> None:
    """The editor from its top, in a window tall enough to show most of the form."""
    size = browser.get_window_size()
    browser.set_window_size(size["width"], 2000)
    try:
        browser.execute_script("document.querySelector('#editor .editor-shell').scrollTop = 0")
        browser.save_screenshot(path)
    finally:
        browser.set_window_size(size["width"], size["height"])


def item_ids_on_server(server_url: str, account) -> set:
    token = login_token(server_url, account)
    try:
        status, body = api_status_call(server_url, "/api/v1/items?limit=5000", token)
        assert status == 200, body
        return {item["id"] for item in body["items"]}
    finally:
        api_status_call(server_url, "/api/v1/auth/logout", token, body={})


# ---------------------------------------------------------------- tests


def test_author_creates_items_previews_and_revises_one(driver, server_url, demo_accounts, unsealed_bank):
    author = account_for(demo_accounts, "item_author")
    single_id, fill_id = unique("ED-SC"), unique("ED-FI")
    login(driver, server_url, author)
    open_bank(driver, server_url)
    wait_for_items(driver)

    # 新建试题: an empty form, the focus on the item ID, every control labelled.
    new_button = field(driver, "item-new")
    assert new_button.is_displayed() and new_button.text.strip() == "新建试题"
    open_new_editor(driver)
    assert field(driver, "editor-title").text.strip() == "新建试题"
    assert field(driver, "editor").get_attribute("data-mode") == "create"
    assert unlabelled_controls(driver) == []
    # Authors write items of their own occupations only: those are offered.
    mine = fetch_json(driver, "/api/v1/me")["user"]["occupations"]
    offered = [option.get_attribute("value") for option in Select(field(driver, "ed-occupation")).options]
    assert offered and sorted(offered) == sorted(mine)

    # A single-choice item with answer B.
    fill_single_choice(driver, single_id, "以下哪项可以缓解过拟合？（　）", ["增加模型参数", "数据增强", "减少训练数据", "提高学习率"], answer_index=1)
    type_into(driver, "ed-explanation", "数据增强增加了样本的多样性，可以缓解过拟合。")
    assert "能使用深度学习框架训练模型" in field(driver, "ed-point-info").text
    assert "is-answer" in driver.find_elements(By.CSS_SELECTOR, "#ed-options .ed-option")[1].get_attribute("class")
    editor_screenshot(driver, EDITOR_SCREENSHOT)
    save_screenshot(driver, "item-editor")
    save(driver)
    wait_for_editor_closed(driver)

    # It is listed as a draft, selected, with the focus on its row.
    notice = field(driver, "items-notice")
    wait(driver).until(lambda b: notice.get_attribute("data-code") == "created")
    assert single_id in notice.text and "草稿" in notice.text
    wait(driver).until(lambda b: list_rows(b, single_id))
    row = row_of(driver, single_id)
    assert row.find_element(By.CSS_SELECTOR, ".item-status").text.strip() == "草稿"
    assert row.get_attribute("data-type") == "single_choice"
    assert "is-selected" in row.get_attribute("class")
    wait(driver).until(lambda b: b.switch_to.active_element.get_attribute("data-id") == single_id)

    # A fill-in item with two blanks, for one direction; the blanks are marked with the insert button.
    open_new_editor(driver)
    fill_metadata(driver, fill_id, "fill_in", "中级", "2.2.1", "0.55", points="2")
    check_box(driver, "ed-dir-only")
    direction = next(box for box in driver.find_elements(By.CSS_SELECTOR, '#editor-form input[name="directions"]') if box.get_attribute("value") == "计算机视觉产品实现")
    check_box(driver, direction.get_attribute("id"))
    type_into(driver, "ed-discrimination", "0.3")
    type_into(driver, "ed-enemy", "ED-activation")
    type_into(driver, "ed-stem", "隐藏层常用的激活函数是")
    click(driver, field(driver, "ed-insert-blank"))
    field(driver, "ed-stem").send_keys("，二分类输出层常用的激活函数是")
    click(driver, field(driver, "ed-insert-blank"))
    field(driver, "ed-stem").send_keys("。")
    assert field(driver, "ed-stem").get_attribute("value") == "隐藏层常用的激活函数是____(1)，二分类输出层常用的激活函数是____(2)。"
    blanks = driver.find_elements(By.CSS_SELECTOR, "#ed-blanks textarea")
    assert len(blanks) == 2
    blanks[0].send_keys("ReLU")
    blanks[0].send_keys(Keys.ENTER)
    blanks[0].send_keys("线性整流函数")
    blanks[1].send_keys("Sigmoid，S型函数")
    assert "2 个空位" in field(driver, "ed-blank-count").text
    save(driver)
    wait_for_editor_closed(driver)
    wait(driver).until(lambda b: field(b, "items-notice").get_attribute("data-code") == "created" and fill_id in field(b, "items-notice").text)
    wait(driver).until(lambda b: list_rows(b, fill_id))
    assert row_of(driver, fill_id).find_element(By.CSS_SELECTOR, ".item-status").text.strip() == "草稿"
    assert row_of(driver, single_id).find_element(By.CSS_SELECTOR, ".item-status").text.strip() == "草稿"

    # The single-choice item's content in the preview: options and the key B.
    open_preview_by_id(driver, single_id)
    assert field(driver, "preview-stem").text.strip() == "以下哪项可以缓解过拟合？（　）"
    options = driver.find_elements(By.CSS_SELECTOR, ".paper .q-option")
    assert [option.get_attribute("data-letter") for option in options] == ["A", "B", "C", "D"]
    assert "数据增强" in options[1].text
    assert driver.find_element(By.CSS_SELECTOR, "#answer-key .key-letter").text.strip() == "B"
    assert "样本的多样性" in field(driver, "answer-explanation").text
    assert field(driver, "preview-revise").is_displayed()
    click(driver, field(driver, "preview-close"))
    wait(driver).until(lambda b: b.find_element(By.ID, "preview").get_attribute("open") is None)

    # The fill-in item in the preview: two blank boxes, the accepted answers split per line and comma.
    open_preview_by_id(driver, fill_id)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#preview-stem .q-blank")) == 2
    chips = [[chip.text.strip() for chip in blank.find_elements(By.CSS_SELECTOR, ".key-chip")] for blank in driver.find_elements(By.CSS_SELECTOR, "#answer-key .blank-key")]
    assert chips == [["ReLU", "线性整流函数"], ["Sigmoid", "S型函数"]]
    meta = field(driver, "preview-meta").text
    assert "第 1 版" in meta and "计算机视觉产品实现" in meta

    # 修订: the same form, filled from the item; the ID and occupation cannot change.
    revise = field(driver, "preview-revise")
    assert revise.text.strip() == "修订"
    click(driver, revise)
    wait(driver).until(lambda b: editor_open(b) and b.find_element(By.ID, "editor").get_attribute("data-mode") == "revise")
    assert field(driver, "editor-title").text.strip() == fill_id
    assert "第 1 版" in field(driver, "editor-lead").text
    assert field(driver, "ed-id").get_attribute("value") == fill_id
    assert field(driver, "ed-id").get_attribute("readonly") is not None
    assert "人工智能工程技术人员" in field(driver, "ed-occupation").get_attribute("value")
    # A revision keeps the occupation and the type.
    assert field(driver, "ed-type").get_attribute("readonly") is not None
    assert field(driver, "ed-type").get_attribute("value") == "填空题"
    assert field(driver, "ed-stem").get_attribute("value") == "隐藏层常用的激活函数是____(1)，二分类输出层常用的激活函数是____(2)。"
    assert [b.get_attribute("value") for b in driver.find_elements(By.CSS_SELECTOR, "#ed-blanks textarea")] == ["ReLU\n线性整流函数", "Sigmoid\nS型函数"]
    assert field(driver, "ed-difficulty").get_attribute("value") == "0.55"
    assert field(driver, "ed-dir-only").is_selected()
    # Discrimination and enemy group come back if the server's item view has them; else the author is warned.
    if field(driver, "ed-discrimination").get_attribute("value"):
        assert field(driver, "ed-discrimination").get_attribute("value") == "0.3"
        assert field(driver, "ed-enemy").get_attribute("value") == "ED-activation"
    else:
        assert "区分度与互斥组" in field(driver, "ed-stats-unknown").text
    assert unlabelled_controls(driver) == []
    save_screenshot(driver, "item-editor-revise")

    revised_stem = "卷积神经网络隐藏层最常用的激活函数是____(1)，二分类输出层常用的激活函数是____(2)。"
    type_into(driver, "ed-stem", revised_stem)
    assert field(driver, "ed-save").text.strip() == "保存修订"
    save(driver)
    wait_for_editor_closed(driver)

    # Version 2 is read back into the open preview and shown in the list.
    notice = field(driver, "preview-notice")
    wait(driver).until(lambda b: notice.get_attribute("data-code") == "revised")
    assert "第 2 版" in notice.text
    wait(driver).until(lambda b: b.find_element(By.ID, "preview").get_attribute("data-state") == "ok")
    wait(driver).until(lambda b: "第 2 版" in b.find_element(By.ID, "preview-meta").text)
    assert field(driver, "preview-stem").text.startswith("卷积神经网络隐藏层最常用的激活函数是")
    assert active_id(driver) == "preview-notice"
    wait(driver).until(lambda b: b.find_element(By.CSS_SELECTOR, f'#items-table tbody tr[data-id="{fill_id}"] td:last-child').text.strip() == "v2")


def test_refused_items_show_every_problem_and_nothing_is_created(driver, server_url, demo_accounts):
    author = account_for(demo_accounts, "item_author")
    item_id = unique("ED-NA")
    login(driver, server_url, author)
    open_bank(driver, server_url)
    wait_for_items(driver)
    open_new_editor(driver)

    # The page refuses an ID with a space or Chinese characters itself, with the focus on the ID.
    fill_single_choice(driver, "坏 ID", "下列哪个是监督学习算法？（　）", ["K 均值聚类", "逻辑回归", "主成分分析", "DBSCAN"])
    save(driver)
    summary = wait(driver).until(EC.visibility_of_element_located((By.ID, "editor-errors")))
    assert summary.get_attribute("data-source") == "client"
    assert "试题编号须为 1–40 个英文字母、数字、连字符（-）或下划线（_）" in summary.text
    assert active_id(driver) == "ed-id"
    assert field(driver, "ed-id").get_attribute("aria-invalid") == "true"
    assert "ed-err-id" in field(driver, "ed-id").get_attribute("aria-describedby")
    assert item_id not in item_ids_on_server(server_url, author)

    # A valid ID but no answer: the server refuses, its words are shown, the focus is on the answer.
    type_into(driver, "ed-id", item_id)
    assert field(driver, "ed-id").get_attribute("aria-invalid") is None
    save(driver)
    wait(driver).until(lambda b: b.find_element(By.ID, "editor-errors").get_attribute("data-source") == "server")
    summary = field(driver, "editor-errors")
    assert summary.get_attribute("data-code") == "invalid_items"
    assert "服务器未接受此试题" in summary.text
    assert "a single-choice item needs one answer letter" in summary.text
    assert "line 1" not in summary.text
    assert "ed-answer-control" in driver.switch_to.active_element.get_attribute("class")
    assert driver.switch_to.active_element.get_attribute("aria-invalid") == "true"
    # The form keeps what was typed.
    assert editor_open(driver)
    assert field(driver, "ed-id").get_attribute("value") == item_id
    assert field(driver, "ed-stem").get_attribute("value") == "下列哪个是监督学习算法？（　）"
    assert [element.get_attribute("value") for element in option_inputs(driver)] == ["K 均值聚类", "逻辑回归", "主成分分析", "DBSCAN"]
    # Nothing was created.
    assert item_id not in item_ids_on_server(server_url, author)
    driver.execute_script("document.querySelector('#editor .editor-shell').scrollTop = 0")
    save_screenshot(driver, "item-editor-refused")

    # Several problems at once are listed one by one, each linked to its field.
    options = option_inputs(driver)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", options[3])
    options[3].send_keys(Keys.CONTROL, "a")
    options[3].send_keys(Keys.BACKSPACE)
    type_into(driver, "ed-point", "9.9.9")
    save(driver)
    wait(driver).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#editor-problems li")) >= 3)
    problems = [li.text.strip() for li in driver.find_elements(By.CSS_SELECTOR, "#editor-problems li")]
    assert any("鉴定点 9.9.9" in problem for problem in problems), problems
    assert any("option D is empty" in problem for problem in problems), problems
    assert any("needs one answer letter" in problem for problem in problems), problems
    # The first problem in the form's order has the focus: the 鉴定点.
    assert active_id(driver) == "ed-point"
    assert item_id not in item_ids_on_server(server_url, author)

    # Closing with unsaved work asks first, by Escape or 取消; 放弃 closes without saving.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "ed-discard-group")))
    assert editor_open(driver)
    click(driver, field(driver, "ed-keep-editing"))
    wait(driver).until(lambda b: not b.find_elements(By.ID, "ed-discard-group"))
    click(driver, field(driver, "ed-cancel"))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "ed-discard-group")))
    assert "放弃尚未保存的内容吗" in field(driver, "ed-discard-group").text
    assert active_id(driver) == "ed-keep-editing"
    click(driver, field(driver, "ed-keep-editing"))
    assert editor_open(driver)
    click(driver, field(driver, "ed-cancel"))
    click(driver, wait(driver).until(EC.element_to_be_clickable((By.ID, "ed-discard"))))
    wait_for_editor_closed(driver)
    assert not list_rows(driver, item_id)
    assert active_id(driver) == "item-new"

    # The editor speaks English too.
    click(driver, field(driver, "lang-toggle"))
    wait(driver).until(lambda b: b.find_element(By.ID, "item-new").text.strip() == "New item")
    open_new_editor(driver)
    assert field(driver, "editor-title").text.strip() == "New item"
    assert driver.find_element(By.CSS_SELECTOR, 'label[for="ed-id"]').text.startswith("Item ID")
    assert field(driver, "ed-save").text.strip() == "Save draft"
    click(driver, field(driver, "editor-close"))
    wait_for_editor_closed(driver)
    click(driver, field(driver, "lang-toggle"))
    wait(driver).until(lambda b: b.find_element(By.ID, "item-new").text.strip() == "新建试题")


def test_author_writes_a_practical_task_with_scoring_rows_and_materials(driver, server_url, demo_accounts, unsealed_bank):
    author = account_for(demo_accounts, "item_author")
    item_id = unique("ED-PT")
    login(driver, server_url, author)
    open_bank(driver, server_url)
    wait_for_items(driver)
    open_new_editor(driver)

    fill_metadata(driver, item_id, "practical_task", "初级", "2.2.1", "0.7", points="20")
    type_into(driver, "ed-preparation", "每名考生一台安装 Python 3.10 与 PyTorch 的计算机。")
    type_into(driver, "ed-statement", "训练一个图像分类模型，并在测试集上报告准确率。")
    type_into(driver, "ed-time", "60")
    click(driver, field(driver, "ed-add-material"))
    material = driver.find_elements(By.CSS_SELECTOR, "#ed-materials li")[0]
    material.find_element(By.CSS_SELECTOR, "input").send_keys("images/")
    material.find_element(By.CSS_SELECTOR, "textarea").send_keys("训练集图像，共 600 张。")
    # Scoring rows: one is there; add a second, fill both; the sum follows.
    click(driver, field(driver, "ed-add-scoring"))
    rows = driver.find_elements(By.CSS_SELECTOR, "#ed-scoring li")
    assert len(rows) == 2
    for row, (point, marks, criteria) in zip(rows, [("模型训练", "12", "代码可运行并完成训练得 12 分。"), ("结果报告", "8", "准确率报告正确得 8 分。")]):
        inputs = row.find_elements(By.CSS_SELECTOR, "input")
        inputs[0].send_keys(point)
        inputs[1].send_keys(marks)
        row.find_element(By.CSS_SELECTOR, "textarea").send_keys(criteria)
    assert "配分合计 20 分，本题分值 20 分" in field(driver, "ed-scoring-sum").text
    assert unlabelled_controls(driver) == []
    save(driver)
    wait_for_editor_closed(driver)
    wait(driver).until(lambda b: list_rows(b, item_id))

    open_preview_by_id(driver, item_id)
    body = field(driver, "preview-body").text
    assert "每名考生一台安装 Python 3.10" in body and "训练一个图像分类模型" in body and "60 分钟" in body
    assert "images/" in body and "训练集图像，共 600 张。" in body
    scoring = [[cell.text.strip() for cell in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in driver.find_elements(By.CSS_SELECTOR, "#scoring-table tbody tr")]
    assert scoring == [["1", "模型训练", "12", "代码可运行并完成训练得 12 分。"], ["2", "结果报告", "8", "准确率报告正确得 8 分。"]]
