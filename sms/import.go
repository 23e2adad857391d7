package sms

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"

	"peyvand"
)

// Text is one text read from a file of texts.
type Text struct {
	Line int // where it starts, from 1
	Text string
}

// maxFileBytes bounds a file of texts: some 30,000 reports.
const maxFileBytes = 16 << 20

// ReadTexts splits a file of texts, as a phone exports them or a person
// types them: one text per line, or a text broken over several lines, and
// texts separated by blank lines or not. Lines are joined until the check
// code matches, which happens by chance once in a million; a line with a
// character that is never in a text (a phone number, a date, a word) is a
// text of its own, so that it fails alone without swallowing the texts
// around it. Lines starting with # are comments.
func ReadTexts(r io.Reader) ([]Text, error) {
	var out []Text
	var cur strings.Builder
	start := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, Text{Line: start, Text: cur.String()})
			cur.Reset()
		}
	}
	sc := bufio.NewScanner(io.LimitReader(r, maxFileBytes+1))
	sc.Buffer(make([]byte, 0, 4096), maxInputBytes+1)
	read := 0
	for line := 1; sc.Scan(); line++ {
		read += len(sc.Bytes()) + 1
		if read > maxFileBytes {
			return nil, peyvand.Errorf(peyvand.EINVALID, "the file is longer than %d MiB", maxFileBytes>>20)
		}
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "":
			flush()
			continue
		case strings.HasPrefix(s, "#"):
			continue
		}
		if _, _, err := readSymbols(s); err != nil {
			// Not part of a text: it fails on its own.
			flush()
			out = append(out, Text{Line: line, Text: s})
			continue
		}
		if cur.Len() == 0 {
			start = line
		} else {
			cur.WriteByte(' ')
		}
		cur.WriteString(s)
		if complete(cur.String()) || cur.Len() > maxInputBytes {
			flush()
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, peyvand.Errorf(peyvand.EINVALID, "a line is longer than %d bytes: not a file of texts", maxInputBytes)
		}
		return nil, fmt.Errorf("read texts: %w", err)
	}
	flush()
	return out, nil
}

// complete reports whether s is a whole text by its check code.
func complete(s string) bool {
	syms, _, err := readSymbols(s)
	return err == nil && len(syms) > sigSymbols && checkOK(syms)
}

// TextError is a text of a file that cannot be imported.
type TextError struct {
	File string
	Line int
	Err  error
}

func (e *TextError) Error() string {
	return fmt.Sprintf("%s line %d: %s", e.File, e.Line, peyvand.ErrorMessage(e.Err))
}

func (e *TextError) Unwrap() error { return e.Err }

// ImportOptions are the choices of one import of texts.
type ImportOptions struct {
	Actor        string             // who imports, for the audit chain
	Source       string             // the source the reports go to; required
	Kind         peyvand.SourceKind // of a new source; default witness
	Organisation string
	Independent  bool
	File, SHA256 string // the file's base name and digest, for the audit chain
	// SkipInvalid imports the good texts and passes each bad one to
	// Rejected, instead of importing nothing.
	SkipInvalid bool
	Rejected    func(*TextError)
}

// ImportResult says what an import did.
type ImportResult struct {
	peyvand.ImportSummary
	Texts, Rejected int
}

// Import decodes and verifies every text, then stores the reports in one
// transaction. A text that fails stops the import before anything is
// stored, unless opt.SkipInvalid. A text imported before, or twice in the
// same file, adds nothing (see ToRow).
func Import(ctx context.Context, s peyvand.Store, texts []Text, lookup func(string) (ed25519.PublicKey, bool), opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	if opt.Source == "" {
		return res, peyvand.Errorf(peyvand.EINVALID, "import: no source name")
	}
	if opt.Kind == "" {
		opt.Kind = peyvand.SourceWitness
	}
	if opt.Actor == "" {
		opt.Actor = "cli"
	}
	rows := make([]peyvand.ImportRow, 0, len(texts))
	for _, t := range texts {
		res.Texts++
		r, err := Decode(t.Text, lookup)
		if err != nil {
			te := &TextError{File: opt.File, Line: t.Line, Err: err}
			if !opt.SkipInvalid {
				return res, te
			}
			res.Rejected++
			if opt.Rejected != nil {
				opt.Rejected(te)
			}
			continue
		}
		row := ToRow(r)
		row.Line = t.Line
		rows = append(rows, row)
	}
	tx, err := s.BeginImport(ctx, opt.Actor, peyvand.ImportMeta{File: opt.File, SHA256: opt.SHA256, Format: fmt.Sprintf("sms-v%d", Version)})
	if err != nil {
		return res, err
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: opt.Source, Kind: opt.Kind, Organisation: opt.Organisation, Independent: opt.Independent})
	if err != nil {
		tx.Rollback()
		return res, err
	}
	for _, row := range rows {
		row.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, row); err != nil {
			tx.Rollback()
			return res, &TextError{File: opt.File, Line: row.Line, Err: err}
		}
	}
	res.ImportSummary, err = tx.Commit(ctx)
	return res, err
}
