-- A partnership's payouts are read for every statement and ledger view;
-- every other table of the partnership schema has its index by
-- partnership, payouts had none.
CREATE INDEX payouts_partnership ON payouts (partnership_id, paid_on);
