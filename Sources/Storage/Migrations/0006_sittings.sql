-- 0006 sittings (场次): the plan (rooms, seats, staff, supervisors) as one checked document, and
-- the relations staff declare with candidates (回避).

CREATE TABLE staff_relation (
    staff_id      TEXT NOT NULL REFERENCES account(id),
    candidate_id  TEXT NOT NULL REFERENCES account(id),
    kind          TEXT NOT NULL CHECK (kind IN ('same_employer', 'relative', 'teacher_student', 'colleague')),
    declared_at   INTEGER NOT NULL,
    PRIMARY KEY (staff_id, candidate_id, kind)
) WITHOUT ROWID;

CREATE TABLE sitting (
    id                TEXT PRIMARY KEY,
    occupation        TEXT NOT NULL,
    level             TEXT NOT NULL,
    direction         TEXT,
    part              TEXT NOT NULL CHECK (part IN ('theory', 'ability')),
    starts_at         INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    venue             TEXT NOT NULL,
    plan              TEXT NOT NULL CHECK (json_valid(plan)),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    published_at      INTEGER
);
