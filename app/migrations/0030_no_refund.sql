-- A return may say it paid nothing back (an exchange: "no_refund" in its
-- body), which its log row holds as a refund of -1 (refundNone in
-- app/log.go), told from a refund of 0, which names none and which the
-- margins value at the sale price. A build before it logged such returns
-- from newer devices with a refund of 0; they are read from their bodies
-- once. One that names a refund as well was applied there: it keeps it.
-- Through the returns' own index: the planner took the time-led index of
-- every event, reading a million rows of a big shop for its few returns.
UPDATE changes INDEXED BY events_returns SET refund = -1
WHERE entity = 'return' AND at IS NOT NULL AND refund = 0 AND instr(body, '"no_refund"')
	AND json_valid(CAST(body AS TEXT)) AND json_type(CAST(body AS TEXT), '$.no_refund') = 'true';
