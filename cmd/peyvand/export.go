package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"

	"peyvand"
	"peyvand/export"
)

const exportUsage = `Usage: peyvand export [flags]

Writes the registry's records and status events: csv (the import's
columns, one row per event; imports back as the same data), json (sources
and records with their events) or pfif (PFIF 1.4, for people-finder
services). Contacts, witnesses and testimony are sealed and stay out unless
--include-sealed.

Example:
  peyvand export --format csv --hxl --source hrana-2026-01 --out hrana.csv
  peyvand export --format pfif --out peyvand.pfif.xml
`

func (m *Main) exportCmd(ctx context.Context, args []string) error {
	fs := m.flags("export", exportUsage)
	sf := m.addStoreFlags(fs)
	format := fs.String("format", "csv", "csv, json or pfif")
	out := fs.String("out", "-", "output file (- for standard output)")
	source := fs.String("source", "", "export only this source (by name)")
	sealed := fs.Bool("include-sealed", false, "include contacts, reporters and testimony (handle the file accordingly)")
	hxl := fs.Bool("hxl", false, "csv: add a row of HXL hashtags under the header")
	actor := fs.String("actor", "", "who exports, for the audit log (default cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	write := map[string]func(context.Context, peyvand.Store, io.Writer, export.Options) error{
		"csv": export.CSV, "json": export.JSON, "pfif": export.PFIF,
	}[*format]
	if write == nil {
		return usageErrorf("export: --format %q is not csv, json or pfif", *format)
	}
	s, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer s.Close()
	var w io.Writer = m.Stdout
	var f *os.File
	if *out != "-" {
		// The export may hold sealed data: readable by its owner only.
		if f, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := write(ctx, s, bw, export.Options{Source: *source, IncludeSealed: *sealed, HXL: *hxl}); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	// Every export is in the audit chain: what, from which source, and
	// whether it held sealed fields.
	to := "standard output"
	if *out != "-" {
		to = "file " + filepath.Base(*out)
	}
	return s.Disclose(ctx, m.actor(*actor), peyvand.Disclosure{What: "export", To: to,
		Detail: map[string]any{"format": *format, "source": *source, "sealed": *sealed}})
}
