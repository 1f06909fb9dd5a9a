-- 0011 key corrections: an objective item's key corrected after sittings used it. Scoring overlays
-- these on the sealed papers' keys; the sittings whose scores held the item are rescored.

CREATE TABLE key_correction (
    id            INTEGER PRIMARY KEY,
    item_id       TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    answer        TEXT NOT NULL CHECK (json_valid(answer)),
    reason        TEXT NOT NULL,
    corrected_by  TEXT NOT NULL,
    corrected_at  INTEGER NOT NULL
);
CREATE INDEX key_correction_item ON key_correction (item_id, version, id);
