-- Payouts of prizes and refunds of cancelled rifas. PostgreSQL flavour; 0005_payouts.sqlite.sql
-- explains each table and column.

CREATE TABLE payouts (
  ganador_id TEXT PRIMARY KEY REFERENCES ganadores (id) ON DELETE RESTRICT,
  tipo TEXT NOT NULL CHECK (tipo IN ('cash', 'in_kind')),
  estado TEXT NOT NULL DEFAULT 'pendiente' CHECK (estado IN ('pendiente', 'enviado', 'fallido', 'entregado')),
  monto BIGINT NOT NULL CHECK (monto >= 0),
  currency TEXT NOT NULL DEFAULT 'COP' CHECK (length(currency) = 3),
  provider TEXT,
  idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) >= 1),
  intentos INTEGER NOT NULL DEFAULT 0 CHECK (intentos >= 0),
  referencia TEXT,
  provider_status TEXT,
  motivo TEXT,
  entregado_por TEXT REFERENCES users (id) ON DELETE RESTRICT,
  creado_en TIMESTAMPTZ NOT NULL DEFAULT now(),
  actualizado_en TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (tipo = 'cash' OR (estado IN ('pendiente', 'entregado') AND provider IS NULL)),
  CHECK (tipo = 'in_kind' OR (estado <> 'entregado' AND provider IS NOT NULL)),
  CHECK (estado <> 'enviado' OR referencia IS NOT NULL),
  CHECK (estado <> 'entregado' OR entregado_por IS NOT NULL)
);
CREATE INDEX payouts_estado_idx ON payouts (estado);

CREATE TABLE reembolsos (
  transaccion_id TEXT PRIMARY KEY REFERENCES transacciones (id) ON DELETE RESTRICT,
  rifa_id TEXT NOT NULL REFERENCES rifas (id) ON DELETE RESTRICT,
  amount BIGINT NOT NULL CHECK (amount >= 0),
  provider TEXT NOT NULL,
  refund_ref TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  reason TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (status <> 'succeeded' OR refund_ref IS NOT NULL)
);
CREATE INDEX reembolsos_rifa_idx ON reembolsos (rifa_id);
