-- 0008 delivery: the papers a sitting delivers, the time ledger, each candidate's attempt with
-- its answers and flags (last seq wins per item), proctoring events, and the node's heartbeat
-- from which downtime is credited.

CREATE TABLE sitting_paper (
    sitting_id  TEXT NOT NULL REFERENCES sitting(id),
    paper_id    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (sitting_id, paper_id)
) WITHOUT ROWID;

-- A paper released at a sitting's start, sealed under the node's personal-data key so a restarted
-- node resumes the sitting without the custodians; never the plaintext.
CREATE TABLE released_paper (
    paper_id     TEXT PRIMARY KEY,
    sitting_id   TEXT NOT NULL REFERENCES sitting(id),
    wrapped_key  BLOB NOT NULL,
    box          BLOB NOT NULL,
    released_at  INTEGER NOT NULL
);

CREATE TABLE time_ledger (
    sitting_id   TEXT NOT NULL REFERENCES sitting(id),
    position     INTEGER NOT NULL,
    entry        TEXT NOT NULL CHECK (json_valid(entry)),
    actor        TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (sitting_id, position)
) WITHOUT ROWID;

CREATE TABLE attempt (
    sitting_id          TEXT NOT NULL REFERENCES sitting(id),
    candidate_id        TEXT NOT NULL REFERENCES account(id),
    paper_id            TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('waiting', 'answering', 'handedIn')),
    last_seq            INTEGER NOT NULL DEFAULT 0,
    first_connected_at  INTEGER,
    handed_in_at        INTEGER,
    hand_in_reason      TEXT CHECK (hand_in_reason IN ('candidate', 'deadline', 'terminated')),
    receipt             TEXT CHECK (receipt IS NULL OR json_valid(receipt)),
    PRIMARY KEY (sitting_id, candidate_id)
) WITHOUT ROWID;

CREATE TABLE answer (
    sitting_id    TEXT NOT NULL,
    candidate_id  TEXT NOT NULL,
    item_key      TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    answer        TEXT CHECK (answer IS NULL OR json_valid(answer)),
    saved_at      INTEGER NOT NULL,
    PRIMARY KEY (sitting_id, candidate_id, item_key)
) WITHOUT ROWID;

CREATE TABLE answer_flag (
    sitting_id    TEXT NOT NULL,
    candidate_id  TEXT NOT NULL,
    item_key      TEXT NOT NULL,
    flagged       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (sitting_id, candidate_id, item_key)
) WITHOUT ROWID;

CREATE TABLE proctor_event (
    id            INTEGER PRIMARY KEY,
    sitting_id    TEXT NOT NULL,
    candidate_id  TEXT,
    seq           INTEGER,
    kind          TEXT NOT NULL,
    detail        TEXT,
    source        TEXT NOT NULL CHECK (source IN ('client', 'server', 'staff')),
    actor         TEXT,
    at            INTEGER NOT NULL
);
CREATE INDEX proctor_event_sitting ON proctor_event (sitting_id, candidate_id, at);

CREATE TABLE node_heartbeat (
    node  TEXT PRIMARY KEY,
    at    INTEGER NOT NULL
) WITHOUT ROWID;
