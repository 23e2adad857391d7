-- The last one-time-code time step each account signed in with, so a code
-- seen over a shoulder or replayed from a captured request is refused for
-- the rest of its validity. Like sessions it is not audited: it is worth
-- nothing after a minute and changes at every sign-in.
CREATE TABLE totp_steps (
	account_id TEXT PRIMARY KEY REFERENCES accounts (id),
	step       INTEGER NOT NULL
);
