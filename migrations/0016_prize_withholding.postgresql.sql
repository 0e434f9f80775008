-- Retención en la fuente on prizes (issue 15 item 1, engine/settlement/prize_tax.hpp): per ganador
-- the gross prize (the commercial value for a prize in kind), what was withheld and the net paid,
-- gross = retencion + neto, and the year whose UVT decided it. NULL monto_bruto / monto_neto: a
-- row written before this migration (or by hand), untaxed: both are monto_ganado. A prize in
-- kind's withholding is owed by the winner before delivery: retencion_pagada_en /
-- retencion_referencia / retencion_registrada_por record that it was paid (POST
-- /ganadores/{id}/retencion). PostgreSQL flavour; keep in step with 0016_prize_withholding.sqlite.sql.
ALTER TABLE ganadores ADD COLUMN monto_bruto BIGINT CHECK (monto_bruto IS NULL OR monto_bruto >= 0);
ALTER TABLE ganadores ADD COLUMN retencion BIGINT NOT NULL DEFAULT 0 CHECK (retencion >= 0);
ALTER TABLE ganadores ADD COLUMN monto_neto BIGINT
  CHECK (monto_neto IS NULL OR (monto_neto >= 0 AND monto_bruto = retencion + monto_neto));
ALTER TABLE ganadores ADD COLUMN uvt_anio INTEGER;
-- the rule it was decided by, so that anyone can recompute it from the verificacion document:
-- withheld = round_half_up(bruto × tarifa_bp / 10000) when bruto > umbral (48 UVT in cents), else 0
ALTER TABLE ganadores ADD COLUMN retencion_tarifa_bp INTEGER;
ALTER TABLE ganadores ADD COLUMN retencion_umbral BIGINT;
ALTER TABLE ganadores ADD COLUMN retencion_pagada_en TIMESTAMPTZ;
ALTER TABLE ganadores ADD COLUMN retencion_referencia TEXT;
ALTER TABLE ganadores ADD COLUMN retencion_registrada_por TEXT;
