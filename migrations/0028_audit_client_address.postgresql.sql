-- The client address of the request an audit entry came from (issue 17): the address the HTTP
-- server resolved (X-Forwarded-For / Forwarded only from server.trusted_proxies, else the socket's
-- peer). NULL for entries not written for a request (jobs, the CLI, SIGHUP reloads) and for every
-- entry written before this migration. Covered by the chain's hash when set (the canonical entry
-- gains "client_address"; entries without one hash as before, so the old chain still verifies).
-- PostgreSQL flavour; keep in step with 0028_audit_client_address.sqlite.sql.
ALTER TABLE audit_log ADD COLUMN client_address TEXT;

-- The sealer's UPDATE may not change it either.
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW WHEN (NOT (
    OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL AND OLD.sealed_at IS NULL
    AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.sealed_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at AND NEW.inserted_at = OLD.inserted_at
    AND NEW.actor = OLD.actor AND NEW.action = OLD.action AND NEW.entity = OLD.entity
    AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.data::text = OLD.data::text
    AND NEW.client_address IS NOT DISTINCT FROM OLD.client_address))
  EXECUTE FUNCTION audit_log_append_only();
