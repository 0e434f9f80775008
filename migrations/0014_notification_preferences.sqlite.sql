-- Players choose their notification channels (issue 14): users.notificaciones holds a JSON object
-- of channel → boolean ({"email": false}); NULL or a channel not listed means on. SQLite flavour;
-- keep in step with 0014_notification_preferences.postgresql.sql.
ALTER TABLE users ADD COLUMN notificaciones TEXT;
