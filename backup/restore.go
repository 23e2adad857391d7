package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"

	"filippo.io/age"

	"peyvand"
	"peyvand/sqlstore"
)

// maxLine bounds one line of a backup. Anyone who knows a public
// recipient can write a backup to it, so a restore must not trust even
// a well-encrypted file to be reasonable.
const maxLine = 64 << 20

// Reader reads a backup: its header first, then its rows into a store.
type Reader struct {
	Header Header
	r      *bufio.Reader
	z      *gzip.Reader
	h      hash.Hash
}

// Open decrypts a backup with identities (keys or a passphrase) and reads
// its header. Nothing is decrypted for good until Restore has read to the
// end: age authenticates the file chunk by chunk.
func Open(r io.Reader, identities ...age.Identity) (*Reader, error) {
	ar, err := age.Decrypt(r, identities...)
	var nomatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &nomatch):
		return nil, peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"cannot open the backup with the identity or passphrase given: it was encrypted to other keys, the passphrase is wrong, or its header is damaged (%v)", err)
	case err != nil:
		return nil, peyvand.Errorf(peyvand.EINVALID, "not a readable age-encrypted backup: %v", err)
	}
	z, err := gzip.NewReader(ar)
	if err != nil {
		return nil, damaged(err)
	}
	b := &Reader{r: bufio.NewReaderSize(z, 1<<16), z: z, h: sha256.New()}
	line, err := b.line()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(line, &b.Header); err != nil || b.Header.Format != Format {
		return nil, peyvand.Errorf(peyvand.EINVALID, "not a Peyvand backup (its first line is not a backup header)")
	}
	if b.Header.Version != Version {
		return nil, peyvand.Errorf(peyvand.EINVALID, "backup format version %d: this program reads version %d", b.Header.Version, Version)
	}
	return b, nil
}

func damaged(err error) error {
	return peyvand.Errorf(peyvand.EINTEGRITY, "the backup is damaged, truncated or was altered (%v): nothing was restored", err)
}

// line reads the next line, without its newline, and adds it to the hash.
// The slice is valid until the next call.
func (b *Reader) line() ([]byte, error) {
	line, err := b.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) && len(long) <= maxLine {
			line, err = b.r.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
		if len(line) > maxLine {
			return nil, peyvand.Errorf(peyvand.EINVALID, "backup has a line longer than %d bytes", maxLine)
		}
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // every line, the trailer too, ends with a newline
	}
	if err != nil {
		return nil, damaged(err)
	}
	b.h.Write(line)
	return line[:len(line)-1], nil
}

// Restore loads the backup into s, which must be new and empty (else
// ECONFLICT) and opened with the key the backed-up store was sealed with;
// then verifies the audit chain. It succeeds only if the whole backup was
// read, intact, and the restored store verifies; otherwise s is left
// empty.
func (b *Reader) Restore(ctx context.Context, s *sqlstore.Store) (peyvand.AuditReport, error) {
	h := b.Header
	if h.KeyID != s.KeyID() {
		return peyvand.AuditReport{}, peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"the backup comes from a store sealed with key id %s, the key file given has %s: restore with the key file of the store that was backed up (it is not in the backup)", h.KeyID, s.KeyID())
	}
	schema, err := s.SchemaVersion(ctx)
	if err != nil {
		return peyvand.AuditReport{}, err
	}
	if schema != h.Schema {
		return peyvand.AuditReport{}, peyvand.Errorf(peyvand.EINVALID,
			"the backup has schema version %d, the target %d: restore with the Peyvand version that made the backup, then upgrade", h.Schema, schema)
	}
	tables := sqlstore.Tables()
	if err := b.checkTables(ctx, s, tables); err != nil {
		return peyvand.AuditReport{}, err
	}
	return s.Restore(ctx, func(l *sqlstore.Loader) error {
		for i, t := range tables {
			if err := b.loadTable(ctx, l, t, h.Tables[i]); err != nil {
				return err
			}
		}
		return b.end()
	})
}

// checkTables checks that the backup holds the tables the target has,
// with the same columns.
func (b *Reader) checkTables(ctx context.Context, s *sqlstore.Store, tables []sqlstore.Table) error {
	var names []string
	for _, t := range b.Header.Tables {
		names = append(names, t.Name)
	}
	var want []string
	for _, t := range tables {
		want = append(want, t.Name)
	}
	if !slices.Equal(names, want) {
		return peyvand.Errorf(peyvand.EINVALID, "the backup holds tables %v, this program's store %v", names, want)
	}
	for i, t := range tables {
		cols, err := s.Columns(ctx, t)
		if err != nil {
			return err
		}
		if !slices.Equal(cols, b.Header.Tables[i].Columns) {
			return peyvand.Errorf(peyvand.EINVALID, "table %s: the backup has columns %v, the target %v", t.Name, b.Header.Tables[i].Columns, cols)
		}
	}
	return nil
}

func (b *Reader) loadTable(ctx context.Context, l *sqlstore.Loader, t sqlstore.Table, info TableInfo) error {
	if err := l.Table(ctx, t, info.Columns); err != nil {
		return err
	}
	vals := make([]any, len(info.Columns))
	for n := int64(1); n <= info.Rows; n++ {
		line, err := b.line()
		if err != nil {
			return fmt.Errorf("table %s row %d: %w", t.Name, n, err)
		}
		if err := decodeRow(line, vals); err != nil {
			return peyvand.Errorf(peyvand.EINVALID, "backup table %s row %d: %v", t.Name, n, err)
		}
		if err := l.Insert(ctx, vals); err != nil {
			return err
		}
	}
	return nil
}

// end reads the trailer, checks the hash and that nothing follows, which
// also makes gzip check its checksum and age its last chunk.
func (b *Reader) end() error {
	sum := hex.EncodeToString(b.h.Sum(nil))
	line, err := b.line()
	if err != nil {
		return fmt.Errorf("trailer: %w", err)
	}
	var tr trailer
	if err := json.Unmarshal(line, &tr); err != nil || tr.SHA256 == "" {
		return damaged(errors.New("the line after the last row is not the trailer"))
	}
	if tr.SHA256 != sum {
		return damaged(errors.New("SHA-256 does not match the trailer"))
	}
	if n, err := b.r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("data after the trailer")
		}
		return damaged(err)
	}
	return nil
}

// decodeRow decodes a JSON array of integers, strings, nulls and
// {"base64":…} into vals, which must have the row's length.
func decodeRow(line []byte, vals []any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var raw []any
	if err := d.Decode(&raw); err != nil {
		return err
	}
	if len(raw) != len(vals) {
		return fmt.Errorf("%d values for %d columns", len(raw), len(vals))
	}
	for i, v := range raw {
		switch v := v.(type) {
		case nil, string:
			vals[i] = v
		case json.Number:
			n, err := v.Int64()
			if err != nil {
				return fmt.Errorf("column %d: %v", i+1, err)
			}
			vals[i] = n
		case map[string]any:
			s, ok := v["base64"].(string)
			if !ok || len(v) != 1 {
				return fmt.Errorf("column %d: an object that is not {\"base64\":…}", i+1)
			}
			bs, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return fmt.Errorf("column %d: %v", i+1, err)
			}
			vals[i] = bs
		default:
			return fmt.Errorf("column %d: unexpected %T", i+1, v)
		}
	}
	return nil
}
