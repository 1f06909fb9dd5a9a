-- 0012 marking and results (issue 7, docs/MARKING.md): hand-ins examiners mark, known to them by a
-- marking code only; the examiners' sheets (immutable once signed); batches joining a theory and an
-- ability sitting; published results, append-only by revision; re-check requests (成绩复核).

CREATE TABLE marking_submission (
    code          TEXT PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    room          TEXT NOT NULL,
    -- The items to mark with their scoring tables (JSON [MarkedItem]) and what they are worth.
    items         TEXT NOT NULL CHECK (json_valid(items)),
    worth         REAL NOT NULL CHECK (worth > 0),
    status        TEXT NOT NULL CHECK (status IN ('unassigned', 'marking', 'adjudication', 'final')),
    -- Why the submission is unassigned or needs adjudication.
    reason        TEXT,
    marked        REAL CHECK (marked IS NULL OR marked >= 0),
    adjudicated   INTEGER NOT NULL DEFAULT 0 CHECK (adjudicated IN (0, 1)),
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER,
    UNIQUE (sitting_id, candidate_id),
    CHECK ((status = 'final') = (marked IS NOT NULL))
);

CREATE TABLE marking_sheet (
    code          TEXT NOT NULL REFERENCES marking_submission(code),
    role          TEXT NOT NULL CHECK (role IN ('first', 'second', 'third')),
    examiner_id   TEXT NOT NULL REFERENCES account(id),
    sheet         TEXT NOT NULL CHECK (json_valid(sheet)),
    total         REAL NOT NULL DEFAULT 0 CHECK (total >= 0),
    assigned_at   INTEGER NOT NULL,
    saved_at      INTEGER,
    signed_at     INTEGER,
    PRIMARY KEY (code, role),
    UNIQUE (code, examiner_id)
) WITHOUT ROWID;
CREATE INDEX marking_sheet_examiner ON marking_sheet (examiner_id);

-- A signed sheet is final: no update, no delete.
CREATE TRIGGER marking_sheet_signed_no_update BEFORE UPDATE ON marking_sheet WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed marking sheet cannot be changed'); END;
CREATE TRIGGER marking_sheet_signed_no_delete BEFORE DELETE ON marking_sheet WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed marking sheet cannot be deleted'); END;

CREATE TABLE result_batch (
    id               TEXT PRIMARY KEY,
    occupation       TEXT NOT NULL,
    level            TEXT NOT NULL,
    direction        TEXT,
    theory_sitting   TEXT NOT NULL UNIQUE REFERENCES sitting(id),
    ability_sitting  TEXT NOT NULL UNIQUE REFERENCES sitting(id),
    recheck_days     INTEGER NOT NULL CHECK (recheck_days BETWEEN 1 AND 60),
    created_by       TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    published_at     INTEGER,
    published_by     TEXT,
    recheck_until    INTEGER,
    CHECK (theory_sitting <> ability_sitting)
);

-- Results as published, then as corrected by re-checks: a new revision each time, never an update.
CREATE TABLE result (
    batch_id      TEXT NOT NULL REFERENCES result_batch(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    result        TEXT NOT NULL CHECK (json_valid(result)),
    cause         TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   INTEGER NOT NULL,
    PRIMARY KEY (batch_id, candidate_id, revision)
) WITHOUT ROWID;
CREATE TRIGGER result_no_update BEFORE UPDATE ON result
BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER result_no_delete BEFORE DELETE ON result
BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;

CREATE TABLE recheck (
    id            INTEGER PRIMARY KEY,
    batch_id      TEXT NOT NULL REFERENCES result_batch(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    part          TEXT NOT NULL CHECK (part IN ('theory', 'ability')),
    scope         TEXT NOT NULL CHECK (scope IN ('missing_score', 'unmarked_item', 'summation_error', 'recording_error')),
    reason        TEXT NOT NULL,
    requested_at  INTEGER NOT NULL,
    answer_by     INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'unchanged', 'corrected')),
    decided_by    TEXT,
    decided_at    INTEGER,
    note          TEXT,
    before        REAL,
    after         REAL
);
CREATE UNIQUE INDEX recheck_one_open ON recheck (batch_id, candidate_id, part) WHERE status = 'open';
CREATE INDEX recheck_batch ON recheck (batch_id, id);
