-- Verifiable draws: the seed of random number assignment, and the database's own guarantee that a
-- rifa's commitment never changes once it is frozen. PostgreSQL flavour; keep in step with
-- 0006_verification.sqlite.sql.

-- Random assignment hands out numbers from this seed (64 hex chars). Its SHA-256 goes into the
-- commitment when the rifa becomes activa; the seed itself is shown only once sales end, so
-- nobody can predict which numbers a purchase gets, and anyone can check afterwards.
ALTER TABLE rifas ADD COLUMN assignment_seed TEXT
  CHECK (assignment_seed IS NULL OR assignment_seed ~ '^[0-9a-f]{64}$');

-- commitment, commitment_hash and activada_en are written together at activation, or not at all.
ALTER TABLE rifas ADD CONSTRAINT rifas_commitment_complete
  CHECK ((commitment IS NULL) = (commitment_hash IS NULL) AND (commitment IS NULL) = (activada_en IS NULL));

-- Once frozen, nothing the commitment covers may change: not the commitment itself, nor the columns
-- it was built from. The engine refuses such edits first with a 409 naming the field; this is the
-- last line, for any other writer. json has no equality operator, so JSON columns compare as text
-- (json keeps the text as written).
CREATE FUNCTION rifas_commitment_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.commitment IS NOT NULL AND (
       NEW.commitment::text IS DISTINCT FROM OLD.commitment::text
    OR NEW.commitment_hash IS DISTINCT FROM OLD.commitment_hash
    OR NEW.activada_en IS DISTINCT FROM OLD.activada_en
    OR NEW.assignment_seed IS DISTINCT FROM OLD.assignment_seed
    OR NEW.categoria_id IS DISTINCT FROM OLD.categoria_id
    OR NEW.loteria_id IS DISTINCT FROM OLD.loteria_id
    OR NEW.numero_ganadores IS DISTINCT FROM OLD.numero_ganadores
    OR NEW.reglas::text IS DISTINCT FROM OLD.reglas::text
    OR NEW.total_boletas IS DISTINCT FROM OLD.total_boletas
    OR NEW.assignment IS DISTINCT FROM OLD.assignment
    OR NEW.fecha_sorteo IS DISTINCT FROM OLD.fecha_sorteo) THEN
    RAISE EXCEPTION 'rifas: the commitment of an activated rifa is frozen';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER rifas_commitment_frozen BEFORE UPDATE ON rifas
  FOR EACH ROW EXECUTE FUNCTION rifas_commitment_frozen();
