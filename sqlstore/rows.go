package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/audit"
	"peyvand/seal"
)

// A table's columns, in the order its content digest covers them. The
// last, audit_seq, is the audit entry that last wrote the row; the
// writer fills it in. A migration that adds a column appends it here and
// must keep old rows' digests valid.
var (
	sourceCols = []string{"id", "name", "kind", "organisation", "independent", "received_at", "created_at", "audit_seq"}
	personCols = []string{"id", "created_at", "merged_into", "audit_seq"}
	recordCols = []string{"id", "source_id", "external_id", "person_id",
		"full_name", "given_name", "family_name", "father_name", "other_names",
		"gender", "birth_year", "age", "age_date", "city", "province",
		"national_id", "national_id_valid", "contact_sealed", "reporter_sealed", "notes_sealed",
		"digest", "revision", "recorded_at", "updated_at", "audit_seq"}
	eventCols = []string{"id", "record_id", "external_id", "status", "date", "place",
		"verification", "evidence", "supersedes", "text_sealed", "reporter_sealed", "contact_sealed",
		"actor", "recorded_at", "audit_seq"}
	inquiryCols = []string{"id", "record_id", "code_hash", "relationship", "contact_sealed", "state", "created_at", "audit_seq"}
	auditCols   = []string{"seq", "at", "actor", "action", "entity", "detail", "mac"}

	accountCols = []string{"id", "username", "role", "organisation", "password_hash", "totp_sealed",
		"disabled", "failed_logins", "locked_until", "created_at", "audit_seq"}
	decisionCols    = []string{"id", "record_a", "record_b", "decision", "actor", "at", "audit_seq"}
	caseCols        = []string{"inquiry_id", "state", "assigned_to", "reason", "delivery_sealed", "created_at", "updated_at", "audit_seq"}
	publicationCols = []string{"person_id", "allowed", "actor", "at", "audit_seq"}
	attachmentCols  = []string{"id", "record_id", "content_type", "data_sealed", "created_at", "audit_seq"}
)

// entity kinds as the audit chain names them, with their tables.
type kind struct {
	name, table string
	cols        []string
}

var kinds = []kind{ // in foreign-key order
	{"source", "sources", sourceCols},
	{"person", "persons", personCols},
	{"record", "records", recordCols},
	{"event", "status_events", eventCols},
	{"inquiry", "inquiries", inquiryCols},
	{"account", "accounts", accountCols},
	{"decision", "decisions", decisionCols},
	{"case", "cases", caseCols},
	{"publication", "publications", publicationCols},
	{"attachment", "attachments", attachmentCols},
}

// canonical is the text of a stored value that content digests cover. Only
// int64, string and nil are ever stored, and both drivers return them as
// such; NULL and "" are the same here because the schema never stores "".
func canonical(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	case []byte:
		return string(v)
	case bool: // some drivers return booleans for integer 0/1 columns
		if v {
			return "1"
		}
		return "0"
	case time.Time:
		return strconv.FormatInt(v.UnixMicro(), 10)
	}
	panic("sqlstore: unexpected stored value type")
}

// rowMAC is the keyed MAC of a stored row's values (audit.Chain.Content of
// their canonical text), built without intermediate strings: it is computed
// for every row written and every row verified.
func (s *Store) rowMAC(kind string, vals []any, f *audit.Fields) string {
	return rowMACWith(s.chain, kind, vals, f)
}

// rowMACWith is rowMAC under a given chain key: during a key rotation rows
// MACed with the old key and with the new one are both in the store.
func rowMACWith(c *audit.Chain, kind string, vals []any, f *audit.Fields) string {
	f.Reset()
	for _, v := range vals {
		switch v := v.(type) {
		case int64:
			f.Int(v)
		case string:
			f.Str(v)
		default:
			f.Str(canonical(v))
		}
	}
	return c.ContentOf(kind, f)
}

func micro(t time.Time) int64 { return t.UnixMicro() }

