-- The app's next step while a payment is pending (issue 13): the payment plugin's next_action
-- (redirect / client_secret / wait) as JSON text, kept with the transaccion so that GET
-- /transacciones/{id} can say it again; NULL once the payment leaves pending. SQLite flavour; keep
-- in step with 0015_next_action.postgresql.sql.
ALTER TABLE transacciones ADD COLUMN next_action TEXT;
