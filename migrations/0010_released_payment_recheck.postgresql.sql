-- A payment the host failed itself because the rifa closed while it was pending may still succeed
-- at the provider, and its webhook may never arrive. released_at marks such a payment until
-- reconciliation has asked the provider once (and refunded the money if it came): NULL otherwise.
ALTER TABLE transacciones ADD COLUMN released_at TIMESTAMPTZ;
CREATE INDEX transacciones_released_idx ON transacciones (released_at) WHERE released_at IS NOT NULL;
