-- The imported orders that may still be open, a cache (app/openorders.go):
-- Today's delayed-order alerts read these orders' lines instead of every
-- imported sale line. The meta key open_orders_upto is the last log row it
-- has seen; without it the first read makes it from the ledger.
CREATE TABLE open_orders (
	channel TEXT NOT NULL,
	number  TEXT NOT NULL,
	PRIMARY KEY (channel, number)
) WITHOUT ROWID;
