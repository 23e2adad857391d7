package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"peyvand/demo"
)

const demoUsage = `Usage: peyvand demo [flags]

Writes a generated, fictitious list as CSV in the import's default columns:
persons listed by several overlapping sources, in Persian and Latin script,
with the spelling habits, gaps and typos of real lists. For trying imports
and for benchmarks; nothing in it is real.

Example:
  peyvand demo --persons 400000 --out big.csv && peyvand import big.csv
  peyvand demo --persons 532000 --wide-names --out wide1m.csv && peyvand link --out c.csv wide1m.csv
`

func (m *Main) demoCmd(ctx context.Context, args []string) error {
	fs := m.flags("demo", demoUsage)
	persons := fs.Int("persons", demo.DefaultPersons, "number of fictitious persons (each on one to four sources)")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same list")
	out := fs.String("out", "-", "output file (- for standard output)")
	wide := fs.Bool("wide-names", false, "draw from some 300 given names and 2,700 surnames with realistic frequencies (for benchmarks at a million records; the default pool is 62 given names and 50 surnames)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *persons < 1 || *persons > 5_000_000 {
		return usageErrorf("demo: --persons must be between 1 and 5000000")
	}
	var w io.Writer = m.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	d := demo.Generate(demo.Options{Seed: *seed, Persons: *persons, WideNames: *wide})
	if err := demo.WriteCSV(bw, d); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return nil
}
