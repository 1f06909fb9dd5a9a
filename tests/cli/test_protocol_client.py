"""An independent client of the sitting protocol, written from docs/PROTOCOL.md only.

Nothing here was learnt from the server's sources, the browser client or the other sitting tests:
only the set-up of a sitting (`prepare`) is borrowed. The client signs in with an admission
ticket, takes a single-use WebSocket ticket, waits in the waiting room, opens its sealed paper at
the start (or takes it in clear), answers every item, flags one, pings, reconnects and resumes
from `welcome`, sends bad messages, hands in and checks the receipt against a SHA-256 it computes
itself from the canonical form of its answers (PROTOCOL.md §3 `handedIn` → DELIVERY.md). Then it
reads the SQLite file, read-only, for every acknowledged answer.
"""

import asyncio
import base64
import datetime
import hashlib
import json
import re
import sqlite3

import pytest
import websockets
import websockets.exceptions
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conftest import api_status_call
from test_sitting_runtime import prepare

START_IN = 20  # seconds from publishing to the start: time to sign in and wait


@pytest.fixture(scope="module")
def sitting(tmp_path_factory):
    prepared = prepare(tmp_path_factory.mktemp("protocol-client"), start_in=START_IN)
    yield prepared
    prepared["server"].stop()


# --- §1 Sign in (HTTP) -------------------------------------------------------------------------

def ticket_as_typed(code):
    """The code the way a careless candidate types it: lower case, spaces for dashes, and the
    letters O/I/L for the digits 0/1 (§1: read as 0, 1, 1)."""
    return code.lower().replace("-", " ").replace("0", "o").replace("1", "l")


def sign_in(url, ticket):
    status, body = api_status_call(url, "/api/v1/sit/login", body={"ticket": ticket_as_typed(ticket["code"]), "idNumber": ticket["candidate"]["idNumber"]})
    assert status == 200, body
    assert {"token", "sitting", "candidate", "expiresAt"} <= body.keys(), body
    assert body["candidate"]["name"] == ticket["candidate"]["name"]
    return body


def ws_ticket(url, sitting_id, token):
    status, body = api_status_call(url, f"/api/v1/sit/{sitting_id}/connect", token, {})
    assert status == 200, body
    assert body["expiresInSeconds"] == 30 and body["path"] == "/api/v1/sit/ws", body
    return body


def ws_address(url, grant, sealed=True):
    return url.replace("http://", "ws://") + grant["path"] + f"?ticket={grant['wsTicket']}" + ("" if sealed else "&sealed=0")


def iso(text):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", text), text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- §2–§4 The socket --------------------------------------------------------------------------