func fromMicro(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func nowMicro() int64 { return time.Now().UnixMicro() }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// nullable stores "" as NULL, for columns that reference other rows.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ad(table, column, id string) string { return table + "." + column + ":" + id }

// seal seals a value bound to its table, column and row; "" stays "".
func (s *Store) seal(plaintext, table, column, id string) string {
	if plaintext == "" {
		return ""
	}
	return s.keys.Seal(plaintext, ad(table, column, id))
}

// The …Values functions return a row without its audit_seq and row_mac,
// which writer.write appends.
func (s *Store) sourceValues(src peyvand.Source) []any {
	return []any{src.ID, src.Name, string(src.Kind), src.Organisation, b2i(src.Independent),
		micro(src.ReceivedAt), micro(src.CreatedAt)}
}

func (s *Store) personValues(p peyvand.Person) []any {
	return []any{p.ID, micro(p.CreatedAt), nullable(p.MergedInto)}
}

// recordValues seals the sensitive fields of r and returns its row.
func (s *Store) recordValues(r peyvand.Record, digest string) []any {
	return []any{r.ID, r.SourceID, r.ExternalID, r.PersonID,
		r.FullName, r.GivenName, r.FamilyName, r.FatherName, r.OtherNames,
		string(r.Gender), int64(r.BirthYear), int64(r.Age), r.AgeDate.String(), r.City, r.Province,
		r.NationalID, b2i(r.NationalIDValid),
		s.seal(r.Contact, "records", "contact", r.ID),
		s.seal(r.Reporter, "records", "reporter", r.ID),
		s.seal(r.Notes, "records", "notes", r.ID),
		digest, int64(r.Revision), micro(r.RecordedAt), micro(r.UpdatedAt)}
}

// recordDigest is a keyed digest of what a source says in a record, so a
// re-imported row can be recognised as unchanged (sealed fields are sealed
// with a fresh nonce each time and cannot be compared as stored).
func (s *Store) recordDigest(r peyvand.Record) string { return recordDigestWith(s.keys, r) }

// recordDigestWith is recordDigest under given keys, for a key rotation,
// which recomputes every digest under the new key.
func recordDigestWith(k *seal.Keys, r peyvand.Record) string {
	return k.Lookup(strings.Join([]string{"record v1",
		r.FullName, r.GivenName, r.FamilyName, r.FatherName, r.OtherNames, string(r.Gender),
		strconv.Itoa(r.BirthYear), strconv.Itoa(r.Age), r.AgeDate.String(), r.City, r.Province,
		r.NationalID, r.Contact, r.Reporter, r.Notes}, "\x1f"))
}

// eventKey is the content key of an event that came without an id of its
// own: the same statement imported twice gets the same key.
func (s *Store) eventKey(e peyvand.StatusEvent) string { return eventKeyWith(s.keys, e) }

// eventKeyWith is eventKey under given keys (see recordDigestWith).
func eventKeyWith(k *seal.Keys, e peyvand.StatusEvent) string {
	return "c:" + k.Lookup(strings.Join([]string{"event v1",
		string(e.Status), e.Date.String(), e.Place, string(e.Verification), e.Evidence,
		e.Text, e.Reporter, e.Contact}, "\x1f"))[:22]
}

func (s *Store) eventValues(e peyvand.StatusEvent) []any {
	return []any{e.ID, e.RecordID, e.ExternalID, string(e.Status), e.Date.String(), e.Place,
		string(e.Verification), e.Evidence, nullable(e.Supersedes),
		s.seal(e.Text, "status_events", "text", e.ID),
		s.seal(e.Reporter, "status_events", "reporter", e.ID),
		s.seal(e.Contact, "status_events", "contact", e.ID),
		e.Actor, micro(e.RecordedAt)}
}

func (s *Store) inquiryValues(in peyvand.Inquiry, codeHash string) []any {
	return []any{in.ID, in.RecordID, codeHash, in.Relationship,
		s.seal(in.Contact, "inquiries", "contact", in.ID), string(in.State), micro(in.CreatedAt)}
}

// storedCols are the columns a table stores: those its row MAC covers, and
// the MAC.
func storedCols(cols []string) []string {
	return append(cols[:len(cols):len(cols)], "row_mac")
}

// kindOf names a table's rows for their MACs.
func kindOf(table string) string {
	for _, k := range kinds {
		if k.table == table {
			return k.name
		}
	}
	panic("sqlstore: unknown table " + table)
}

// colsOf returns the columns a table's row MAC covers.
func colsOf(table string) []string {
	for _, k := range kinds {
		if k.table == table {
			return k.cols
		}
	}
	panic("sqlstore: unknown table " + table)
}
