-- Big rifas are cheap to create (issue 12): a rifa's tickets are written by one INSERT ... SELECT,
-- and what each of those rows costs besides its heap tuple is cut down. PostgreSQL flavour; keep
-- in step with 0012_big_rifas.sqlite.sql.
--
-- 1. Indexes on columns a free ticket leaves NULL held one entry per ticket all the same
--    (PostgreSQL's btree indexes NULLs): every lookup through them names a value (usuario_id =,
--    transaccion_id =, or the reserved tickets whose hold has passed), so partial indexes answer
--    the same queries and a new rifa's tickets add nothing to them.
DROP INDEX tickets_usuario_idx;
CREATE INDEX tickets_usuario_idx ON tickets (usuario_id) WHERE usuario_id IS NOT NULL;
DROP INDEX tickets_transaccion_idx;
CREATE INDEX tickets_transaccion_idx ON tickets (transaccion_id) WHERE transaccion_id IS NOT NULL;
-- Hold expiry asks "estado = 'reservado' AND hold_expires_at < now" (sql_sales_repository.cpp).
DROP INDEX tickets_hold_idx;
DROP INDEX tickets_estado_hold_idx;
CREATE INDEX tickets_reserved_hold_idx ON tickets (hold_expires_at) WHERE estado = 'reservado';

-- 2. The foreign key tickets.rifa_id → rifas checked each inserted row on its own (a query and a
--    row lock per ticket: measured 10 of the 20 s that a 1,000,000-ticket INSERT took). The same
--    rule, checked once per statement over the rows it inserted:
--    - a ticket's rifa must exist, and is held FOR KEY SHARE until commit as the key check did,
--      so a concurrent DELETE of the rifa waits and then removes the ticket with it;
--    - a ticket moved to another rifa (nothing does) must name one that exists, and a rifa with
--      tickets cannot change its id;
--    - deleting a rifa deletes its tickets (was ON DELETE CASCADE).
ALTER TABLE tickets DROP CONSTRAINT tickets_rifa_id_fkey;

CREATE FUNCTION tickets_rifa_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  missing TEXT;
BEGIN
  SELECT array_agg(d.rifa_id) INTO ids FROM (SELECT DISTINCT i.rifa_id FROM inserted i) d;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM rifas r WHERE r.id = ANY (ids) FOR KEY SHARE OF r;
  SELECT u.id INTO missing FROM unnest(ids) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM rifas r WHERE r.id = u.id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert on table "tickets" violates foreign key: rifa_id (%) is not present in table "rifas"', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER tickets_rifa_exists AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tickets_rifa_exists();

CREATE FUNCTION tickets_rifa_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.rifa_id IS DISTINCT FROM OLD.rifa_id THEN
    PERFORM 1 FROM rifas r WHERE r.id = NEW.rifa_id FOR KEY SHARE OF r;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'update on table "tickets" violates foreign key: rifa_id (%) is not present in table "rifas"',
        NEW.rifa_id USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER tickets_rifa_moved BEFORE UPDATE OF rifa_id ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_rifa_moved();

CREATE FUNCTION rifas_ticket_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM tickets WHERE rifa_id = OLD.id;
    RETURN OLD;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id AND EXISTS (SELECT 1 FROM tickets t WHERE t.rifa_id = OLD.id) THEN
    RAISE EXCEPTION 'rifas.id cannot change while tickets reference it' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER rifas_ticket_keys_delete AFTER DELETE ON rifas
  FOR EACH ROW EXECUTE FUNCTION rifas_ticket_keys();
CREATE TRIGGER rifas_ticket_keys_update BEFORE UPDATE OF id ON rifas
  FOR EACH ROW EXECUTE FUNCTION rifas_ticket_keys();
