-- Big rifas are cheap to create (issue 12): a rifa's tickets are written by one INSERT ... SELECT
-- over a recursive CTE, and what each of those rows costs besides the row itself is cut down.
-- SQLite flavour; keep in step with 0012_big_rifas.postgresql.sql (which also replaces the
-- per-row foreign key check on tickets.rifa_id: SQLite's own check is a primary-key probe, cheap,
-- and dropping it would mean rebuilding the table).
--
-- Indexes on columns a free ticket leaves NULL held one entry per ticket all the same (SQLite
-- indexes NULLs): every lookup through them names a value (usuario_id =, transaccion_id =, or the
-- reserved tickets whose hold has passed), so partial indexes answer the same queries and a new
-- rifa's tickets add nothing to them.
DROP INDEX tickets_usuario_idx;
CREATE INDEX tickets_usuario_idx ON tickets (usuario_id) WHERE usuario_id IS NOT NULL;
DROP INDEX tickets_transaccion_idx;
CREATE INDEX tickets_transaccion_idx ON tickets (transaccion_id) WHERE transaccion_id IS NOT NULL;
-- Hold expiry asks "estado = 'reservado' AND hold_expires_at < now" (sql_sales_repository.cpp).
DROP INDEX tickets_hold_idx;
DROP INDEX tickets_estado_hold_idx;
CREATE INDEX tickets_reserved_hold_idx ON tickets (hold_expires_at) WHERE estado = 'reservado';
