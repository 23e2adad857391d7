-- Version 2: the staff side. Accounts, reviewers' decisions, caseworkers'
-- cases and publication choices are audited like the registry (audit_seq,
-- row_mac). Sessions are not: they change on every sign-in and hold only a
-- keyed hash of the token; signing in and out are audited instead.
CREATE TABLE accounts (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL,
	organisation  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_sealed   TEXT NOT NULL,
	disabled      INTEGER NOT NULL,
	failed_logins INTEGER NOT NULL,
	locked_until  INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	audit_seq     INTEGER NOT NULL,
	row_mac       TEXT NOT NULL
);
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE TABLE decisions (
	id        TEXT PRIMARY KEY,
	record_a  TEXT NOT NULL REFERENCES records (id),
	record_b  TEXT NOT NULL REFERENCES records (id),
	decision  TEXT NOT NULL,
	actor     TEXT NOT NULL,
	at        INTEGER NOT NULL,
	audit_seq INTEGER NOT NULL,
	row_mac   TEXT NOT NULL
);
CREATE INDEX decisions_pair ON decisions (record_a, record_b);
CREATE TABLE cases (
	inquiry_id      TEXT PRIMARY KEY REFERENCES inquiries (id),
	state           TEXT NOT NULL,
	assigned_to     TEXT NOT NULL,
	reason          TEXT NOT NULL,
	delivery_sealed TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	audit_seq       INTEGER NOT NULL,
	row_mac         TEXT NOT NULL
);
CREATE TABLE publications (
	person_id  TEXT PRIMARY KEY REFERENCES persons (id),
	allowed    INTEGER NOT NULL,
	actor      TEXT NOT NULL,
	at         INTEGER NOT NULL,
	audit_seq  INTEGER NOT NULL,
	row_mac    TEXT NOT NULL
);
-- Files a witness attached to a report, re-encoded without metadata before
-- they reach the store, and sealed.
CREATE TABLE attachments (
	id           TEXT PRIMARY KEY,
	record_id    TEXT NOT NULL REFERENCES records (id),
	content_type TEXT NOT NULL,
	data_sealed  TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	audit_seq    INTEGER NOT NULL,
	row_mac      TEXT NOT NULL
);
CREATE INDEX attachments_record ON attachments (record_id);
