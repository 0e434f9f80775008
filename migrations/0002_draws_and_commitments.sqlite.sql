-- Draw dates, frozen commitments and the draws taken from lottery plugins. SQLite flavour; keep in
-- step with 0002_draws_and_commitments.postgresql.sql.

-- The lottery draw that decides the rifa (YYYY-MM-DD in America/Bogota). Set when the rifa is
-- created (by default the first draw of its lottery on or after fecha_fin).
ALTER TABLE rifas ADD COLUMN fecha_sorteo TEXT
  CHECK (fecha_sorteo IS NULL OR fecha_sorteo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
-- Frozen when the rifa becomes activa: lottery instance, draw date, rules, number of tickets,
-- assignment rule (settlement/commitment.hpp). commitment_hash (0001) is its SHA-256.
ALTER TABLE rifas ADD COLUMN commitment TEXT CHECK (commitment IS NULL OR json_valid(commitment));
ALTER TABLE rifas ADD COLUMN activada_en TEXT;

-- The draw a rifa was settled on, exactly as the lottery plugin returned it, with where it came
-- from and the SHA-256 of the raw page, so anyone can check it. One per rifa: a settled draw is
-- never replaced (recalculation reuses it).
CREATE TABLE resultados_sorteo (
  id TEXT PRIMARY KEY,
  rifa_id TEXT NOT NULL UNIQUE REFERENCES rifas (id) ON DELETE RESTRICT,
  plugin_instance TEXT NOT NULL CHECK (length(plugin_instance) >= 1),
  fecha_sorteo TEXT NOT NULL CHECK (fecha_sorteo GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  sorteo INTEGER CHECK (sorteo IS NULL OR sorteo >= 0),
  resultado TEXT NOT NULL CHECK (json_valid(resultado)),
  source_url TEXT,
  raw_sha256 TEXT CHECK (raw_sha256 IS NULL OR length(raw_sha256) = 64),
  tomado_en TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Draws a plugin answered with but that failed validation (wrong date, numbers out of range):
-- kept for the operator, never used for settlement.
CREATE TABLE resultados_rechazados (
  id TEXT PRIMARY KEY,
  rifa_id TEXT NOT NULL REFERENCES rifas (id) ON DELETE CASCADE,
  plugin_instance TEXT NOT NULL,
  fecha_sorteo TEXT NOT NULL,
  respuesta TEXT NOT NULL,
  motivo TEXT NOT NULL CHECK (length(motivo) >= 1),
  rechazado_en TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX resultados_rechazados_rifa_idx ON resultados_rechazados (rifa_id);
