-- 0013 marking integrity: what is decided stays decided. A final submission's marked score, a
-- decided re-check and a batch's publication cannot be changed by any statement.

CREATE TRIGGER marking_submission_final_no_update BEFORE UPDATE ON marking_submission WHEN OLD.status = 'final'
BEGIN SELECT RAISE(ABORT, 'a final submission cannot be changed'); END;

CREATE TRIGGER recheck_decided_no_update BEFORE UPDATE ON recheck WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, 'a decided re-check cannot be changed'); END;

CREATE TRIGGER result_batch_published_stays BEFORE UPDATE OF published_at, published_by ON result_batch WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a published batch stays published'); END;

CREATE INDEX recheck_candidate ON recheck (candidate_id, id);
