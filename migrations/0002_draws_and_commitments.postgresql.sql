-- Draw dates, frozen commitments and the draws taken from lottery plugins. PostgreSQL flavour;
-- 0002_draws_and_commitments.sqlite.sql explains each column.

ALTER TABLE rifas ADD COLUMN fecha_sorteo DATE;
ALTER TABLE rifas ADD COLUMN commitment JSON;
ALTER TABLE rifas ADD COLUMN activada_en TIMESTAMPTZ;

CREATE TABLE resultados_sorteo (
  id TEXT PRIMARY KEY,
  rifa_id TEXT NOT NULL UNIQUE REFERENCES rifas (id) ON DELETE RESTRICT,
  plugin_instance TEXT NOT NULL CHECK (length(plugin_instance) >= 1),
  fecha_sorteo DATE NOT NULL,
  sorteo INTEGER CHECK (sorteo IS NULL OR sorteo >= 0),
  resultado JSON NOT NULL,
  source_url TEXT,
  raw_sha256 TEXT CHECK (raw_sha256 IS NULL OR length(raw_sha256) = 64),
  tomado_en TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE resultados_rechazados (
  id TEXT PRIMARY KEY,
  rifa_id TEXT NOT NULL REFERENCES rifas (id) ON DELETE CASCADE,
  plugin_instance TEXT NOT NULL,
  fecha_sorteo DATE NOT NULL,
  respuesta TEXT NOT NULL,
  motivo TEXT NOT NULL CHECK (length(motivo) >= 1),
  rechazado_en TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX resultados_rechazados_rifa_idx ON resultados_rechazados (rifa_id);
