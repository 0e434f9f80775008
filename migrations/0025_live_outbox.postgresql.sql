-- The live feed's notifications leave the writers' transactions (issue 12). A transaction that
-- calls pg_notify takes, at commit, one lock for the whole cluster (the "object" lock on database
-- 0, async.c's PreCommit_Notify) and holds it until its commit record is flushed: every purchase
-- (its reserve and its confirmation each notified) queued behind every other one's fsync, so group
-- commit never happened. Measured with bench/api/run.sh PROFILE=1 before this change: 18 of 40
-- samples of active backends waited on Lock:object, and the purchase's own SQL under pgbench ran
-- at 40-84 tps with the trigger and 148-185 without it, back to back.
--
-- Now the triggers of 0018 write their payload to live_outbox (an insert takes no shared lock) and
-- the hosts relay it (storage/live_outbox_relay.hpp): rifa_live_relay() takes the outbox rows in
-- id order under an advisory lock (one relay at a time across hosts) and sends each as before on
-- channel rifa_live, with "q" (its id) added, so that NOTIFY's folding of equal payloads within one
-- transaction never drops an event. The relay's commit needs no flush (synchronous_commit off):
-- the rows it relays committed durably before it could see them, and a relay lost in a crash is
-- sent again from the rows it had not yet deleted.
--
-- Order: the listeners still see changes of one row in the order they committed. An outbox id is
-- taken at the end of the writing statement, once its row locks are held, so a later change of
-- the same row (which waited for those locks) always gets a higher id; the relay sends in id order,
-- one relay at a time. PostgreSQL only (SQLite has no NOTIFY; its capture is in-process).

CREATE TABLE live_outbox (
  id BIGSERIAL PRIMARY KEY,
  payload TEXT NOT NULL
);

CREATE OR REPLACE FUNCTION rifa_live_notify(payload TEXT, rifa TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF octet_length(payload) > 7900 THEN
    payload := json_build_object('k', 's', 'r', rifa)::text;
  END IF;
  INSERT INTO live_outbox (payload) VALUES (payload);
END
$$;

-- Winners removed (a recalculation): the hosts read the rifa again (as in 0018, through the outbox).
CREATE OR REPLACE FUNCTION rifa_live_ganadores_gone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r TEXT;
BEGIN
  FOR r IN SELECT DISTINCT t.rifa_id FROM live_old w JOIN tickets t ON t.id = w.ticket_id LOOP
    PERFORM rifa_live_notify(json_build_object('k', 's', 'r', r)::text, r);
  END LOOP;
  RETURN NULL;
END
$$;

-- Sends at most `batch` outbox rows, oldest first, and deletes them; returns how many. Waits for a
-- relay running on another session (the advisory lock "LIVE"), then sees what that one deleted
-- (each statement of a VOLATILE function takes a new snapshot).
CREATE FUNCTION rifa_live_relay(batch INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  e RECORD;
  n INTEGER := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(1279874629);
  FOR e IN
    WITH d AS (DELETE FROM live_outbox WHERE id IN (SELECT o.id FROM live_outbox o ORDER BY o.id LIMIT batch)
               RETURNING live_outbox.id, live_outbox.payload)
    SELECT d.id, d.payload FROM d ORDER BY d.id
  LOOP
    PERFORM pg_notify('rifa_live', left(e.payload, -1) || ',"q":' || e.id || '}');
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
