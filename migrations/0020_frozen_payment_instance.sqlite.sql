-- The payment plugin instance of a rifa, frozen when it is activated (issue 17: a config reload
-- changes bindings only for rifas not yet activa). NULL for rifas still pendiente and for rifas
-- activated before this migration (the first config reload writes the instance they use then).
-- Not part of the hashed commitment: it does not decide the draw. Once set it never changes.
-- SQLite flavour; keep in step with 0020_frozen_payment_instance.postgresql.sql.
ALTER TABLE rifas ADD COLUMN payment_instance TEXT;

CREATE TRIGGER rifas_payment_instance_frozen BEFORE UPDATE OF payment_instance ON rifas
WHEN OLD.payment_instance IS NOT NULL AND NEW.payment_instance IS NOT OLD.payment_instance
BEGIN
  SELECT RAISE(ABORT, 'rifas: the payment instance of an activated rifa is frozen');
END;
