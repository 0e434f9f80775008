-- Playing by Colombian rules (issue 15, items 2 to 4): adults only, self-exclusion and spending
-- limits, habeas data (Ley 1581 de 2012). SQLite flavour: timestamps are TEXT in storage/timestamps.hpp's form; keep in step with
-- 0017_players.postgresql.sql.
--
-- users.fecha_nacimiento: 'YYYY-MM-DD' (a calendar date, no time zone: the age is computed on the
--   America/Bogota date of "now"). NULL for accounts made before this migration: they cannot buy
--   until the player adds it (PATCH /users/{id}).
-- users.documento_tipo / documento_numero: the identity document (CC, CE, PP; TI is a minor's
--   document and refused at sign-up, but kept in the CHECK so an admin's data fix is possible).
-- users.consentimiento_version / consentimiento_en: the data policy the player accepted, and when.
-- users.autoexcluido_hasta: the end of the self-exclusion in force (2199-12-31 for an indefinite one
--   until its lift is requested); the purchase reads it with the buyer, in its first statement.
-- users.limites: JSON {"diario", "semanal", "mensual"} in cents (null = none), in force;
--   users.limites_pendientes: JSON {"limites": {...}, "desde": ts}, a raise waiting for its 24 h.
-- users.ultima_actividad: the last log-in (the retention of personal data counts from the latest
--   of it, the account's creation and its last transaccion).
-- users.anonimizado_en: when the personal fields were erased.
ALTER TABLE users ADD COLUMN fecha_nacimiento TEXT CHECK (fecha_nacimiento IS NULL OR length(fecha_nacimiento) = 10);
ALTER TABLE users ADD COLUMN documento_tipo TEXT CHECK (documento_tipo IS NULL OR documento_tipo IN ('CC', 'CE', 'PP', 'TI'));
ALTER TABLE users ADD COLUMN documento_numero TEXT CHECK (documento_numero IS NULL OR length(documento_numero) BETWEEN 1 AND 32);
ALTER TABLE users ADD COLUMN consentimiento_version TEXT;
ALTER TABLE users ADD COLUMN consentimiento_en TEXT;
ALTER TABLE users ADD COLUMN autoexcluido_hasta TEXT;
ALTER TABLE users ADD COLUMN limites TEXT;
ALTER TABLE users ADD COLUMN limites_pendientes TEXT;
ALTER TABLE users ADD COLUMN ultima_actividad TEXT;
ALTER TABLE users ADD COLUMN anonimizado_en TEXT;

-- Every self-exclusion a player made (admins and operadores list them; nobody deletes them).
-- hasta: NULL for an indefinite one until its lift is requested (levantamiento_solicitado_en),
-- then the time it ends (7 days after the request).
CREATE TABLE autoexclusiones (
  id TEXT PRIMARY KEY,
  usuario_id TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  periodo TEXT NOT NULL CHECK (periodo IN ('30d', '6m', '1y', 'indefinida')),
  desde TEXT NOT NULL,
  hasta TEXT,
  levantamiento_solicitado_en TEXT,
  CHECK (periodo = 'indefinida' OR (hasta IS NOT NULL AND levantamiento_solicitado_en IS NULL))
);
CREATE INDEX autoexclusiones_usuario_idx ON autoexclusiones (usuario_id);
-- The spending sums of a limited player: their transacciones of the last month, by time.
CREATE INDEX transacciones_user_created_idx ON transacciones (user_id, created_at);
