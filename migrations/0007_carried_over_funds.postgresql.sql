-- Prize money carried over (reglas.unsold = carry_over) waits in categoria_rifa.fondo_acumulado
-- until the next rifa of that categoria settles, which adds all of it to its own prize fund. The
-- amount a rifa took is kept on the rifa, so recalculating its prizes uses the same fund.
-- (categoria_rifa.fondo_premios is the spec's description of the categoria, what a full rifa's
-- fund comes to; it is never paid out.)
ALTER TABLE categoria_rifa ADD COLUMN fondo_acumulado BIGINT NOT NULL DEFAULT 0 CHECK (fondo_acumulado >= 0);
ALTER TABLE rifas ADD COLUMN fondo_recibido BIGINT NOT NULL DEFAULT 0 CHECK (fondo_recibido >= 0);
