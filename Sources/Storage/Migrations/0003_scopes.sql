-- 0003: occupation scopes for staff, and the approved version of an item.

-- The occupations a staff member works in (an item author writes and reviews items of these
-- occupations; later examiners and invigilators are drawn per occupation). Empty = none.
CREATE TABLE account_occupation (
    account_id  TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    occupation  TEXT NOT NULL CHECK (length(occupation) BETWEEN 1 AND 20),
    PRIMARY KEY (account_id, occupation)
) WITHOUT ROWID;

-- The version papers use. A revision of an active item is a new draft version; the approved one
-- stays in use until the revision is approved. NULL until a version is first approved.
ALTER TABLE item ADD COLUMN active_version INTEGER CHECK (active_version IS NULL OR active_version >= 1);
UPDATE item SET active_version = current_version WHERE status IN ('active', 'retired');
