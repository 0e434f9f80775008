-- The SQL one HTTP purchase of one ticket runs (host/storage/repositories/sql_sales_repository.cpp,
-- audit_writer.cpp, jobs/job_outbox.cpp), straight against PostgreSQL: what the HTTP figure is
-- compared with. Variables from run.sh: -D uid=<jugador id> -D rifa=<activa rifa id>.
\set k random(1, 9000000000000000)
BEGIN;
-- the authenticator: the token's account is still active
SELECT is_active FROM users WHERE id = :uid;
-- begin_purchase
SELECT CASE WHEN is_active THEN 1 ELSE 0 END FROM users WHERE id = :uid;
INSERT INTO idempotency_keys (key, user_id, request_hash, status, created_at, expires_at)
  VALUES ('pgbench-' || CAST(:k AS text), :uid, 'h', 'in_flight', now(), now() + interval '1 day')
  ON CONFLICT (user_id, key) DO NOTHING;
SELECT r.estado, r.assignment, r.total_boletas, c.nombre, r.assignment_seed FROM rifas r
  JOIN categoria_rifa c ON c.id = r.categoria_id WHERE r.id = :rifa FOR SHARE OF r;
SELECT id AS ticket_id, precio FROM tickets WHERE rifa_id = :rifa AND estado = 'disponible'
  ORDER BY numero LIMIT 1 FOR UPDATE SKIP LOCKED \gset
INSERT INTO transacciones (id, user_id, rifa_id, amount, currency, provider, status, idempotency_key,
                           payment_method, created_at, updated_at)
  VALUES ('pgbench-' || CAST(:k AS text), :uid, :rifa, :precio, 'COP', 'sandbox', 'pending',
          'pgbench-' || CAST(:k AS text), NULL, now(), now());
UPDATE tickets SET estado = 'reservado', usuario_id = :uid, transaccion_id = 'pgbench-' || CAST(:k AS text),
  hold_expires_at = now() + interval '15 minutes' WHERE id = :ticket_id AND estado = 'disponible';
UPDATE idempotency_keys SET transaccion_id = 'pgbench-' || CAST(:k AS text)
  WHERE user_id = :uid AND key = 'pgbench-' || CAST(:k AS text);
-- unsealed: no lock, no read of the last row (the audit sealer chains it later)
INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, data)
  VALUES (now(), :uid, 'payment.created', 'transacciones', 'pgbench-' || CAST(:k AS text), '{}');
COMMIT;
-- settle: the sandbox plugin confirmed the payment
BEGIN;
UPDATE transacciones SET status = 'succeeded', provider_ref = 'sbx-' || CAST(:k AS text), updated_at = now()
  WHERE id = 'pgbench-' || CAST(:k AS text) AND status = 'pending';
UPDATE tickets SET estado = 'vendido', comprado_en = now(), hold_expires_at = NULL
  WHERE transaccion_id = 'pgbench-' || CAST(:k AS text) AND estado = 'reservado';
SELECT id, user_id, rifa_id, amount, currency, provider, provider_ref, status, payment_method, failure_reason,
  created_at FROM transacciones WHERE id = 'pgbench-' || CAST(:k AS text);
SELECT id, rifa_id, usuario_id, numero, estado, precio, transaccion_id, comprado_en, hold_expires_at
  FROM tickets WHERE transaccion_id = 'pgbench-' || CAST(:k AS text) ORDER BY numero;
UPDATE idempotency_keys SET status = 'completed', response_status = 201, response_body = '{}'
  WHERE user_id = :uid AND key = 'pgbench-' || CAST(:k AS text);
-- ticket_sold to the rifa's notifier (one job per bound notifier; the default binds one)
INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, created_at, updated_at)
  VALUES ('pgbench-' || CAST(:k AS text), 'notify', '{}', 'succeeded', now(), 0, 8, NULL, now(), now())
  ON CONFLICT (dedupe_key) DO NOTHING;
-- unsealed: no lock, no read of the last row (the audit sealer chains it later)
INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, data)
  VALUES (now(), :uid, 'payment.succeeded', 'transacciones', 'pgbench-' || CAST(:k AS text), '{}');

COMMIT;
