-- Verifiable draws: the seed of random number assignment, and the database's own guarantee that a
-- rifa's commitment never changes once it is frozen. SQLite flavour; keep in step with
-- 0006_verification.postgresql.sql.

-- Random assignment hands out numbers from this seed (64 hex chars). Its SHA-256 goes into the
-- commitment when the rifa becomes activa; the seed itself is shown only once sales end, so
-- nobody can predict which numbers a purchase gets, and anyone can check afterwards.
ALTER TABLE rifas ADD COLUMN assignment_seed TEXT
  CHECK (assignment_seed IS NULL OR (length(assignment_seed) = 64 AND assignment_seed NOT GLOB '*[^0-9a-f]*'));

-- commitment, commitment_hash and activada_en are written together at activation, or not at all.
-- (SQLite cannot add a table CHECK to an existing table, so triggers hold the rule here.)
CREATE TRIGGER rifas_commitment_complete_insert BEFORE INSERT ON rifas
WHEN (NEW.commitment IS NULL) <> (NEW.commitment_hash IS NULL) OR (NEW.commitment IS NULL) <> (NEW.activada_en IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'rifas: commitment, commitment_hash and activada_en are set together');
END;
CREATE TRIGGER rifas_commitment_complete_update BEFORE UPDATE ON rifas
WHEN (NEW.commitment IS NULL) <> (NEW.commitment_hash IS NULL) OR (NEW.commitment IS NULL) <> (NEW.activada_en IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'rifas: commitment, commitment_hash and activada_en are set together');
END;

-- Once frozen, nothing the commitment covers may change: not the commitment itself, nor the columns
-- it was built from. The engine refuses such edits first with a 409 naming the field; this is the
-- last line, for any other writer.
CREATE TRIGGER rifas_commitment_frozen BEFORE UPDATE ON rifas
WHEN OLD.commitment IS NOT NULL AND (
  NEW.commitment IS NOT OLD.commitment OR NEW.commitment_hash IS NOT OLD.commitment_hash
  OR NEW.activada_en IS NOT OLD.activada_en OR NEW.assignment_seed IS NOT OLD.assignment_seed
  OR NEW.categoria_id IS NOT OLD.categoria_id OR NEW.loteria_id IS NOT OLD.loteria_id
  OR NEW.numero_ganadores IS NOT OLD.numero_ganadores OR NEW.reglas IS NOT OLD.reglas
  OR NEW.total_boletas IS NOT OLD.total_boletas OR NEW.assignment IS NOT OLD.assignment
  OR NEW.fecha_sorteo IS NOT OLD.fecha_sorteo)
BEGIN
  SELECT RAISE(ABORT, 'rifas: the commitment of an activated rifa is frozen');
END;
