-- Payouts of prizes and refunds of cancelled rifas. SQLite flavour; keep in step with
-- 0005_payouts.postgresql.sql (same tables, columns, constraints and index names).

-- One row per ganador once its prize is being handed over: cash prizes through the rifa's payment
-- plugin (payout.send job), prizes in kind marked delivered by an operador.
--
-- Why the state lives here and not only in ganadores.fecha_pago / referencia_pago: a payout must
-- never be sent twice, so the provider instance and the idempotency key are pinned on the first
-- attempt (a config reload that rebinds the rifa to another payment instance must not make the
-- retry pay through a second provider), and every attempt is counted before the plugin is called.
-- A row with intentos > 0 means money may have moved: the ganador it points at must not be
-- deleted (ON DELETE RESTRICT), so a recalculation cannot re-key a prize that was already tried.
CREATE TABLE payouts (
  ganador_id TEXT PRIMARY KEY REFERENCES ganadores (id) ON DELETE RESTRICT,
  tipo TEXT NOT NULL CHECK (tipo IN ('cash', 'in_kind')),
  -- pendiente: not sent yet (or the answer was lost: the retry reuses the key); enviado: the
  -- provider accepted it; fallido: the provider declined (retried until the job is dead);
  -- entregado: a prize in kind handed over by an operador
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
  creado_en TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actualizado_en TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (tipo = 'cash' OR (estado IN ('pendiente', 'entregado') AND provider IS NULL)),
  CHECK (tipo = 'in_kind' OR (estado <> 'entregado' AND provider IS NOT NULL)),
  CHECK (estado <> 'enviado' OR referencia IS NOT NULL),
  CHECK (estado <> 'entregado' OR entregado_por IS NOT NULL)
);
CREATE INDEX payouts_estado_idx ON payouts (estado);

-- One refund per charge, ever (the primary key): the refund of a cancelled rifa's paid ticket,
-- sent through the plugin that took the payment with the transaccion id as idempotency key.
CREATE TABLE reembolsos (
  transaccion_id TEXT PRIMARY KEY REFERENCES transacciones (id) ON DELETE RESTRICT,
  rifa_id TEXT NOT NULL REFERENCES rifas (id) ON DELETE RESTRICT,
  amount BIGINT NOT NULL CHECK (amount >= 0),
  provider TEXT NOT NULL,
  refund_ref TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  reason TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (status <> 'succeeded' OR refund_ref IS NOT NULL)
);
CREATE INDEX reembolsos_rifa_idx ON reembolsos (rifa_id);
