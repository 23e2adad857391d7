-- Version 1: the registry. Times are microseconds since 1970 (UTC); dates
-- are ISO text that may be partial ("2026", "2026-01"); columns ending in
-- _sealed hold XChaCha20-Poly1305 ciphertext (package seal), never plaintext;
-- audit_seq is the audit entry that last wrote the row and row_mac a keyed
-- MAC of the row's other columns (package audit).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE sources (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL,
	organisation TEXT NOT NULL,
	independent  INTEGER NOT NULL,
	received_at  INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	audit_seq     INTEGER NOT NULL,
	row_mac       TEXT NOT NULL
);
CREATE TABLE persons (
	id          TEXT PRIMARY KEY,
	created_at  INTEGER NOT NULL,
	merged_into TEXT REFERENCES persons (id),
	audit_seq  INTEGER NOT NULL,
	row_mac    TEXT NOT NULL
);
CREATE TABLE records (
	id                TEXT PRIMARY KEY,
	source_id         TEXT NOT NULL REFERENCES sources (id),
	external_id       TEXT NOT NULL,
	person_id         TEXT NOT NULL REFERENCES persons (id),
	full_name         TEXT NOT NULL,
	given_name        TEXT NOT NULL,
	family_name       TEXT NOT NULL,
	father_name       TEXT NOT NULL,
	other_names       TEXT NOT NULL,
	gender            TEXT NOT NULL,
	birth_year        INTEGER NOT NULL,
	age               INTEGER NOT NULL,
	age_date          TEXT NOT NULL,
	city              TEXT NOT NULL,
	province          TEXT NOT NULL,
	national_id       TEXT NOT NULL,
	national_id_valid INTEGER NOT NULL,
	contact_sealed    TEXT NOT NULL,
	reporter_sealed   TEXT NOT NULL,
	notes_sealed      TEXT NOT NULL,
	digest            TEXT NOT NULL,
	revision          INTEGER NOT NULL,
	recorded_at       INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	audit_seq         INTEGER NOT NULL,
	row_mac           TEXT NOT NULL,
	UNIQUE (source_id, external_id)
);
CREATE INDEX records_person ON records (person_id);
-- Earlier revisions of records, moved here when a source sends a newer one.
CREATE TABLE record_history (
	id                TEXT NOT NULL REFERENCES records (id),
	source_id         TEXT NOT NULL,
	external_id       TEXT NOT NULL,
	person_id         TEXT NOT NULL,
	full_name         TEXT NOT NULL,
	given_name        TEXT NOT NULL,
	family_name       TEXT NOT NULL,
	father_name       TEXT NOT NULL,
	other_names       TEXT NOT NULL,
	gender            TEXT NOT NULL,
	birth_year        INTEGER NOT NULL,
	age               INTEGER NOT NULL,
	age_date          TEXT NOT NULL,
	city              TEXT NOT NULL,
	province          TEXT NOT NULL,
	national_id       TEXT NOT NULL,
	national_id_valid INTEGER NOT NULL,
	contact_sealed    TEXT NOT NULL,
	reporter_sealed   TEXT NOT NULL,
	notes_sealed      TEXT NOT NULL,
	digest            TEXT NOT NULL,
	revision          INTEGER NOT NULL,
	recorded_at       INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	audit_seq         INTEGER NOT NULL,
	row_mac           TEXT NOT NULL,
	replaced_at       INTEGER NOT NULL,
	PRIMARY KEY (id, revision)
);
CREATE TABLE status_events (
	id              TEXT PRIMARY KEY,
	record_id       TEXT NOT NULL REFERENCES records (id),
	external_id     TEXT NOT NULL,
	status          TEXT NOT NULL,
	date            TEXT NOT NULL,
	place           TEXT NOT NULL,
	verification    TEXT NOT NULL,
	evidence        TEXT NOT NULL,
	supersedes      TEXT REFERENCES status_events (id),
	text_sealed     TEXT NOT NULL,
	reporter_sealed TEXT NOT NULL,
	contact_sealed  TEXT NOT NULL,
	actor           TEXT NOT NULL,
	recorded_at     INTEGER NOT NULL,
	audit_seq       INTEGER NOT NULL,
	row_mac         TEXT NOT NULL,
	UNIQUE (record_id, external_id)
);
-- Partial: few events correct another, and imports should not pay for an
-- index entry per event.
CREATE INDEX status_events_supersedes ON status_events (supersedes) WHERE supersedes IS NOT NULL;
CREATE TABLE inquiries (
	id             TEXT PRIMARY KEY,
	record_id      TEXT NOT NULL REFERENCES records (id),
	code_hash      TEXT NOT NULL UNIQUE,
	relationship   TEXT NOT NULL,
	contact_sealed TEXT NOT NULL,
	state          TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	audit_seq  INTEGER NOT NULL,
	row_mac    TEXT NOT NULL
);
CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	entity      TEXT NOT NULL,
	detail      TEXT NOT NULL,
	mac         TEXT NOT NULL
);
