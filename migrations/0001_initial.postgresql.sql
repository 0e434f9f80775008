-- Rifa1122 initial schema, PostgreSQL flavour. 0001_initial.sqlite.sql explains the shared choices
-- (ids, cents, rake_bp, timestamps, JSON, booleans); keep the two files in step.
-- Here: timestamps are TIMESTAMPTZ (sessions run with TimeZone=UTC), JSON is `json` (keeps the
-- text as written, unlike jsonb), booleans are BOOLEAN.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  nombre TEXT NOT NULL CHECK (length(nombre) BETWEEN 1 AND 120),
  email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 255),
  telefono TEXT CHECK (telefono IS NULL OR length(telefono) <= 32),
  hashed_password TEXT NOT NULL,
  rol TEXT NOT NULL DEFAULT 'jugador' CHECK (rol IN ('jugador', 'admin', 'operador')),
  creado_en TIMESTAMPTZ NOT NULL DEFAULT now(),
  is_active BOOLEAN NOT NULL DEFAULT true
);
-- Unique regardless of case; also the index for log-in lookups by lower(email).
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE loterias (
  id TEXT PRIMARY KEY,
  nombre TEXT NOT NULL CHECK (length(nombre) BETWEEN 1 AND 120),
  descripcion TEXT,
  -- open list in the spec (diaria, semanal, ...), so no CHECK beyond non-empty
  frecuencia TEXT NOT NULL CHECK (length(frecuencia) >= 1),
  url_resultados TEXT,
  meta JSON NOT NULL DEFAULT '{}',
  -- the configured lottery plugin instance id that supplies this lottery's draws
  plugin_instance TEXT NOT NULL CHECK (length(plugin_instance) >= 1)
);

CREATE TABLE categoria_rifa (
  id TEXT PRIMARY KEY,
  nombre TEXT NOT NULL UNIQUE CHECK (length(nombre) BETWEEN 1 AND 120),
  color TEXT CHECK (color IS NULL OR length(color) <= 32),
  valor_boleta BIGINT NOT NULL CHECK (valor_boleta >= 0),
  total_recaudo BIGINT NOT NULL DEFAULT 0 CHECK (total_recaudo >= 0),
  rake_bp INTEGER NOT NULL DEFAULT 0 CHECK (rake_bp BETWEEN 0 AND 10000),
  fondo_premios BIGINT NOT NULL DEFAULT 0 CHECK (fondo_premios >= 0),
  premio_por_ganador BIGINT NOT NULL DEFAULT 0 CHECK (premio_por_ganador >= 0),
  comentario TEXT CHECK (comentario IS NULL OR length(comentario) <= 255)
);

CREATE TABLE rifas (
  id TEXT PRIMARY KEY,
  nombre TEXT NOT NULL CHECK (length(nombre) BETWEEN 1 AND 200),
  categoria_id TEXT NOT NULL REFERENCES categoria_rifa (id) ON DELETE RESTRICT,
  loteria_id TEXT NOT NULL REFERENCES loterias (id) ON DELETE RESTRICT,
  fecha_inicio TIMESTAMPTZ NOT NULL,
  fecha_fin TIMESTAMPTZ NOT NULL,
  numero_ganadores INTEGER NOT NULL DEFAULT 1 CHECK (numero_ganadores >= 1),
  -- 'resuelta' is the spec's "resolved with winners and payouts" after cerrada; the engine needs
  -- it to know settlement is done.
  estado TEXT NOT NULL DEFAULT 'pendiente'
    CHECK (estado IN ('pendiente', 'activa', 'cerrada', 'resuelta', 'cancelada')),
  reglas JSON NOT NULL DEFAULT '{}',
  total_boletas INTEGER NOT NULL DEFAULT 100 CHECK (total_boletas BETWEEN 1 AND 1000000),
  creado_en TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- settlement: how numbers are handed out, and for 'random' the hash of the seed committed when
  -- sales open (revealed at close, so nobody can steer the draw of numbers).
  assignment TEXT NOT NULL DEFAULT 'sequential' CHECK (assignment IN ('sequential', 'random')),
  commitment_hash TEXT,
  CHECK (fecha_fin > fecha_inicio),
  CHECK (numero_ganadores <= total_boletas)
);
CREATE INDEX rifas_fecha_fin_idx ON rifas (fecha_fin);
CREATE INDEX rifas_estado_idx ON rifas (estado);

