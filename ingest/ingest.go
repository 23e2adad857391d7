// Package ingest imports the lists people send into the registry: CSV and
// Excel files in Persian or Latin script, with headers in English, Persian,
// German or French, and PFIF from people-finder services. It reads values
// strictly: a value it cannot read stops the import with the file, line and
// field, and the import lands whole or not at all.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"peyvand"
	"peyvand/table"
)

// Options for one import.
type Options struct {
	Actor string // who imports, for the audit chain
	// Source names the source of rows that do not name one; by default
	// the file's base name without extension.
	Source       string
	Kind         peyvand.SourceKind // of new sources; default list
	Organisation string
	Independent  bool
	Map          map[string]Field // --map overrides, from ParseMap
	Parse        ParseOptions
	Table        table.Options
	// SkipInvalid imports the good rows and writes each bad one to
	// Rejects with the reason, instead of stopping at the first.
	SkipInvalid bool
	Rejects     io.Writer
	// Progress, if set, is called now and then with bytes read and the
	// file's size.
	Progress func(done, total int64)
	// Header, if set, is called by Rows and MapRows with a table's
	// resolved columns before its first row, so a tool can say which
	// columns it did not recognise or set aside.
	Header func(*Columns)
}

// Result says what an import did.
type Result struct {
	peyvand.ImportSummary
	Rows     int      // data rows read
	Rejected int      // rows skipped with --skip-invalid
	Format   string   // what the file was read as
	Unknown  []string // columns not recognised, kept in notes
	Sources  []string // names of the sources the rows went to
}

// RowError is a row that cannot be imported.
type RowError struct {
	File  string
	Line  int
	Field Field // "" when the problem is the whole row
	Err   error
}

func (e *RowError) Error() string {
	var e2 *peyvand.Error
	msg := e.Err.Error()
	if errors.As(e.Err, &e2) {
		msg = e2.Message
	}
	if e.Field != "" {
		return fmt.Sprintf("%s line %d, field %s: %s", e.File, e.Line, e.Field, msg)
	}
	return fmt.Sprintf("%s line %d: %s", e.File, e.Line, msg)
}

func (e *RowError) Unwrap() error { return e.Err }

// File imports the file at path into s in one transaction.
func File(ctx context.Context, s peyvand.Store, path string, opt Options) (Result, error) {
	var res Result
	sum, size, err := digestFile(path)
	if err != nil {
		return res, err
	}
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	name := filepath.Base(path)
	if opt.Source == "" {
		opt.Source = strings.TrimSuffix(name, filepath.Ext(name))
	}
	if opt.Kind == "" {
		opt.Kind = peyvand.SourceList
	}
	if opt.Actor == "" {
		opt.Actor = "cli"
	}
	in := &countingReader{r: f, total: size, progress: opt.Progress}
	ext := strings.ToLower(filepath.Ext(name))
	var rows rowSource
	if ext == ".xml" || ext == ".pfif" {
		rows, err = newPFIFRows(name, in)
	} else {
		rows, err = newTableRows(name, in, opt)
	}
	if err != nil {
		return res, peyvand.Errorf(peyvand.EINVALID, "%v", err)
	}
	defer rows.Close()
	res.Format, res.Unknown = rows.Format(), rows.Unknown()

	tx, err := s.BeginImport(ctx, opt.Actor, peyvand.ImportMeta{File: name, SHA256: sum, Format: res.Format})
	if err != nil {
		return res, err
	}
	imp := &importer{tx: tx, opt: opt, file: name, sources: map[string]peyvand.Source{}, res: &res}
	if opt.SkipInvalid && opt.Rejects != nil {
		imp.rejects = csv.NewWriter(opt.Rejects)
		io.WriteString(opt.Rejects, "\ufeff") // so that Excel reads the Persian in it as UTF-8
		imp.rejects.Write(append(append([]string{}, rows.Header()...), "error"))
	}
	if err := imp.run(ctx, rows); err != nil {
		tx.Rollback()
		return res, err
	}
	if imp.rejects != nil {
		imp.rejects.Flush()
		if err := imp.rejects.Error(); err != nil {
			tx.Rollback()
			return res, fmt.Errorf("write rejects: %w", err)
		}
	}
	res.Format = rows.Format() // a PFIF version is known once the document is read
	res.ImportSummary, err = tx.Commit(ctx)
	if opt.Progress != nil {
		opt.Progress(size, size)
	}
	return res, err
}

