-- Never two deliveries of one event through one notifier, across hosts (issue 14): a worker claims
-- (event_id, notifier) here, in its own committed transaction, before it hands the event over, and
-- marks it sent after. A claim whose worker died ('sending' past claimed_until_ms) is taken over
-- by the next attempt; a failed delivery deletes its claim. Times in Unix ms. SQLite flavour; keep
-- in step with 0023_notification_deliveries.postgresql.sql.
CREATE TABLE notification_deliveries (
  event_id TEXT NOT NULL,
  notifier TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
  owner TEXT NOT NULL,
  claimed_until_ms INTEGER NOT NULL,
  claims INTEGER NOT NULL DEFAULT 1,
  sent_at_ms INTEGER,
  PRIMARY KEY (event_id, notifier)
);
