package ingest_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"peyvand/demo"
	"peyvand/ingest"
	"peyvand/sqlite"
	"peyvand/storetest"
)

// BenchmarkImportSQLite imports a generated list into a fresh SQLite
// store. PEYVAND_BENCH_PERSONS sets its size (default 20,000 persons,
// about 37,000 rows); docs/BENCHMARKS.md has the figures for 1M rows,
// measured with the CLI.
func BenchmarkImportSQLite(b *testing.B) {
	persons := 20000
	if v, err := strconv.Atoi(os.Getenv("PEYVAND_BENCH_PERSONS")); err == nil {
		persons = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "list.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.WriteCSV(f, demo.Generate(demo.Options{Seed: 1, Persons: persons})); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ReportAllocs()
	b.ResetTimer()
	var rows int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(dir, strconv.Itoa(i)+".db"), storetest.TestKeys(b, 1))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := ingest.File(ctx, s, path, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Rows
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
