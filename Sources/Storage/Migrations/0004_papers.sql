-- 0004 papers: assemblies of parallel forms, each form a paper with pinned item versions.
-- A paper's content exists only sealed (`ciphertext` under a per-paper key wrapped by the bank
-- KEK); its composition (which item versions, at how many points) is kept in clear so exposure
-- and reports work while the bank is sealed.

CREATE TABLE paper_assembly (
    id                TEXT PRIMARY KEY,
    occupation        TEXT NOT NULL,
    level             TEXT NOT NULL,
    direction         TEXT NOT NULL,
    part              TEXT NOT NULL CHECK (part IN ('theory', 'ability')),
    forms             INTEGER NOT NULL CHECK (forms >= 1),
    seed              INTEGER NOT NULL,
    moves             INTEGER NOT NULL,
    blueprint_sha256  TEXT NOT NULL CHECK (length(blueprint_sha256) = 64),
    report            TEXT NOT NULL CHECK (json_valid(report)),
    status            TEXT NOT NULL CHECK (status IN ('assembled', 'sealed', 'released', 'discarded')),
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE paper (
    id                TEXT PRIMARY KEY,
    assembly_id       TEXT NOT NULL REFERENCES paper_assembly(id),
    form              INTEGER NOT NULL CHECK (form >= 1),
    total_points      REAL NOT NULL,
    difficulty_mean   REAL NOT NULL,
    ciphertext        BLOB,
    wrapped_key       BLOB,
    encapsulated_key  BLOB,
    kek_version       INTEGER,
    sealed_at         INTEGER,
    released_at       INTEGER,
    UNIQUE (assembly_id, form),
    CHECK ((ciphertext IS NULL) = (sealed_at IS NULL))
);

CREATE TABLE paper_item (
    paper_id   TEXT NOT NULL REFERENCES paper(id),
    position   INTEGER NOT NULL CHECK (position >= 0),
    item_id    TEXT NOT NULL REFERENCES item(id),
    version    INTEGER NOT NULL,
    points     REAL NOT NULL CHECK (points > 0),
    PRIMARY KEY (paper_id, position)
) WITHOUT ROWID;
CREATE INDEX paper_item_by_item ON paper_item(item_id);
