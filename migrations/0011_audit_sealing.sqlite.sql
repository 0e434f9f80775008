-- The audit log without a global lock (issue 12): writers insert rows unchained, in their own
-- transaction, with no read of the last row; one sequencer (the host's audit sealer) later seals
-- committed rows into the hash chain in its own order.
--  * seq: the row's place in the chain, assigned at sealing (the chain order is seq, not id).
--    NULL while the row waits to be sealed.
--  * sealed_at: when the sealer chained the row. Rows chained at insert before this migration
--    keep their hashes (which do not cover seq) and get seq in id order with sealed_at NULL;
--    every row sealed from now on has sealed_at set and a hash that covers its seq.
--  * inserted_at: the database's own clock at insert, for the age of rows waiting to be sealed.
-- SQLite cannot drop NOT NULL from a column, so the table is rebuilt with its rows and ids.
CREATE TABLE audit_log_sealed (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  occurred_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  prev_hash TEXT UNIQUE,
  hash TEXT UNIQUE,
  seq INTEGER UNIQUE,
  sealed_at TEXT,
  inserted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((seq IS NULL AND prev_hash IS NULL AND hash IS NULL AND sealed_at IS NULL)
         OR (seq IS NOT NULL AND seq >= 1 AND prev_hash IS NOT NULL AND hash IS NOT NULL))
);
INSERT INTO audit_log_sealed (id, occurred_at, actor, action, entity, entity_id, data, prev_hash, hash, seq)
  SELECT id, occurred_at, actor, action, entity, entity_id, data, prev_hash, hash,
         row_number() OVER (ORDER BY id)
  FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_sealed RENAME TO audit_log;
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
-- The sealer's scan: the rows still waiting, in id order.
CREATE INDEX audit_log_pending_idx ON audit_log (id) WHERE seq IS NULL;

-- Rows are born waiting: only the sealer's UPDATE chains them.
CREATE TRIGGER audit_log_insert_pending BEFORE INSERT ON audit_log
  WHEN NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.sealed_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows are inserted unsealed (seq, prev_hash, hash and sealed_at are set by the sealer)');
END;
-- Still append-only: the one UPDATE allowed is the sealer's, which sets the chain fields of a row
-- that has none and changes nothing else. A sealed row can no longer be changed at all.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  WHEN NOT (OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL AND OLD.sealed_at IS NULL
            AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
            AND NEW.sealed_at IS NOT NULL
            AND NEW.id IS OLD.id AND NEW.occurred_at IS OLD.occurred_at AND NEW.inserted_at IS OLD.inserted_at
            AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
            AND NEW.entity_id IS OLD.entity_id AND NEW.data IS OLD.data)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
