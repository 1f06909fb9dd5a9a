-- 0001 foundation: the body, accounts and roles, login sessions, the audit chain.
-- Migrations are never edited once shipped: add a new numbered file instead.
-- Times are integer milliseconds since 1970 UTC.

CREATE TABLE body_profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    created_at  INTEGER NOT NULL
);

CREATE TABLE account (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64 AND username = lower(username)),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE TABLE account_role (
    account_id  TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('body_admin', 'exam_admin', 'item_author', 'bank_custodian',
                                              'examiner', 'supervisor', 'candidate')),
    PRIMARY KEY (account_id, role)
) WITHOUT ROWID;

-- Only the SHA-256 of a session token is stored; the token itself exists only at the client.
CREATE TABLE auth_session (
    token_hash      TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    account_id      TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    client_address  TEXT
) WITHOUT ROWID;
CREATE INDEX auth_session_by_account ON auth_session(account_id);
CREATE INDEX auth_session_by_expiry ON auth_session(expires_at);

-- The audit chain: hash = SHA-256(prev_hash || canonical entry). Append-only by contract;
-- tampering is detected by `assay audit verify`, not prevented by the file system.
CREATE TABLE audit_entry (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    time_ms     INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash        TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_entry_by_subject ON audit_entry(subject);

CREATE TABLE audit_checkpoint (
    seq         INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL CHECK (length(hash) = 64),
    time_ms     INTEGER NOT NULL,
    key_id      TEXT NOT NULL,
    signature   TEXT NOT NULL
);

-- Public halves of the body's signing keys, for verifiers.
CREATE TABLE signing_key (
    key_id      TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL CHECK (length(public_key) = 64),
    created_at  INTEGER NOT NULL
);
