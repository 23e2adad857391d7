package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"peyvand"
	"peyvand/ingest"
	"peyvand/table"
)

const importUsage = `Usage: peyvand import [flags] FILE [FILE...]

Imports lists into the registry: CSV (UTF-8, UTF-8 with BOM, UTF-16, or
Windows-1256 as Excel writes it in Iran; comma, semicolon, tab or Arabic
comma), Excel .xlsx, and PFIF 1.1–1.4 XML (.xml, .pfif). Each file is one
transaction: a bad row stops it and nothing of the file is stored, unless
--skip-invalid. Importing the same file again, or a newer version of the
list, adds no duplicates: records keep their source's own id.

Columns are recognised by their English, Persian, German or French names
(record_id / شناسه, family_name / نام خانوادگی, father_name / نام پدر,
city / شهر, national_id / کد ملی, ...); --map names others. Columns not
recognised are kept, sealed, in the record's notes.

Example:
  peyvand import --source hrana-2026-01 --org HRANA --independent list.xlsx
  peyvand import --map 'نام شهرستان=city' --map 'Opfer=full_name' liste.csv
`

type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }

func (m *Main) importCmd(ctx context.Context, args []string) error {
	fs := m.flags("import", importUsage)
	sf := m.addStoreFlags(fs)
	var maps multiFlag
	source := fs.String("source", "", "source name for rows without a source column (default: the file name)")
	kind := fs.String("kind", "list", "kind of new sources: list, witness, news, inquiry")
	org := fs.String("org", "", "organisation that owns new sources")
	indep := fs.Bool("independent", false, "new sources were compiled independently of the others (for estimation)")
	fs.Var(&maps, "map", "map a column: 'header=field' (repeatable; field - leaves a column out)")
	sheet := fs.String("sheet", "", "Excel sheet to read (default: the first with data)")
	delim := fs.String("delimiter", "", "CSV delimiter (default: sniffed)")
	monthFirst := fs.Bool("month-first", false, "read ambiguous dates such as 01/02/2026 month first (default: day first)")
	skip := fs.Bool("skip-invalid", false, "import the good rows; write bad ones to the rejects file")
	rejects := fs.String("rejects", "", "with --skip-invalid: file for bad rows (default FILE.rejects.csv)")
	actor := fs.String("actor", "", "who imports, for the audit log (default cli:$USER)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	link := fs.Bool("link", false, "after the import, link the registry's records into persons (peyvand relink)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErrorf("import: no file given")
	}
	overrides, err := ingest.ParseMap(maps)
	if err != nil {
		return usageErrorf("import: %v", err)
	}
	var comma rune
	if *delim != "" {
		if *delim == `\t` || *delim == "tab" {
			*delim = "\t"
		}
		if utf8.RuneCountInString(*delim) != 1 {
			return usageErrorf("import: --delimiter must be one character")
		}
		comma, _ = utf8.DecodeRuneInString(*delim)
	}
	if !peyvand.SourceKind(*kind).Valid() {
		return usageErrorf("import: --kind %q is not list, witness, news or inquiry", *kind)
	}
	s, err := m.open(ctx, sf, true)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, path := range fs.Args() {
		opt := ingest.Options{Actor: m.actor(*actor), Source: *source, Kind: peyvand.SourceKind(*kind),
			Organisation: *org, Independent: *indep, Map: overrides, SkipInvalid: *skip,
			Parse: ingest.ParseOptions{MonthFirst: *monthFirst}, Table: table.Options{Sheet: *sheet, Comma: comma}}
		if err := m.importFile(ctx, s, path, opt, *rejects, *quiet); err != nil {
			return err
		}
	}
	if *link {
		return m.relink(ctx, s, m.actor(*actor))
	}
	return nil
}

func (m *Main) importFile(ctx context.Context, s peyvand.Store, path string, opt ingest.Options, rejectsPath string, quiet bool) error {
	var rf *os.File
	if opt.SkipInvalid {
		if rejectsPath == "" {
			rejectsPath = path + ".rejects.csv"
		}
		var err error
		if rf, err = os.Create(rejectsPath); err != nil {
			return err
		}
		defer rf.Close()
		opt.Rejects = rf
	}
	bar := newProgress(m.Stderr, path, quiet)
	opt.Progress = bar.update
	start := time.Now()
	res, err := ingest.File(ctx, s, path, opt)
	bar.done()
	if err != nil {
		if rf != nil {
			rf.Close()
			os.Remove(rejectsPath)
		}
		return fmt.Errorf("import %s: nothing imported: %w", path, err)
	}
	fmt.Fprintf(m.Stdout, "%s: %d rows: %d created, %d updated, %d unchanged, %d new status events, %d rejected; read as %s into %s in %s\n",
		path, res.Rows, res.Created, res.Updated, res.Unchanged, res.Events, res.Rejected, res.Format,
		strings.Join(res.Sources, ", "), time.Since(start).Round(time.Millisecond))
	if len(res.Unknown) > 0 {
		fmt.Fprintf(m.Stdout, "%s: columns not recognised, kept (sealed) in notes: %s — use --map to read them as fields\n",
			path, strings.Join(res.Unknown, ", "))
	}
	if res.Rejected > 0 {
		fmt.Fprintf(m.Stdout, "%s: %d rejected rows, with the reason, in %s\n", path, res.Rejected, rejectsPath)
	} else if rf != nil {
		rf.Close()
		os.Remove(rejectsPath)
	}
	return nil
}
