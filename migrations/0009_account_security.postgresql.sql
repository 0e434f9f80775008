-- Accounts hardening (issue 11, items 7 and 9).
--
-- email_skeleton: the UTS #39 confusable skeleton of the normalised email (NFKC + case fold),
-- computed by the application (ICU), so an address that only looks like an existing one (a
-- Cyrillic 'а' for a Latin 'a') collides on this unique index. NULL for rows written before this
-- migration or by hand; the host fills them in at start (AccountService::backfill_email_skeletons),
-- and NULLs never collide with each other.
ALTER TABLE users ADD COLUMN email_skeleton TEXT;
CREATE UNIQUE INDEX users_email_skeleton_key ON users (email_skeleton);

-- tokens_valid_from_s: access tokens whose iat (Unix seconds) is below it are refused. A password
-- change, a role change and a (de)activation move it past the current second.
ALTER TABLE users ADD COLUMN tokens_valid_from_s BIGINT NOT NULL DEFAULT 0;

-- Failed log-ins per throttle key ('account:<email>' or 'ip:<address>'), in the database so every
-- host sharing it throttles the same attacker. Times are Unix milliseconds: compared in SQL the
-- same way on both backends.
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 1),
  last_failure_ms BIGINT NOT NULL,
  blocked_until_ms BIGINT NOT NULL DEFAULT 0
);
-- Old keys are deleted by their last failure (LoginThrottle's pruning).
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_ms);
