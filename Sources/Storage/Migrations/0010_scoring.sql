-- 0010 scoring: each hand-in's objective score, item by item, with the rules it was scored under.
-- Derived from the answers and the sealed paper: recomputed when missing (a crash between the
-- hand-in and its scoring) and, later, when a key is corrected.

CREATE TABLE attempt_score (
    sitting_id     TEXT NOT NULL REFERENCES sitting(id),
    candidate_id   TEXT NOT NULL REFERENCES account(id),
    paper_id       TEXT NOT NULL,
    objective      REAL NOT NULL CHECK (objective >= 0),
    objective_max  REAL NOT NULL CHECK (objective_max >= 0),
    maximum        REAL NOT NULL CHECK (maximum >= 0),
    pending        INTEGER NOT NULL CHECK (pending >= 0),
    items          TEXT NOT NULL CHECK (json_valid(items)),
    rules          TEXT NOT NULL CHECK (json_valid(rules)),
    scored_at      INTEGER NOT NULL,
    PRIMARY KEY (sitting_id, candidate_id)
) WITHOUT ROWID;
