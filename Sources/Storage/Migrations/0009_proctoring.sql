-- 0009 proctoring: webcam snapshots (sealed under the personal-data key, like evidence), misconduct
-- decisions with their evidence, quality supervisors' notes (督导记录), and files handed in as
-- practical answers (sealed the same way).

CREATE TABLE proctor_snapshot (
    id            INTEGER PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    taken_at      INTEGER NOT NULL,
    bytes         INTEGER NOT NULL CHECK (bytes > 0),
    wrapped_key   BLOB NOT NULL,
    box           BLOB NOT NULL
);
CREATE INDEX proctor_snapshot_candidate ON proctor_snapshot (sitting_id, candidate_id, taken_at);

CREATE TABLE misconduct (
    id            INTEGER PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    tier          TEXT NOT NULL CHECK (tier IN ('warning', 'deduction', 'subject_void', 'sitting_void', 'ban')),
    points        INTEGER CHECK (points IS NULL OR points > 0),
    ban_years     INTEGER CHECK (ban_years IS NULL OR ban_years > 0),
    reason        TEXT NOT NULL,
    evidence      TEXT NOT NULL CHECK (json_valid(evidence)),
    terminated    INTEGER NOT NULL CHECK (terminated IN (0, 1)),
    decided_by    TEXT NOT NULL,
    decided_at    INTEGER NOT NULL
);
CREATE INDEX misconduct_sitting ON misconduct (sitting_id, candidate_id);

CREATE TABLE supervision_note (
    id            INTEGER PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT,
    author        TEXT NOT NULL,
    text          TEXT NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX supervision_note_sitting ON supervision_note (sitting_id, at);

CREATE TABLE answer_file (
    id            TEXT PRIMARY KEY,
    sitting_id    TEXT NOT NULL REFERENCES sitting(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    item_key      TEXT NOT NULL,
    name          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    bytes         INTEGER NOT NULL CHECK (bytes > 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    wrapped_key   BLOB NOT NULL,
    box           BLOB NOT NULL,
    uploaded_at   INTEGER NOT NULL
);
CREATE INDEX answer_file_candidate ON answer_file (sitting_id, candidate_id, item_key);

CREATE INDEX proctor_event_feed ON proctor_event (sitting_id, id);
