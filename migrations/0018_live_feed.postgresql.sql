-- The live feed (issue 14 item 4): every change a subscriber of GET /rifas/{id}/live must see is
-- announced with pg_notify('rifa_live', payload) by the statement that makes it, so it reaches
-- every host LISTENing on this database (storage/live/live_sources.hpp) when, and only when, the
-- transaction commits, in commit order. No code path that writes these tables has to remember it.
-- Payloads are small JSON objects (PostgreSQL caps them at 8000 bytes):
--   {"k":"t","r":rifa,"e":estado,"u":owner|null,"n":[numeros],"ts":ms}  tickets that changed estado
--   {"k":"r","r":rifa,"e":estado,"ts":ms}                               the rifa's estado
--   {"k":"d","r":rifa,"v":resultado,"ts":ms}                            the draw stored
--   {"k":"g","r":rifa,"w":[{"n","u","tier","m"}],"ts":ms}                winners written
--   {"k":"s","r":rifa}                   too much to list: hosts read the rifa again
-- Tickets are announced once per UPDATE statement and (rifa, estado, owner): a purchase's reserve
-- and its confirmation are one statement each. SQLite has no NOTIFY: one host, captured in-process.

CREATE FUNCTION rifa_live_notify(payload TEXT, rifa TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF octet_length(payload) > 7900 THEN
    payload := json_build_object('k', 's', 'r', rifa)::text;
  END IF;
  PERFORM pg_notify('rifa_live', payload);
END
$$;

CREATE FUNCTION rifa_live_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
BEGIN
  FOR g IN
    SELECT n.rifa_id, n.estado, COALESCE(n.usuario_id, o.usuario_id) AS usuario_id,
           array_agg(n.numero ORDER BY n.numero) AS numeros
      FROM live_new n JOIN live_old o ON o.id = n.id
     WHERE n.estado IS DISTINCT FROM o.estado OR n.usuario_id IS DISTINCT FROM o.usuario_id
     GROUP BY 1, 2, 3
  LOOP
    PERFORM rifa_live_notify(json_build_object('k', 't', 'r', g.rifa_id, 'e', g.estado, 'u', g.usuario_id,
                                               'n', g.numeros,
                                               'ts', extract(epoch FROM clock_timestamp()) * 1000)::text,
                             g.rifa_id);
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER rifa_live_tickets AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS live_old NEW TABLE AS live_new
  FOR EACH STATEMENT EXECUTE FUNCTION rifa_live_tickets();

CREATE FUNCTION rifa_live_rifas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rifa_live_notify(json_build_object('k', 'r', 'r', NEW.id, 'e', NEW.estado,
                                             'ts', extract(epoch FROM clock_timestamp()) * 1000)::text, NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER rifa_live_rifas AFTER UPDATE OF estado ON rifas
  FOR EACH ROW WHEN (OLD.estado IS DISTINCT FROM NEW.estado) EXECUTE FUNCTION rifa_live_rifas();

CREATE FUNCTION rifa_live_resultado() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rifa_live_notify(json_build_object('k', 'd', 'r', NEW.rifa_id, 'v', NEW.resultado,
                                             'ts', extract(epoch FROM clock_timestamp()) * 1000)::text,
                           NEW.rifa_id);
  RETURN NULL;
END
$$;
CREATE TRIGGER rifa_live_resultado AFTER INSERT OR UPDATE OF resultado ON resultados_sorteo
  FOR EACH ROW EXECUTE FUNCTION rifa_live_resultado();

CREATE FUNCTION rifa_live_ganadores() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
BEGIN
  FOR g IN
    SELECT t.rifa_id,
           json_agg(json_build_object('n', t.numero, 'u', t.usuario_id, 'tier', w.tier, 'm', w.monto_ganado)) AS w
      FROM live_new w JOIN tickets t ON t.id = w.ticket_id
     GROUP BY t.rifa_id
  LOOP
    PERFORM rifa_live_notify(json_build_object('k', 'g', 'r', g.rifa_id, 'w', g.w,
                                               'ts', extract(epoch FROM clock_timestamp()) * 1000)::text,
                             g.rifa_id);
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER rifa_live_ganadores AFTER INSERT ON ganadores
  REFERENCING NEW TABLE AS live_new FOR EACH STATEMENT EXECUTE FUNCTION rifa_live_ganadores();

-- Winners removed (a recalculation): the hosts read the rifa again.
CREATE FUNCTION rifa_live_ganadores_gone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r TEXT;
BEGIN
  FOR r IN SELECT DISTINCT t.rifa_id FROM live_old w JOIN tickets t ON t.id = w.ticket_id LOOP
    PERFORM pg_notify('rifa_live', json_build_object('k', 's', 'r', r)::text);
  END LOOP;
  RETURN NULL;
END
$$;
CREATE TRIGGER rifa_live_ganadores_gone AFTER DELETE ON ganadores
  REFERENCING OLD TABLE AS live_old FOR EACH STATEMENT EXECUTE FUNCTION rifa_live_ganadores_gone();
