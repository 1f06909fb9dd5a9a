"""A practical sitting in headless Chromium with a (fake) camera: the candidate writes their
answer, attaches files, sees a refused file explained, and is watched by webcam snapshots.

Chromium runs with a fake camera device (`--use-fake-device-for-media-stream`, permission granted
by `--use-fake-ui-for-media-stream`), so getUserMedia works as on an exam PC with a webcam. What
the page shows is checked, and what the server stored is read from the SQLite file.
"""

import json
import os
import pathlib
import shutil
import sqlite3
import sys
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from test_login import wait
from test_sitting_ui import click, confirm, shot, sign_in, snapshot, text_of, visible, wait_for_paper, wait_saved

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "cli"))
from test_sitting_runtime import candidate_id, prepare  # noqa: E402


def camera_driver():
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    browser.set_script_timeout(60)
    return browser


@pytest.fixture(scope="module")
def practical(tmp_path_factory):
    prepared = prepare(tmp_path_factory.mktemp("practical-ui"), start_in=30, minutes=8, late=6, part="ability")
    yield prepared
    prepared["server"].stop()


def rows(data, query, *args):
    connection = sqlite3.connect(f"file:{data / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


def test_a_practical_task_with_files_under_the_camera(practical, tmp_path):
    ticket = practical["tickets"][0]
    me = candidate_id(practical, ticket)
    report = tmp_path / "实验报告.pdf"
    report.write_bytes(b"%PDF-1.4\n% the candidate's report\n" + b"x" * 2048)
    program = tmp_path / "train.py"
    program.write_text("print('训练完成')\n", encoding="utf-8")
    wrong = tmp_path / "tool.exe"
    wrong.write_bytes(b"MZ\x90\x00")

    browser = camera_driver()
    try:
        sign_in(browser, practical["url"], ticket)
        confirm(browser)
        # The camera comes on in the waiting room, with a preview the candidate can see.
        wait(browser, 20).until(lambda b: b.find_element(By.ID, "sit-camera").get_attribute("data-state") == "on")
        assert text_of(browser, "sit-camera-text") == "监考摄像头已开启" and visible(browser, "sit-camera-preview")
        wait_for_paper(browser)
        article = browser.find_element(By.CSS_SELECTOR, "#sit-item article.sit-item")
        assert article.get_attribute("data-type") == "practical_task"
        key = article.get_attribute("data-key")

        browser.find_element(By.ID, f"sit-{key}-text").send_keys("部署步骤见附件报告，训练脚本见 train.py。")
        picker = browser.find_element(By.ID, f"sit-{key}-file")
        # A type that may not be handed in is refused here, with the reason.
        picker.send_keys(str(wrong))
        wait(browser).until(lambda b: b.find_elements(By.ID, f"sit-{key}-file-problem"))
        assert "不支持该文件类型" in text_of(browser, f"sit-{key}-file-problem")
        for path in (report, program):
            browser.find_element(By.ID, f"sit-{key}-file").send_keys(str(path))
            wait(browser, 20).until(lambda b, name=path.name: name in b.find_element(By.CSS_SELECTOR, ".sit-file-list").text)
        wait_saved(browser)
        shot(browser, "practical-files")
        listed = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".sit-file-name")]
        assert listed == ["实验报告.pdf", "train.py"]

        # What the server holds: the text and both files, named in the answer; snapshots sealed.
        (answer,), = rows(practical["data"], "SELECT answer FROM answer WHERE sitting_id = ? AND candidate_id = ?", practical["sitting"], me)
        stored = json.loads(answer)
        assert stored["text"] == "部署步骤见附件报告，训练脚本见 train.py。" and len(stored["files"]) == 2
        names = dict(rows(practical["data"], "SELECT id, name FROM answer_file WHERE sitting_id = ? AND candidate_id = ?", practical["sitting"], me))
        assert [names[file] for file in stored["files"]] == ["实验报告.pdf", "train.py"]
        deadline = time.monotonic() + 20
        while not rows(practical["data"], "SELECT id FROM proctor_snapshot WHERE sitting_id = ? AND candidate_id = ?", practical["sitting"], me):
            assert time.monotonic() < deadline, "no webcam snapshot arrived"
            time.sleep(0.5)

        # Removing a file saves the answer without it.
        click(browser, browser.find_elements(By.CSS_SELECTOR, ".sit-file-remove")[1])
        wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".sit-file-name")) == 1)
        wait_saved(browser)
        (answer,), = rows(practical["data"], "SELECT answer FROM answer WHERE sitting_id = ? AND candidate_id = ?", practical["sitting"], me)
        assert [names[file] for file in json.loads(answer)["files"]] == ["实验报告.pdf"]
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "favicon" not in entry["message"]]
        assert not errors, errors
    finally:
        browser.quit()