class Client:
    """One candidate's client: a queue of changes with a persistent seq counter, the sealed paper
    and the paper, and what the server acknowledged."""

    def __init__(self, url, sitting_id, token):
        self.url, self.sitting_id, self.token = url, sitting_id, token
        self.seq = 0
        self.queue = {}  # seq -> change not yet acknowledged
        self.acked = {}  # seq -> change the server acknowledged
        self.errors = []
        self.sealed_box = None
        self.paper = None
        self.time = None
        self.socket = None

    async def connect(self, sealed=True):
        """§2: a new wsTicket for every connection; `welcome` comes first."""
        grant = ws_ticket(self.url, self.sitting_id, self.token)
        self.socket = await websockets.connect(ws_address(self.url, grant, sealed), max_size=None, ping_interval=None)
        welcome = json.loads(await asyncio.wait_for(self.socket.recv(), 10))
        assert welcome["type"] == "welcome", welcome
        assert welcome["protocol"] == 1
        # §3 welcome: drop what the server already applied, send the rest again.
        for seq in [s for s in self.queue if s <= welcome["lastSeq"]]:
            self.acked[seq] = self.queue.pop(seq)
        return welcome

    async def send(self, message):
        await self.socket.send(message if isinstance(message, str) else json.dumps(message, ensure_ascii=False))

    async def change(self, message):
        """Queues and sends a change (save, flag, handIn, event) with the next seq."""
        self.seq += 1
        change = {**message, "seq": self.seq}
        self.queue[self.seq] = change
        if self.socket is not None:
            await self.send(change)
        return self.seq

    async def resend_queue(self):
        for seq in sorted(self.queue):
            await self.send(self.queue[seq])

    async def receive(self, *types, timeout=30):
        """Reads messages, keeping the state they carry, until one of `types` comes."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), max(0.1, end - loop.time())))
            kind = message["type"]
            if kind == "time":
                self.time = message
            elif kind == "sealedPaper":
                assert message["algorithm"] == "AES-256-GCM"
                self.sealed_box = base64.b64decode(message["box"])
            elif kind == "paperKey":
                assert self.sealed_box is not None, "paperKey without a sealedPaper"
                key = base64.b64decode(message["key"])
                assert len(key) == 32
                plain = AESGCM(key).decrypt(self.sealed_box[:12], self.sealed_box[12:], None)
                opened = json.loads(plain.decode("utf-8"))
                assert opened["type"] == "paper"
                self.paper = opened
            elif kind == "paper":
                self.paper = message
            elif kind == "ack":
                if message["seq"] in self.queue:
                    self.acked[message["seq"]] = self.queue.pop(message["seq"])
            elif kind == "error":
                self.errors.append(message)
                if message.get("seq") is not None:
                    self.queue.pop(message["seq"], None)  # refused for good
            if kind in types:
                return message

    async def until_acked(self, seq, timeout=30):
        while seq not in self.acked:
            message = await self.receive("ack", "error", timeout=timeout)
            assert message["type"] == "ack", f"change {seq} refused: {message}"

    async def expect_error(self, code, seq=None):
        message = await self.receive("error", timeout=10)
        assert message["code"] == code, message
        assert message.get("seq") == seq, message
        assert isinstance(message["message"], str) and message["message"]
        return message

    async def ping(self, t):
        await self.send({"type": "ping", "t": t})
        pong = await self.receive("pong", timeout=10)
        assert pong["t"] == t
        iso(pong["serverTime"])
        return pong

    async def close(self):
        await self.socket.close()
        self.socket = None


def answer_for(item, index):
    """A valid answer for the item's type (§4 table)."""
    letters = [option["letter"] for option in item.get("options", [])]
    kind = item["type"]
    if kind == "single_choice":
        return {"choice": letters[index % len(letters)]}
    if kind == "multiple_choice":
        return {"choices": [letters[0], letters[-1]]}
    if kind == "true_false":
        return {"value": index % 2 == 0}
    if kind == "fill_in":
        return {"blanks": [f"空{n + 1} a/b \"q\"" for n in range(item["blanks"])]}
    if kind in ("short_answer", "practical_task"):
        return {"text": f"答：第{index}题 \"引号\" 与 a/b\n第二行 ✓"}
    raise AssertionError(f"unknown item type {kind}")


def numeric_key(key):
    match = re.fullmatch(r"(\D*)(\d+)", key)
    return (match.group(1), int(match.group(2))) if match else (key, 0)


def receipt_sha256(answers):
    """§3 handedIn → DELIVERY.md: one line per answered item, `key TAB canonical-JSON LF`, numeric
    key order, JSON with sorted keys and no spaces."""
    lines = "".join(
        f"{key}\t{json.dumps(answer, sort_keys=True, separators=(',', ':'), ensure_ascii=False)}\n"
        for key, answer in sorted(answers.items(), key=lambda pair: numeric_key(pair[0]))
        if answer is not None
    )
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


# --- The tests ---------------------------------------------------------------------------------

