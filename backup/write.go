package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"filippo.io/age"

	"peyvand"
	"peyvand/sqlstore"
)

// Format and Version name the format this package writes.
const (
	Format  = "peyvand-backup"
	Version = 1
)

// Header is the first line of a backup.
type Header struct {
	Format  string      `json:"format"`
	Version int         `json:"version"`
	Created time.Time   `json:"created"`
	Schema  int         `json:"schema"`
	KeyID   string      `json:"key_id"`
	Dialect string      `json:"dialect"`
	Tables  []TableInfo `json:"tables"`
}

// TableInfo describes one table of a backup.
type TableInfo struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
}

// Rows returns the number of rows in all tables.
func (h Header) Rows() int64 {
	var n int64
	for _, t := range h.Tables {
		n += t.Rows
	}
	return n
}

type trailer struct {
	SHA256 string `json:"sha256"`
}

// Write writes a backup of s, as it is at one moment, to w, encrypted to
// recipients. Writers may go on meanwhile. It holds one row in memory at a
// time.
func Write(ctx context.Context, s *sqlstore.Store, w io.Writer, recipients ...age.Recipient) (Header, error) {
	if len(recipients) == 0 {
		return Header{}, peyvand.Errorf(peyvand.EINVALID, "backup: no recipient and no passphrase: a backup is never written unencrypted")
	}
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return Header{}, fmt.Errorf("backup: encrypt: %w", err)
	}
	zw, err := gzip.NewWriterLevel(aw, gzip.BestSpeed) // a backup runs beside the server: spare its CPU
	if err != nil {
		return Header{}, err
	}
	lw := &lineWriter{w: bufio.NewWriterSize(zw, 1<<16), h: sha256.New()}
	h := Header{Format: Format, Version: Version, Created: time.Now().UTC().Truncate(time.Second),
		KeyID: s.KeyID(), Dialect: s.DialectName()}
	err = s.ReadSnapshot(ctx, func(sn *sqlstore.Snapshot) error {
		var err error
		if h.Schema, err = sn.SchemaVersion(ctx); err != nil {
			return err
		}
		tables := sqlstore.Tables()
		for _, t := range tables {
			cols, err := sn.Columns(ctx, t)
			if err != nil {
				return err
			}
			n, err := sn.Count(ctx, t)
			if err != nil {
				return err
			}
			h.Tables = append(h.Tables, TableInfo{Name: t.Name, Columns: cols, Rows: n})
		}
		if err := lw.json(h); err != nil {
			return err
		}
		for i, t := range tables {
			if err := writeRows(ctx, sn, t, h.Tables[i], lw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	if err := lw.json(trailer{SHA256: hex.EncodeToString(lw.h.Sum(nil))}); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	for _, step := range []struct {
		what string
		fn   func() error
	}{{"flush", lw.w.Flush}, {"compress", zw.Close}, {"encrypt", aw.Close}} {
		if err := step.fn(); err != nil {
			return h, fmt.Errorf("backup: %s: %w", step.what, err)
		}
	}
	return h, nil
}

func writeRows(ctx context.Context, sn *sqlstore.Snapshot, t sqlstore.Table, info TableInfo, lw *lineWriter) error {
	var n int64
	var buf []byte
	err := sn.Rows(ctx, t, info.Columns, func(vals []any) error {
		var err error
		if buf, err = appendRow(buf[:0], vals); err != nil {
			return fmt.Errorf("%s row %d: %w", t.Name, n+1, err)
		}
		n++
		return lw.line(buf)
	})
	if err != nil {
		return err
	}
	if n != info.Rows {
		// Cannot happen in a snapshot; if it did, the backup would not be
		// of one moment.
		return fmt.Errorf("%s: counted %d rows, read %d: the snapshot was not consistent", t.Name, info.Rows, n)
	}
	return nil
}

// appendRow appends vals as a JSON array.
func appendRow(b []byte, vals []any) ([]byte, error) {
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := v.(type) {
		case nil:
			b = append(b, "null"...)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool: // some drivers read 0/1 columns as booleans
			if v {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case string:
			if !utf8.ValidString(v) {
				b = appendBytes(b, []byte(v))
				continue
			}
			b = appendString(b, v)
		case []byte:
			b = appendBytes(b, v)
		default:
			return nil, fmt.Errorf("column %d: unexpected value of type %T", i+1, v)
		}
	}
	return append(b, ']'), nil
}

func appendBytes(b, v []byte) []byte {
	b = append(b, `{"base64":"`...)
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, `"}`...)
}

// appendString appends s, valid UTF-8, as a JSON string. Hand-written
// because rows are most of a backup and encoding/json's reflection costs
// several times as much.
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// lineWriter writes lines and hashes them, for the trailer.
type lineWriter struct {
	w *bufio.Writer
	h hash.Hash
}

func (lw *lineWriter) line(b []byte) error {
	lw.h.Write(b)
	lw.h.Write([]byte{'\n'})
	if _, err := lw.w.Write(b); err != nil {
		return err
	}
	return lw.w.WriteByte('\n')
}

func (lw *lineWriter) json(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return lw.line(b)
}
