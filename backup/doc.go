// Package backup writes a consistent, encrypted copy of a registry while
// it runs, and restores it into a new, empty database of either kind.
//
// # Format
//
// A backup is an age file (https://age-encryption.org/v1), encrypted to one
// or more public keys (age1…) or to a passphrase (scrypt), so that a stolen
// backup reveals nothing, not even how many rows it holds. Its plaintext
// is gzip-compressed UTF-8 text, one JSON value per line:
//
//  1. The header, an object:
//     {"format":"peyvand-backup","version":1,"created":"2026-02-01T10:00:00Z",
//     "schema":2,"key_id":"…","dialect":"sqlite",
//     "tables":[{"name":"meta","columns":["key","value"],"rows":2},…]}.
//     schema is the store's schema version; key_id names the key the
//     store's sealed fields and audit chain are keyed with (not secret);
//     dialect is the database the backup was made from; tables come in
//     foreign-key order.
//  2. For each table of the header, in its order, exactly rows lines: a
//     JSON array with one value per column, in the header's column order:
//     an integer (64 bits), a string, null, or {"base64":"…"} for bytes
//     that are not UTF-8 text. Rows come in primary-key order.
//  3. The trailer, an object {"sha256":"…"}: the SHA-256, in hex, of every
//     byte before it (all lines, with their newlines). Nothing follows.
//
// Rows are copied as stored: sealed columns stay sealed, every row keeps
// its audit entry and MAC. The key file that opens them is not in the
// backup and must be kept apart; a restore needs it. So the format is
// portable (a SQLite backup restores into PostgreSQL and back), and a
// backup can be read with the age and gzip tools alone:
//
//	age -d -i backup.key peyvand.backup | gunzip | head -1
package backup
