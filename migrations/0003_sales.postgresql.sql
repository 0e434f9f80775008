-- Ticket sales and payments. PostgreSQL flavour; keep in step with 0003_sales.sqlite.sql.

-- How the buyer chose to pay (free text from the purchase request, e.g. "card", "pse", "nequi"),
-- passed to the payment plugin; kept for reports and support.
ALTER TABLE transacciones ADD COLUMN payment_method TEXT
  CHECK (payment_method IS NULL OR length(payment_method) BETWEEN 1 AND 64);

-- The purchase an idempotency key started. Set in the same transaction that reserves the numbers,
-- so a key whose first request died half way (in_flight, older than the takeover bound) is resumed
-- from its transaccion instead of reserving and charging a second time.
ALTER TABLE idempotency_keys ADD COLUMN transaccion_id TEXT REFERENCES transacciones (id) ON DELETE RESTRICT;

-- Hold expiry looks for reserved numbers whose hold has passed; reconciliation for old pending
-- payments (transacciones_status_idx from 0001 covers it).
CREATE INDEX tickets_estado_hold_idx ON tickets (estado, hold_expires_at);

-- The purchase picks the lowest free numbers of a rifa: (rifa_id, estado, numero) answers
-- "WHERE rifa_id = ? AND estado = 'disponible' ORDER BY numero LIMIT n" from the index alone,
-- instead of sorting every free ticket of a large rifa on every purchase.
CREATE INDEX tickets_rifa_estado_numero_idx ON tickets (rifa_id, estado, numero);