def test_sign_in_and_the_connection_rules(sitting):
    url, ticket = sitting["url"], sitting["tickets"][1]

    # §1: a wrong ID number is 401 wrong_ticket, a non-code 400 bad_ticket.
    status, body = api_status_call(url, "/api/v1/sit/login", body={"ticket": ticket["code"], "idNumber": "110101199001011234"})
    assert status == 401 and "wrong_ticket" in json.dumps(body), (status, body)
    status, body = api_status_call(url, "/api/v1/sit/login", body={"ticket": "not a ticket!", "idNumber": ticket["candidate"]["idNumber"]})
    assert status == 400 and "bad_ticket" in json.dumps(body), (status, body)

    first = sign_in(url, ticket)
    assert first["sitting"] == sitting["sitting"]
    status, body = api_status_call(url, "/api/v1/sit/SIT-NOT-MINE/connect", first["token"], {})
    assert status == 404 and "not_your_sitting" in json.dumps(body), (status, body)

    async def run():
        # §2: the ticket is single use.
        grant = ws_ticket(url, first["sitting"], first["token"])
        async with websockets.connect(ws_address(url, grant)) as socket:
            assert json.loads(await socket.recv())["type"] == "welcome"
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await websockets.connect(ws_address(url, grant))
        assert refused.value.response.status_code == 400

        # §2: a foreign Origin is refused; none at all is fine (above).
        grant = ws_ticket(url, first["sitting"], first["token"])
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            await websockets.connect(ws_address(url, grant), origin="http://evil.example")
        assert refused.value.response.status_code == 400

        # §2: a newer connection of the same session replaces the old one (4001) ...
        old = await websockets.connect(ws_address(url, ws_ticket(url, first["sitting"], first["token"])))
        assert json.loads(await old.recv())["type"] == "welcome"
        new = await websockets.connect(ws_address(url, ws_ticket(url, first["sitting"], first["token"])))
        assert json.loads(await new.recv())["type"] == "welcome"
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            while True:
                await asyncio.wait_for(old.recv(), 10)
        assert old.close_code == 4001, old.close_code

        # ... and another session of the same candidate is refused with 4003.
        second = sign_in(url, ticket)
        other = await websockets.connect(ws_address(url, ws_ticket(url, second["sitting"], second["token"])))
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            while True:
                assert json.loads(await asyncio.wait_for(other.recv(), 10))["type"] != "paper"
        assert other.close_code == 4003, other.close_code
        await new.close()

    asyncio.run(run())


