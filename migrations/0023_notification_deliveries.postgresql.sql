-- Never two deliveries of one event through one notifier, across hosts (issue 14): a worker claims
-- (event_id, notifier) here, in its own committed transaction, before it hands the event over, and
-- marks it sent after. A claim whose worker died ('sending' past claimed_until_ms) is taken over
-- by the next attempt; a failed delivery deletes its claim. Times in Unix ms. PostgreSQL flavour;
-- keep in step with 0023_notification_deliveries.sqlite.sql.
CREATE TABLE notification_deliveries (
  event_id TEXT NOT NULL,
  notifier TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
  owner TEXT NOT NULL,
  claimed_until_ms BIGINT NOT NULL,
  claims INTEGER NOT NULL DEFAULT 1,
  sent_at_ms BIGINT,
  PRIMARY KEY (event_id, notifier)
);

-- The live feed's triggers (0018) can be switched off per database, role or session with the
-- setting rifa.live_notify = off (ALTER DATABASE rifa SET rifa.live_notify = off; or PGOPTIONS),
-- for a deployment that serves no live feed, and to measure what they cost a purchase
-- (bench/api/run.sh run with PGOPTIONS='-c rifa.live_notify=off'). Hosts with subscribers then see
-- nothing from the sessions that have it off. Unset, or anything but 'off', means on.
CREATE OR REPLACE TRIGGER rifa_live_tickets AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS live_old NEW TABLE AS live_new
  FOR EACH STATEMENT WHEN (current_setting('rifa.live_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION rifa_live_tickets();
CREATE OR REPLACE TRIGGER rifa_live_rifas AFTER UPDATE OF estado ON rifas
  FOR EACH ROW WHEN (OLD.estado IS DISTINCT FROM NEW.estado
                     AND current_setting('rifa.live_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION rifa_live_rifas();
CREATE OR REPLACE TRIGGER rifa_live_resultado AFTER INSERT OR UPDATE OF resultado ON resultados_sorteo
  FOR EACH ROW WHEN (current_setting('rifa.live_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION rifa_live_resultado();
CREATE OR REPLACE TRIGGER rifa_live_ganadores AFTER INSERT ON ganadores
  REFERENCING NEW TABLE AS live_new
  FOR EACH STATEMENT WHEN (current_setting('rifa.live_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION rifa_live_ganadores();
CREATE OR REPLACE TRIGGER rifa_live_ganadores_gone AFTER DELETE ON ganadores
  REFERENCING OLD TABLE AS live_old
  FOR EACH STATEMENT WHEN (current_setting('rifa.live_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION rifa_live_ganadores_gone();
