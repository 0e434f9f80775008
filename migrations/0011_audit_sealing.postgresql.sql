-- The audit log without a global lock (issue 12): writers insert rows unchained, in their own
-- transaction, with no table lock and no read of the last row; one sequencer (the host's audit
-- sealer, under an advisory lock) later seals committed rows into the hash chain in its own order.
--  * seq: the row's place in the chain, assigned at sealing (ids commit out of order, so the
--    chain order is seq, not id). NULL while the row waits to be sealed.
--  * sealed_at: when the sealer chained the row. Rows chained at insert before this migration
--    keep their hashes (which do not cover seq) and get seq in id order with sealed_at NULL;
--    every row sealed from now on has sealed_at set and a hash that covers its seq.
--  * inserted_at: the database's own clock at insert, for the age of rows waiting to be sealed
--    (occurred_at is the application's clock).
DROP TRIGGER audit_log_no_update ON audit_log;
ALTER TABLE audit_log ADD COLUMN seq BIGINT UNIQUE;
ALTER TABLE audit_log ADD COLUMN sealed_at TIMESTAMPTZ;
ALTER TABLE audit_log ADD COLUMN inserted_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
UPDATE audit_log AS a SET seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) AS o
  WHERE a.id = o.id;
-- A row is either waiting (no chain fields) or sealed (all of them; sealed_at only for rows the
-- sealer chained).
ALTER TABLE audit_log ADD CONSTRAINT audit_log_sealed_or_pending CHECK (
  (seq IS NULL AND prev_hash IS NULL AND hash IS NULL AND sealed_at IS NULL)
  OR (seq IS NOT NULL AND seq >= 1 AND prev_hash IS NOT NULL AND hash IS NOT NULL));
-- The sealer's scan: the rows still waiting, in id order.
CREATE INDEX audit_log_pending_idx ON audit_log (id) WHERE seq IS NULL;

-- Rows are born waiting: only the sealer's UPDATE chains them.
CREATE FUNCTION audit_log_born_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log rows are inserted unsealed (seq, prev_hash, hash and sealed_at are set by the sealer)';
END;
$$;
CREATE TRIGGER audit_log_insert_pending BEFORE INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL
                     OR NEW.sealed_at IS NOT NULL)
  EXECUTE FUNCTION audit_log_born_pending();

-- Still append-only: the one UPDATE allowed is the sealer's, which sets the chain fields of a row
-- that has none and changes nothing else. A sealed row can no longer be changed at all.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW WHEN (NOT (
    OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL AND OLD.sealed_at IS NULL
    AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.sealed_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at AND NEW.inserted_at = OLD.inserted_at
    AND NEW.actor = OLD.actor AND NEW.action = OLD.action AND NEW.entity = OLD.entity
    AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.data::text = OLD.data::text))
  EXECUTE FUNCTION audit_log_append_only();
