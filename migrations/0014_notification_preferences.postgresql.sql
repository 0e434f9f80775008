-- Players choose their notification channels (issue 14): users.notificaciones holds a JSON object
-- of channel → boolean ({"email": false}); NULL or a channel not listed means on. PostgreSQL
-- flavour; keep in step with 0014_notification_preferences.sqlite.sql. TEXT, not jsonb: only the
-- host reads it, whole, and both backends then bind it alike.
ALTER TABLE users ADD COLUMN notificaciones TEXT;
