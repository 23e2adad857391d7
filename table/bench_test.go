package table

import (
	"bytes"
	"fmt"
	"testing"
)

// benchCSV is a CSV file like an organisation's list: 14 columns of short
// Persian and ASCII text.
func benchCSV(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("شناسه,نام,نام خانوادگی,نام پدر,جنسیت,سن,تاریخ,شهر,استان,محل,وضعیت,منبع,پیوند,توضیحات\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,مریم,احمدی,حسن,زن,%d,1401/06/%02d,تهران,تهران,خیابان آزادی,زخمی,سازمان,https://example.org/%d,\"شرح, با ویرگول\"\n",
			i, 18+i%50, 1+i%30, i)
	}
	return b.Bytes()
}

func BenchmarkCSV(b *testing.B) { benchmarkCSV(b, Options{}) }

func BenchmarkCSVLenient(b *testing.B) { benchmarkCSV(b, Options{Lenient: true}) }

func benchmarkCSV(b *testing.B, opt Options) {
	const rows = 100_000
	data := benchCSV(rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open("bench.csv", bytes.NewReader(data), opt)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			n++
		}
		if n != rows {
			b.Fatalf("%d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