type importer struct {
	tx      peyvand.ImportTx
	opt     Options
	file    string
	sources map[string]peyvand.Source
	rejects *csv.Writer
	res     *Result
}

// parsed is one row read and converted, or why it could not be.
type parsed struct {
	raw []string
	row Row
	err error
}

// read reads and converts rows on its own goroutine, so that on a machine
// with two cores parsing overlaps with storing. It stops at the end of the
// file, at an error that is not a single bad row, or when done closes.
func read(rows rowSource, opt ParseOptions, done <-chan struct{}) <-chan []parsed {
	out := make(chan []parsed, 4)
	go func() {
		defer close(out)
		batch := make([]parsed, 0, 256)
		for {
			raw, row, err := rows.Next(opt)
			if err != io.EOF {
				batch = append(batch, parsed{raw, row, err})
			}
			var re *RowError
			last := err == io.EOF || (err != nil && !errors.As(err, &re))
			if len(batch) == cap(batch) || (last && len(batch) > 0) {
				select {
				case out <- batch:
				case <-done:
					return
				}
				batch = make([]parsed, 0, 256)
			}
			if last {
				return
			}
		}
	}()
	return out
}

func (imp *importer) run(ctx context.Context, rows rowSource) error {
	done := make(chan struct{})
	defer close(done)
	for batch := range read(rows, imp.opt.Parse, done) {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, p := range batch {
			if err := imp.one(ctx, p); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func (imp *importer) one(ctx context.Context, p parsed) error {
	if p.err != nil {
		var re *RowError
		if !errors.As(p.err, &re) {
			return peyvand.Errorf(peyvand.EINVALID, "%v", p.err) // the file itself is unreadable
		}
		imp.res.Rows++
		return imp.reject(p.raw, re)
	}
	imp.res.Rows++
	if err := imp.put(ctx, p.row); err != nil {
		if peyvand.ErrorCode(err) == peyvand.EINTERNAL {
			return fmt.Errorf("%s line %d: %w", imp.file, p.row.Line, err)
		}
		return imp.reject(p.raw, &RowError{File: imp.file, Line: p.row.Line, Err: err})
	}
	return nil
}

func (imp *importer) reject(raw []string, re *RowError) error {
	if !imp.opt.SkipInvalid {
		return re
	}
	imp.res.Rejected++
	if imp.rejects != nil {
		return imp.rejects.Write(append(append([]string{}, raw...), re.Error()))
	}
	return nil
}

func (imp *importer) put(ctx context.Context, row Row) error {
	name := row.Source
	if name == "" {
		name = imp.opt.Source
	}
	src, ok := imp.sources[name]
	if !ok {
		var err error
		src, err = imp.tx.Source(ctx, peyvand.Source{Name: name, Kind: imp.opt.Kind,
			Organisation: imp.opt.Organisation, Independent: imp.opt.Independent})
		if err != nil {
			return err
		}
		imp.sources[name] = src
		imp.res.Sources = append(imp.res.Sources, name)
	}
	row.Record.SourceID = src.ID
	_, err := imp.tx.Put(ctx, row.ImportRow)
	return err
}

// rowSource is a file read as rows: a table or a PFIF document.
type rowSource interface {
	Header() []string
	// Next returns the next row, the raw cells it came from (for the
	// rejects file), and a *RowError for a row that cannot be read.
	Next(opt ParseOptions) (raw []string, row Row, err error)
	Format() string
	Unknown() []string
	Close() error
}

type tableRows struct {
	rd    table.Reader
	cols  *Columns
	file  string
	first bool
}

func newTableRows(name string, r io.Reader, opt Options) (*tableRows, error) {
	rd, err := table.Open(name, r, opt.Table)
	if err != nil {
		return nil, err
	}
	cols, err := resolveColumns(rd.Header(), opt.Map, opt.Parse.Lenient)
	if err != nil {
		rd.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &tableRows{rd: rd, cols: cols, file: name, first: true}, nil
}

func (t *tableRows) Header() []string  { return t.cols.Header }
func (t *tableRows) Format() string    { return t.rd.Format() }
func (t *tableRows) Unknown() []string { return t.cols.Unknown }
func (t *tableRows) Close() error      { return t.rd.Close() }

func (t *tableRows) Next(opt ParseOptions) ([]string, Row, error) {
	tr, err := t.rd.Next()
	if err != nil {
		return nil, Row{}, err
	}
	if t.first {
		t.first = false
		if isHXL(tr.Cells) {
			return t.Next(opt)
		}
	}
	row, err := t.convertRow(tr.Cells, tr.Line, opt)
	return tr.Cells, row, err
}

// convertRow converts one row's cells; the error is a *RowError. It only
// reads t, so workers may call it at once.
func (t *tableRows) convertRow(cells []string, line int, opt ParseOptions) (Row, error) {
	row, err := t.cols.Convert(cells, opt)
	row.Line = line
	if err != nil {
		re := &RowError{File: t.file, Line: line, Err: peyvand.Errorf(peyvand.EINVALID, "%v", err)}
		var fe *FieldError
		if errors.As(err, &fe) {
			re.Field, re.Err = fe.Field, peyvand.Errorf(peyvand.EINVALID, "%s", fe.Reason)
		}
		return row, re
	}
	return row, nil
}

// convert is convertRow for Rows: the row takes opt.Source when the file
// names none.
func (t *tableRows) convert(cells []string, line int, opt Options) (Row, error) {
	row, err := t.convertRow(cells, line, opt.Parse)
	if row.Source == "" {
		row.Source = opt.Source
	}
	return row, err
}

// isHXL reports whether a row is a row of HXL hashtags (the Humanitarian
// Exchange Language row under the header), which carries no data.
func isHXL(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !strings.HasPrefix(c, "#") {
			return false
		}
		n++
	}
	return n > 0
}

func digestFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// countingReader reports progress as the file is read.
type countingReader struct {
	r        io.Reader
	n, total int64
	last     int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.last >= 1<<20 {
		c.last = c.n
		c.progress(c.n, c.total)
	}
	return n, err
}

// Rows reads the file at path without storing anything, for tools that
// work on files (peyvand link): fn gets each row, in file order, or a
// *RowError for a row that cannot be read at all. Set opt.Parse.Lenient so
// that an odd value is a warning on its row instead. A row without a
// source column takes opt.Source, or the file's base name. Values are
// converted on every core while the file is read; fn is called on the
// caller's goroutine.
func Rows(path string, opt Options, fn func(row Row, err error) error) (format string, err error) {
	return MapRows(path, opt, func(Row, error) struct{} { return struct{}{} },
		func(row Row, err error, _ struct{}) error { return fn(row, err) })
}

// MapRows is Rows with one more step on every core: prepare is called
// concurrently, on worker goroutines, with each row and its error as fn
// gets them, and fn then gets, in file order and on the caller's
// goroutine, the row, its error and what prepare returned for it. A tool
// that turns rows into records of its own (peyvand link) does it in
// prepare, so that the conversion is not one core's work.
func MapRows[T any](path string, opt Options, prepare func(Row, error) T, fn func(Row, error, T) error) (format string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	name := filepath.Base(path)
	if opt.Source == "" {
		opt.Source = strings.TrimSuffix(name, filepath.Ext(name))
	}
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".xml" || ext == ".pfif" {
		rows, err := newPFIFRows(name, f)
		if err != nil {
			return "", peyvand.Errorf(peyvand.EINVALID, "%v", err)
		}
		defer rows.Close()
		return rows.Format(), sequentialRows(rows, opt, prepare, fn)
	}
	// A lenient reading repairs a malformed row (extra cells, a quote
	// left open) with a warning; the registry's import refuses it.
	opt.Table.Lenient = opt.Parse.Lenient
	rows, err := newTableRows(name, f, opt)
	if err != nil {
		return "", peyvand.Errorf(peyvand.EINVALID, "%v", err)
	}
	defer rows.Close()
	if opt.Header != nil {
		opt.Header(rows.cols)
	}
	return rows.Format(), parallelRows(rows, opt, prepare, fn)
}

// sequentialRows feeds fn from a row source that reads and converts in one
// step (PFIF).
func sequentialRows[T any](rows rowSource, opt Options, prepare func(Row, error) T, fn func(Row, error, T) error) error {
	for {
		_, row, err := rows.Next(opt.Parse)
		if err == io.EOF {
			return nil
		}
		var re *RowError
		if err != nil && !errors.As(err, &re) {
			return peyvand.Errorf(peyvand.EINVALID, "%v", err)
		}
		if row.Source == "" {
			row.Source = opt.Source
		}
		if err := fn(row, err, prepare(row, err)); err != nil {
			return err
		}
	}
}

// rowBatch is a run of rows read from a table, converted by a worker; done
// closes when they are.
type rowBatch[T any] struct {
	cells [][]string
	lines []int
	warns [][]string // what a lenient reading repaired, per row
	rows  []Row
	errs  []error
	out   []T
	fatal error // the file could not be read further after these rows
	done  chan struct{}
}

// parallelRows reads a table on one goroutine, converts its rows in
// batches on one worker per core, and hands them to fn in file order.
func parallelRows[T any](t *tableRows, opt Options, prepare func(Row, error) T, fn func(Row, error, T) error) error {
	const batchSize = 256
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *rowBatch[T], workers)
	ordered := make(chan *rowBatch[T], 2*workers+2)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the reader
		defer wg.Done()
		defer close(ordered)
		defer close(work)
		for {
			b := &rowBatch[T]{done: make(chan struct{})}
			for len(b.cells) < batchSize {
				tr, err := t.rd.Next()
				if err != nil {
					if err != io.EOF {
						b.fatal = err
					}
					break
				}
				if t.first {
					t.first = false
					if isHXL(tr.Cells) {
						continue
					}
				}
				b.cells, b.lines, b.warns = append(b.cells, tr.Cells), append(b.lines, tr.Line), append(b.warns, tr.Warnings)
			}
			last := len(b.cells) < batchSize
			select {
			case work <- b:
			case <-stop:
				return
			}
			select {
			case ordered <- b:
			case <-stop:
				return
			}
			if last {
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.rows, b.errs, b.out = make([]Row, len(b.cells)), make([]error, len(b.cells)), make([]T, len(b.cells))
				for i, cells := range b.cells {
					b.rows[i], b.errs[i] = t.convert(cells, b.lines[i], opt)
					if w := b.warns[i]; len(w) > 0 {
						b.rows[i].Warnings = append(slices.Clip(w), b.rows[i].Warnings...)
					}
					b.out[i] = prepare(b.rows[i], b.errs[i])
				}
				close(b.done)
			}
		}()
	}
	defer wg.Wait()
	defer close(stop)
	for b := range ordered {
		<-b.done
		for i := range b.rows {
			if err := fn(b.rows[i], b.errs[i], b.out[i]); err != nil {
				return err
			}
		}
		if b.fatal != nil {
			return peyvand.Errorf(peyvand.EINVALID, "%v", b.fatal)
		}
	}
	return nil
}
