-- 0007 administration: candidates' evidence (sealed at rest), the annual exam plan, and the
-- admission tickets issued when a sitting is published.

CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES account(id),
    kind          TEXT NOT NULL CHECK (kind IN ('photo', 'education', 'title', 'certificate', 'training', 'other')),
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    file_name     TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL,           -- of the file as uploaded, for the record
    wrapped_key   BLOB NOT NULL,           -- the file's own key, sealed under the data directory's personal-data key
    box           BLOB NOT NULL,           -- the file, AES-256-GCM under its own key
    uploaded_at   INTEGER NOT NULL,
    deleted_at    INTEGER                  -- withdrawn by the candidate: the box is erased, the row kept for the record
);
CREATE INDEX evidence_owner ON evidence (owner_id, uploaded_at);

CREATE TABLE exam_plan (
    id                   TEXT PRIMARY KEY,
    year                 INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    occupation           TEXT NOT NULL,
    level                TEXT NOT NULL,
    direction            TEXT,
    expected_candidates  INTEGER NOT NULL CHECK (expected_candidates >= 0),
    dates                TEXT NOT NULL CHECK (json_valid(dates)),
    note                 TEXT NOT NULL DEFAULT '',
    created_by           TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX exam_plan_key ON exam_plan (year, occupation, level, COALESCE(direction, ''));

CREATE TABLE ticket (
    code          TEXT PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    room          TEXT NOT NULL,
    seat          INTEGER NOT NULL CHECK (seat > 0),
    issued_at     INTEGER NOT NULL,
    UNIQUE (sitting_id, candidate_id),
    UNIQUE (sitting_id, room, seat)
);
CREATE INDEX ticket_candidate ON ticket (candidate_id);
