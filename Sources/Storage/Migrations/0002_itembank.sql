-- 0002 item bank: the bank's key record and sealed item versions.
-- No item text, answer or key material is ever stored in clear: `ciphertext` is AES-256-GCM,
-- `wrapped_key` is the version's data key sealed to the bank KEK, whose private half is stored
-- only wrapped under the custodians' master secret.

CREATE TABLE bank_key (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    bank_id              TEXT NOT NULL CHECK (length(bank_id) = 8),
    threshold            INTEGER NOT NULL CHECK (threshold >= 2),
    custodians           INTEGER NOT NULL CHECK (custodians >= threshold AND custodians <= 255),
    public_key           BLOB NOT NULL,
    wrapped_private_key  BLOB NOT NULL,
    kek_version          INTEGER NOT NULL CHECK (kek_version >= 1),
    created_at           INTEGER NOT NULL
);

CREATE TABLE item (
    id               TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40),
    occupation       TEXT NOT NULL,
    type             TEXT NOT NULL CHECK (type IN ('single_choice', 'multiple_choice', 'true_false', 'fill_in',
                                                   'short_answer', 'practical_task')),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'active', 'retired')),
    current_version  INTEGER NOT NULL CHECK (current_version >= 1),
    author           TEXT NOT NULL,
    exposure_count   INTEGER NOT NULL DEFAULT 0 CHECK (exposure_count >= 0),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX item_by_occupation ON item(occupation, status);

-- Versions are immutable: a revision is a new row.
CREATE TABLE item_version (
    item_id           TEXT NOT NULL REFERENCES item(id),
    version           INTEGER NOT NULL CHECK (version >= 1),
    metadata          TEXT NOT NULL CHECK (json_valid(metadata)),
    ciphertext        BLOB NOT NULL,
    wrapped_key       BLOB NOT NULL,
    encapsulated_key  BLOB NOT NULL,
    kek_version       INTEGER NOT NULL CHECK (kek_version >= 1),
    author            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (item_id, version)
) WITHOUT ROWID;

-- Review decisions: who (never the author), on which version, approve or reject, and why.
CREATE TABLE item_review (
    item_id     TEXT NOT NULL REFERENCES item(id),
    version     INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment     TEXT NOT NULL,
    decided_at  INTEGER NOT NULL
);
CREATE INDEX item_review_by_item ON item_review(item_id, version);
