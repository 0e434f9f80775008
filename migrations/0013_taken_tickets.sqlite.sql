-- GET /rifas/{id} reads a rifa with its sold and free counts (issue 12). Counting the free tickets
-- read every one of them (200,000 index entries for a 200,000-number rifa, on every cache miss);
-- the free count is now total_boletas minus the taken ones (every other estado), and the counts
-- read only the taken tickets, through this partial index, which free tickets (most of a rifa on
-- sale, all of a new one) are not in. SQLite flavour; keep in step with
-- 0013_taken_tickets.postgresql.sql.
CREATE INDEX tickets_taken_idx ON tickets (rifa_id, estado) WHERE estado <> 'disponible';
