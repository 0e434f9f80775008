-- The client address of the request an audit entry came from (issue 17): the address the HTTP
-- server resolved (X-Forwarded-For / Forwarded only from server.trusted_proxies, else the socket's
-- peer). NULL for entries not written for a request (jobs, the CLI, SIGHUP reloads) and for every
-- entry written before this migration. Covered by the chain's hash when set (the canonical entry
-- gains "client_address"; entries without one hash as before, so the old chain still verifies).
-- SQLite flavour; keep in step with 0028_audit_client_address.postgresql.sql.
ALTER TABLE audit_log ADD COLUMN client_address TEXT;

-- The sealer's UPDATE may not change it either.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  WHEN NOT (OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL AND OLD.sealed_at IS NULL
            AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
            AND NEW.sealed_at IS NOT NULL
            AND NEW.id IS OLD.id AND NEW.occurred_at IS OLD.occurred_at AND NEW.inserted_at IS OLD.inserted_at
            AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
            AND NEW.entity_id IS OLD.entity_id AND NEW.data IS OLD.data
            AND NEW.client_address IS OLD.client_address)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