CREATE TABLE transacciones (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  -- the rifa paid for, for refunds on cancel and for reports
  rifa_id TEXT REFERENCES rifas (id) ON DELETE RESTRICT,
  amount BIGINT NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL DEFAULT 'COP' CHECK (length(currency) = 3),
  provider TEXT NOT NULL,
  -- known once the provider answers; unique per provider (webhooks find the row by it)
  provider_ref TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  -- the key sent to the provider, so a retried create cannot charge twice
  idempotency_key TEXT,
  failure_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- NULL provider_ref (not yet known) never collides: NULLs are distinct in unique indexes on both.
CREATE UNIQUE INDEX transacciones_provider_ref_key ON transacciones (provider, provider_ref);
CREATE INDEX transacciones_user_idx ON transacciones (user_id);
CREATE INDEX transacciones_rifa_idx ON transacciones (rifa_id);
CREATE INDEX transacciones_status_idx ON transacciones (status, created_at);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  -- tickets are part of their rifa; a rifa with money attached cannot be deleted anyway
  -- (transacciones and ganadores restrict)
  rifa_id TEXT NOT NULL REFERENCES rifas (id) ON DELETE CASCADE,
  usuario_id TEXT REFERENCES users (id) ON DELETE RESTRICT,
  numero INTEGER NOT NULL CHECK (numero >= 0),
  comprado_en TIMESTAMPTZ,
  -- 'reservado' holds a number while its payment is pending, until hold_expires_at
  estado TEXT NOT NULL DEFAULT 'disponible'
    CHECK (estado IN ('disponible', 'reservado', 'vendido', 'ganador', 'anulado')),
  precio BIGINT NOT NULL CHECK (precio >= 0),
  transaccion_id TEXT REFERENCES transacciones (id) ON DELETE RESTRICT,
  hold_expires_at TIMESTAMPTZ,
  UNIQUE (rifa_id, numero),
  CHECK (estado <> 'reservado' OR hold_expires_at IS NOT NULL)
);
CREATE INDEX tickets_rifa_estado_idx ON tickets (rifa_id, estado);
CREATE INDEX tickets_usuario_idx ON tickets (usuario_id);
CREATE INDEX tickets_transaccion_idx ON tickets (transaccion_id);
CREATE INDEX tickets_hold_idx ON tickets (hold_expires_at);

CREATE TABLE ganadores (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE RESTRICT,
  -- which prize tier of rifas.reglas this row pays (0-based); with ticket_id it makes settlement
  -- idempotent: a re-run cannot write the same prize twice
  tier INTEGER NOT NULL DEFAULT 0 CHECK (tier >= 0),
  monto_ganado BIGINT NOT NULL CHECK (monto_ganado >= 0),
  fecha_pago TIMESTAMPTZ,
  referencia_pago TEXT,
  UNIQUE (ticket_id, tier)
);

CREATE TABLE idempotency_keys (
  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- keys are scoped per user: two users may pick the same key
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  request_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_flight', 'completed')),
  response_status INTEGER CHECK (response_status IS NULL OR response_status BETWEEN 100 AND 599),
  response_body TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, key),
  CHECK (status <> 'completed' OR response_status IS NOT NULL)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

CREATE TABLE audit_log (
  -- ALWAYS: ids come from the sequence only, so the order of the log is the order of the ids
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  data JSON NOT NULL DEFAULT '{}',
  -- hash chain: hash = sha256(prev_hash || canonical row); UNIQUE (prev_hash) keeps it a single
  -- chain even when two writers append at once (the loser retries on the new head)
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- Append-only: the log is evidence, so rows are never changed or removed.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  payload JSON NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
  run_at TIMESTAMPTZ NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  last_error TEXT,
  lease_owner TEXT,
  lease_expires_at TIMESTAMPTZ,
  -- e.g. "close:<rifa_id>": enqueueing the same work twice is a no-op (NULL = no dedupe)
  dedupe_key TEXT UNIQUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_status_run_at_idx ON jobs (status, run_at);
CREATE INDEX jobs_lease_idx ON jobs (status, lease_expires_at);
