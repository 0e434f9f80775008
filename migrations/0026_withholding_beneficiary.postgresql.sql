-- The withholding record keeps its beneficiary (issue 15): what the operator declares to the DIAN
-- per prize is the winner's document and name as they were when the withholding was computed or
-- paid, and erasing the player's personal data (DELETE /users/{id}?erase=true, the retention job)
-- must not take them out of a record the law makes the operator keep. Until now the report read
-- them live from users, so an erased winner's row lost its document.
--
-- ganadores.beneficiario_nombre / beneficiario_documento_tipo / beneficiario_documento_numero:
--   written with the ganador (settlement computes the withholding), refreshed when the withholding
--   is recomputed or paid (payout job, manual payment, in-kind withholding recorded) while the
--   account is not erased, and taken once more by the erasure itself before the users row is
--   blanked. NULL: the winning ticket has no buyer, or the account had no document.
-- Rows written before this migration take them from users now (erased accounts have nothing left).
-- PostgreSQL flavour; keep in step with 0026_withholding_beneficiary.sqlite.sql.
ALTER TABLE ganadores ADD COLUMN beneficiario_nombre TEXT;
ALTER TABLE ganadores ADD COLUMN beneficiario_documento_tipo TEXT;
ALTER TABLE ganadores ADD COLUMN beneficiario_documento_numero TEXT;
UPDATE ganadores SET
  beneficiario_nombre = (SELECT u.nombre FROM tickets t JOIN users u ON u.id = t.usuario_id
                         WHERE t.id = ganadores.ticket_id AND u.anonimizado_en IS NULL),
  beneficiario_documento_tipo = (SELECT u.documento_tipo FROM tickets t JOIN users u ON u.id = t.usuario_id
                                 WHERE t.id = ganadores.ticket_id AND u.anonimizado_en IS NULL),
  beneficiario_documento_numero = (SELECT u.documento_numero FROM tickets t JOIN users u ON u.id = t.usuario_id
                                   WHERE t.id = ganadores.ticket_id AND u.anonimizado_en IS NULL);
