-- 0005 registration: candidates' identities and their applications (申报) with the honesty
-- commitment (告知承诺书) they accepted, the eligibility result and the administrator's decision.

CREATE TABLE candidate (
    account_id  TEXT PRIMARY KEY REFERENCES account(id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    id_type     TEXT NOT NULL CHECK (id_type IN ('resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent')),
    id_number   TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('男', '女')),
    birth_date  TEXT NOT NULL CHECK (birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    created_at  INTEGER NOT NULL,
    UNIQUE (id_type, id_number)
);

CREATE TABLE application (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES candidate(account_id),
    occupation         TEXT NOT NULL,
    level              TEXT NOT NULL,
    direction          TEXT,
    form               TEXT NOT NULL CHECK (json_valid(form)),
    eligibility        TEXT NOT NULL CHECK (json_valid(eligibility)),
    eligible           INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    clause             TEXT,
    commitment_sha256  TEXT NOT NULL CHECK (length(commitment_sha256) = 64),
    committed_at       INTEGER NOT NULL,
    client_address     TEXT,
    user_agent         TEXT,
    status             TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    reason             TEXT,
    decided_by         TEXT,
    decided_at         INTEGER,
    created_at         INTEGER NOT NULL
);
-- One open application per candidate, occupation and level.
CREATE UNIQUE INDEX application_open ON application(account_id, occupation, level) WHERE status IN ('submitted', 'approved');
CREATE INDEX application_by_status ON application(status, occupation, level);
