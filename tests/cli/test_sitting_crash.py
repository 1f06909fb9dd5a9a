"""Crash safety of the sitting runtime: kill -9 the server while candidates are answering, start
it again on the same data directory, and check that every acknowledged answer is in the
database, that the candidates resume where the server says they were, and that the time the
server was down is given back in the ledger.
"""

import asyncio
import datetime
import json
import time

import websockets
import websockets.exceptions

from conftest import Server, api_status_call
from test_sitting_runtime import answer_for, candidate_id, prepare, receive, receive_paper, sit_login, stored_answers, ws_ticket, ws_url


def parse(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_kill_9_while_answering_loses_nothing_acknowledged_and_credits_the_downtime(tmp_path):
    prepared = prepare(tmp_path, start_in=8)
    url, sitting, data = prepared["url"], prepared["sitting"], prepared["data"]
    tickets = prepared["tickets"][:6]
    tokens = [sit_login(url, ticket) for ticket in tickets]
    acknowledged = [dict() for _ in tickets]  # item key → (seq, answer), per candidate
    sent_seq = [0 for _ in tickets]
    deadlines = {}

    async def candidate(index, kill_after):
        async with websockets.connect(ws_url(url, ws_ticket(url, sitting, tokens[index]))) as socket:
            await receive(socket, "welcome")
            paper = (await receive_paper(socket))["items"]
            deadlines[index] = parse((await receive(socket, "time"))["deadline"])
            pending = {}
            started = time.monotonic()
            try:
                while True:
                    for item in paper:
                        sent_seq[index] += 1
                        seq = sent_seq[index]
                        pending[seq] = (item["key"], answer_for(item) if seq % 3 else {"text": f"v{seq}"} if item["type"] in ("short_answer", "practical_task") else answer_for(item))
                        await socket.send(json.dumps({"type": "save", "seq": seq, "item": item["key"], "answer": pending[seq][1]}))
                        # Read whatever acks are there without waiting for each.
                        while True:
                            try:
                                message = json.loads(await asyncio.wait_for(socket.recv(), timeout=0.005))
                            except asyncio.TimeoutError:
                                break
                            if message["type"] == "ack" and message["seq"] in pending:
                                key, answer = pending.pop(message["seq"])
                                if acknowledged[index].get(key, (0, None))[0] < message["seq"]:
                                    acknowledged[index][key] = (message["seq"], answer)
                        if time.monotonic() - started > kill_after:
                            await asyncio.sleep(3600)
            except websockets.exceptions.ConnectionClosed:
                return

    async def run_and_kill():
        tasks = [asyncio.create_task(candidate(i, 3.0)) for i in range(len(tickets))]
        while len(deadlines) < len(tickets):
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)
        prepared["server"].process.kill()  # SIGKILL: no shutdown, no flush
        prepared["server"].process.wait()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)

    asyncio.run(run_and_kill())
    killed_at = time.time()
    assert sum(len(a) for a in acknowledged) > 20, "the candidates saved under load before the kill"

    time.sleep(4)  # the server stays down for a while
    restarted = Server(data, extra=("--exams", str(prepared["exams"])))
    try:
        # Every acknowledged answer is on disk: the stored one is that change or a later one.
        for index, ticket in enumerate(tickets):
            stored = stored_answers(data, sitting, candidate_id({**prepared, "url": restarted.url, "admin": login_again(restarted.url)}, ticket))
            for key, (seq, answer) in acknowledged[index].items():
                assert key in stored, f"acknowledged {key} seq {seq} is missing"
                assert stored[key][0] >= seq, f"{key}: stored seq {stored[key][0]} older than acknowledged {seq}"
                if stored[key][0] == seq:
                    assert stored[key][1] == answer

        # The candidate resumes: the server knows everything it acknowledged, and time was given back.
        async def resume():
            token = sit_login(restarted.url, tickets[0])
            async with websockets.connect(ws_url(restarted.url, ws_ticket(restarted.url, sitting, token))) as socket:
                welcome = await receive(socket, "welcome")
                assert welcome["state"] == "answering"
                assert welcome["lastSeq"] >= max(seq for seq, _ in acknowledged[0].values())
                for key, (seq, answer) in acknowledged[0].items():
                    assert key in welcome["answers"]
                await receive_paper(socket)
                return parse(welcome["time"]["deadline"])

        deadline = asyncio.run(resume())
        credited = (deadline - deadlines[0]).total_seconds()
        down = time.time() - killed_at
        assert credited >= 4, f"only {credited:.1f} s credited after about {down:.1f} s down"
        assert credited <= down + 5
        events = open_ledger(data, sitting)
        assert any("downtime" in entry for entry in events)
    finally:
        restarted.stop()


def login_again(url):
    status, body = api_status_call(url, "/api/v1/auth/login", body={"username": "examadmin", "password": "amber-field-3390"})
    assert status == 200
    return body["token"]


def open_ledger(data, sitting):
    import sqlite3
    connection = sqlite3.connect(f"file:{data / 'assay.sqlite'}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT entry FROM time_ledger WHERE sitting_id = ? ORDER BY position", (sitting,))]
    finally:
        connection.close()
