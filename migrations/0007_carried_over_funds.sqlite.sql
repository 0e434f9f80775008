-- Prize money carried over (reglas.unsold = carry_over) waits in categoria_rifa.fondo_premios until
-- the next rifa of that categoria settles, which adds all of it to its own prize fund. The amount a
-- rifa took is kept on the rifa, so recalculating its prizes uses the same fund.
ALTER TABLE rifas ADD COLUMN fondo_recibido BIGINT NOT NULL DEFAULT 0 CHECK (fondo_recibido >= 0);
