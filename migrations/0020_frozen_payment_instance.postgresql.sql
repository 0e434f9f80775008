-- The payment plugin instance of a rifa, frozen when it is activated (issue 17: a config reload
-- changes bindings only for rifas not yet activa). NULL for rifas still pendiente and for rifas
-- activated before this migration (the first config reload writes the instance they use then).
-- Not part of the hashed commitment: it does not decide the draw. Once set it never changes.
-- PostgreSQL flavour; keep in step with 0020_frozen_payment_instance.sqlite.sql.
ALTER TABLE rifas ADD COLUMN payment_instance TEXT;

CREATE FUNCTION rifas_payment_instance_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.payment_instance IS NOT NULL AND NEW.payment_instance IS DISTINCT FROM OLD.payment_instance THEN
    RAISE EXCEPTION 'rifas: the payment instance of an activated rifa is frozen';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER rifas_payment_instance_frozen BEFORE UPDATE OF payment_instance ON rifas
  FOR EACH ROW EXECUTE FUNCTION rifas_payment_instance_frozen();