def test_a_whole_sitting_from_the_document(sitting):
    url, ticket = sitting["url"], sitting["tickets"][0]
    signed = sign_in(url, ticket)
    assert signed["sitting"] == sitting["sitting"]
    client = Client(url, signed["sitting"], signed["token"])

    async def run():
        # §2/§3: welcome in the waiting room, then time (and the sealed paper, if already released).
        welcome = await client.connect()
        assert welcome["state"] == "waiting" and welcome["lastSeq"] == 0, welcome
        assert welcome["sitting"]["id"] == signed["sitting"]
        assert welcome["candidate"]["name"] == ticket["candidate"]["name"]
        assert welcome["answers"] == {} and welcome["flags"] == [] and welcome.get("receipt") is None
        iso(welcome["serverTime"])
        time = await client.receive("time")
        assert time["state"] == "waiting" and time.get("deadline") is None
        assert iso(time["startsAt"]) > iso(time["serverTime"])

        # In the waiting room: an event is recorded and acknowledged, a save is refused.
        event = await client.change({"type": "event", "kind": "visibility_hidden", "detail": "切换窗口"})
        await client.until_acked(event)
        early = await client.change({"type": "save", "item": "Q1", "answer": {"choice": "A"}})
        await client.expect_error("not_started", early)

        # §3: at the start, paperKey opens the sealed paper (or the paper comes in clear).
        while client.paper is None:
            await client.receive("paper", "paperKey", timeout=START_IN + 30)
        assert client.sealed_box is not None, "a client connected 20 s before the start should get a sealedPaper"
        while client.time["state"] != "answering":
            await client.receive("time", timeout=10)
        assert iso(client.time["deadline"]) > iso(client.time["serverTime"]) and client.time["remainingSeconds"] > 0

        items = client.paper["items"]
        assert items and len({item["key"] for item in items}) == len(items)
        by_type = {item["type"] for item in items}
        print("paper:", len(items), "items of types", sorted(by_type))

        # §4: answer every item (sent in a burst, acks collected), then change one answer.
        answers, saves = {}, {}
        for index, item in enumerate(items):
            answers[item["key"]] = answer_for(item, index)
            saves[item["key"]] = await client.change({"type": "save", "item": item["key"], "answer": answers[item["key"]]})
        for seq in saves.values():
            await client.until_acked(seq)
        first = items[0]
        answers[first["key"]] = answer_for(first, 1)
        await client.until_acked(await client.change({"type": "save", "item": first["key"], "answer": answers[first["key"]]}))
        # Sending the same change twice is harmless: acknowledged again.
        await client.send(client.acked[max(client.acked)])
        assert (await client.receive("ack", timeout=10))["seq"] == max(client.acked)

        # Refused changes: an item not on the paper, and an answer of the wrong shape.
        await client.expect_error("unknown_item", await client.change({"type": "save", "item": "Q9999", "answer": {"text": "x"}}))
        wrong_type = {"choice": "A"} if first["type"] == "true_false" else {"value": True}
        await client.expect_error("bad_answer", await client.change({"type": "save", "item": first["key"], "answer": wrong_type}))
        # An answer that is no answer of any type: refused with its seq (the document is unclear
        # whether this is `bad_answer` or `bad_message`, which it says has no seq).
        refused = await client.change({"type": "save", "item": first["key"], "answer": {"value": "yes"}})
        message = await client.receive("error", timeout=10)
        assert message["code"] in ("bad_answer", "bad_message") and message.get("seq") == refused, message

        # Flag one item for review, then ping.
        flagged = items[-1]["key"]
        await client.until_acked(await client.change({"type": "flag", "item": flagged, "flagged": True}))
        await client.ping(1234.5)

        # §3 error: malformed and unknown messages are answered with an error; the socket stays.
        await client.send("this is not JSON")
        await client.expect_error("bad_message")
        await client.send({"type": "teleport", "seq": 10_000})
        await client.expect_error("unknown_type", None)
        await client.ping(99)

        # Disconnect with one change still queued, reconnect with a new ticket and resume.
        await client.close()
        last_acked = max(client.acked)
        answers[items[1]["key"]] = answer_for(items[1], 7)
        offline = await client.change({"type": "save", "item": items[1]["key"], "answer": answers[items[1]["key"]]})
        welcome = await client.connect()
        assert welcome["state"] == "answering"
        assert welcome["lastSeq"] == last_acked, (welcome["lastSeq"], last_acked)
        assert welcome["answers"] == {key: answer for key, answer in answers.items() if key != items[1]["key"]} | {items[1]["key"]: answer_for(items[1], 1)}
        assert welcome["flags"] == [flagged]
        client.paper = None
        await client.resend_queue()
        await client.until_acked(offline)
        if client.paper is None:
            await client.receive("paper", timeout=10)  # §3 paper: right after welcome when running
        assert [item["key"] for item in client.paper["items"]] == [item["key"] for item in items]

        # Hand in: ack, then handedIn with the receipt, then close 1000.
        hand_in = await client.change({"type": "handIn"})
        await client.until_acked(hand_in)
        receipt = (await client.receive("handedIn", timeout=10))["receipt"]
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            while True:
                await asyncio.wait_for(client.socket.recv(), 10)
        assert client.socket.close_code == 1000
        assert receipt["sitting"] == signed["sitting"] and receipt["reason"] == "candidate"
        assert receipt["answered"] == len(items) and receipt["items"] == len(items)
        iso(receipt["handedInAt"])
        assert receipt["sha256"] == receipt_sha256(answers), (receipt, answers)

        # Afterwards: welcome carries the receipt, then time, then close 4004.
        welcome = await client.connect()
        assert welcome["state"] == "handedIn" and welcome["receipt"] == receipt
        assert (await client.receive("time", timeout=10))["state"] == "handedIn"
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            while True:
                await asyncio.wait_for(client.socket.recv(), 10)
        assert client.socket.close_code == 4004
        return answers

    answers = asyncio.run(run())

    # Every acknowledged answer is on disk (DELIVERY.md: `answer` per item with seq and answer JSON).
    final = {}
    for seq, change in sorted(client.acked.items()):
        if change["type"] == "save":
            final[change["item"]] = (seq, change["answer"])
    assert {key: answer for key, (_, answer) in final.items()} == answers
    database = sqlite3.connect(f"file:{sitting['data'] / 'assay.sqlite'}?mode=ro", uri=True)
    columns = [row[1] for row in database.execute("PRAGMA table_info(answer)")]
    stored = {row[columns.index("seq")]: json.loads(row[columns.index("answer")]) for row in database.execute("SELECT * FROM answer")}
    database.close()
    for key, (seq, answer) in final.items():
        assert stored.get(seq) == answer, (key, seq, answer, stored.get(seq), columns)
