-- Payouts an operator can run (issue 13 item 4). cuentas_pago: where a winner asked to be paid, one
-- row per ganador (PUT /ganadores/{id}/cuenta, the ticket's buyer only): a bank account (banco,
-- tipo_cuenta ahorros / corriente, numero) or a Nequi phone (telefono), with the holder's document.
-- Stored whole because the payment plugin needs it to pay; every reply, audit row and log line
-- shows it masked (engine/settlement/payout_account.hpp). ganadores.aprobado_por / aprobado_en: an
-- admin approved a cash prize above payouts.approval_threshold_cents (POST /ganadores/{id}/aprobar);
-- the payout job pays such a prize only after it. SQLite flavour; keep in step with
-- 0021_payout_accounts.postgresql.sql.
CREATE TABLE cuentas_pago (
  ganador_id TEXT PRIMARY KEY REFERENCES ganadores (id) ON DELETE CASCADE,
  tipo TEXT NOT NULL CHECK (tipo IN ('bancaria', 'nequi')),
  banco TEXT,
  tipo_cuenta TEXT CHECK (tipo_cuenta IS NULL OR tipo_cuenta IN ('ahorros', 'corriente')),
  numero TEXT,
  telefono TEXT,
  documento_tipo TEXT NOT NULL CHECK (documento_tipo IN ('CC', 'CE', 'PP')),
  documento_numero TEXT NOT NULL CHECK (length(documento_numero) >= 5),
  registrada_por TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  creado_en TEXT NOT NULL,
  actualizado_en TEXT NOT NULL,
  CHECK (tipo <> 'bancaria' OR (banco IS NOT NULL AND tipo_cuenta IS NOT NULL AND numero IS NOT NULL AND telefono IS NULL)),
  CHECK (tipo <> 'nequi' OR (telefono IS NOT NULL AND banco IS NULL AND tipo_cuenta IS NULL AND numero IS NULL))
);
ALTER TABLE ganadores ADD COLUMN aprobado_por TEXT REFERENCES users (id) ON DELETE RESTRICT;
ALTER TABLE ganadores ADD COLUMN aprobado_en TEXT;
