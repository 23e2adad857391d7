package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"peyvand/persian"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func persianDigits(n int) string { return persian.PersianDigits(strconv.Itoa(n)) }

var provinces = []Bar{
	{"تهران", 412},
	{"کرمانشاه", 97},
	{"سیستان و بلوچستان", 155},
	{"کهگیلویه و بویراحمد", 0},
	{"آذربایجان غربی", 1},
}

// days is a fortnight of counts with a gap, labelled in Jalali.
func days(n int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{Label: fmt.Sprintf("1401-06-%02d", 26+i%5), Value: (i * 37 % 23) * (i % 4)}
	}
	return pts
}

// cases are the charts under test; each has a golden file
// testdata/<name>.svg, empty when the chart is "".
var cases = []struct {
	name  string
	chart func() template.HTML
}{
	{"bars_empty", func() template.HTML { return Bars(BarOptions{Title: "none"}, nil) }},
	{"bars_one", func() template.HTML { return Bars(BarOptions{Title: "One"}, []Bar{{"Tehran", 7}}) }},
	{"bars_zeros", func() template.HTML {
		return Bars(BarOptions{Title: "Zeros"}, []Bar{{"a", 0}, {"b", 0}})
	}},
	{"bars_huge", func() template.HTML {
		return Bars(BarOptions{Title: "Huge"}, []Bar{{"max", math.MaxInt}, {"half", math.MaxInt / 2}, {"one", 1}})
	}},
	{"bars_negative", func() template.HTML {
		return Bars(BarOptions{Title: "Negative"}, []Bar{{"bug", -5}, {"ok", 10}})
	}},
	{"bars_ltr", func() template.HTML {
		return Bars(BarOptions{Title: "By province"}, provinces)
	}},
	{"bars_rtl", func() template.HTML {
		return Bars(BarOptions{Title: "بر پایه استان", RTL: true, Digits: persianDigits}, provinces)
	}},
	{"bars_long_label_narrow", func() template.HTML {
		return Bars(BarOptions{Title: "Long", RTL: true, Width: 100}, []Bar{
			{strings.Repeat("فهرست گروه‌های حقوق بشری ", 6), 3},
		})
	}},
	{"series_empty", func() template.HTML { return Series(SeriesOptions{Title: "none"}, nil) }},
	{"series_one", func() template.HTML {
		return Series(SeriesOptions{Title: "One day"}, []Point{{"2022-09-16", 3}})
	}},
	{"series_zeros", func() template.HTML {
		return Series(SeriesOptions{Title: "Zeros", Kind: Line}, []Point{{"a", 0}, {"b", 0}, {"c", 0}})
	}},
	{"series_huge", func() template.HTML {
		return Series(SeriesOptions{Title: "Huge"}, []Point{{"a", math.MaxInt}, {"b", 1}, {"c", -3}})
	}},
	{"series_columns_ltr", func() template.HTML {
		return Series(SeriesOptions{Title: "Per day"}, days(14))
	}},
	{"series_columns_rtl", func() template.HTML {
		return Series(SeriesOptions{Title: "روزانه", RTL: true, Digits: persianDigits}, days(14))
	}},
	{"series_line_rtl", func() template.HTML {
		return Series(SeriesOptions{Title: "روزانه", RTL: true, Digits: persianDigits, Kind: Line, Width: 480, Height: 240}, days(14))
	}},
	{"series_line_many", func() template.HTML {
		return Series(SeriesOptions{Title: "A quarter", Kind: Line}, days(90))
	}},
}

func TestGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(c.chart())
			if again := string(c.chart()); again != got {
				t.Fatal("output differs between two runs")
			}
			path := filepath.Join("testdata", c.name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./chart/ -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update if the change is intended)\ngot:\n%s", path, got)
			}
		})
	}
}

func TestEmptyInputGivesNothing(t *testing.T) {
	if got := Bars(BarOptions{}, []Bar{}); got != "" {
		t.Errorf("Bars of no bars = %q, want empty", got)
	}
	if got := Series(SeriesOptions{}, []Point{}); got != "" {
		t.Errorf("Series of no points = %q, want empty", got)
	}
}

// TestWellFormed checks every chart is one XML <svg> element of the kinds
// we draw, with no style attribute, no event handler and no reference
// outside itself.
func TestWellFormed(t *testing.T) {
	for _, c := range cases {
		out := string(c.chart())
		if out == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			checkSVG(t, out)
			if strings.Contains(out, "style=") {
				t.Error(`output contains "style="`)
			}
			if n := strings.Count(out, "http"); n != 1 || !strings.Contains(out, `xmlns="http://www.w3.org/2000/svg"`) {
				t.Errorf(`"http" occurs %d times; want only the SVG namespace`, n)
			}
			for _, attr := range []string{`role="img"`, `aria-label="`, `viewBox="0 0 `, "<title>"} {
				if !strings.Contains(out, attr) {
					t.Errorf("output lacks %s", attr)
				}
			}
		})
	}
}

// hostile are labels that try to break out of the SVG, its attributes or
// its text direction.
var hostile = []string{
	"</svg><script>alert(1)</script>",
	`"><image href="http://x/y.png"/>`,
	"' onload='alert(1)",
	"<![CDATA[ ]]> <!-- --> &amp; &#x3c;",
	"\x00\x01\x1b\x7f\u0085 nul and controls",
	"\xff\xfe invalid UTF-8",
	"\u202eevil override\u2066 isolate",
	"line\nbreak\ttab",
}

func TestHostileLabels(t *testing.T) {
	for _, label := range hostile {
		charts := map[string]template.HTML{
			"bars":   Bars(BarOptions{Title: label, RTL: true}, []Bar{{label, 1}, {"x", 2}}),
			"series": Series(SeriesOptions{Title: label, Kind: Line}, []Point{{label, 1}, {label, 2}}),
		}
		for kind, out := range charts {
			texts := checkSVG(t, string(out))
			if !strings.Contains(texts, clean(label)) {
				t.Errorf("%s: label %q is not in the text as text", kind, label)
			}
			// html/template inserts template.HTML as is; the page around
			// the chart must still have exactly one svg and no script.
			page := template.Must(template.New("").Parse(`<main><figure>{{.}}</figure><p>after</p></main>`))
			var buf bytes.Buffer
			if err := page.Execute(&buf, out); err != nil {
				t.Fatal(err)
			}
			html := strings.ToLower(buf.String())
			if strings.Count(html, "<svg") != 1 || strings.Count(html, "</svg>") != 1 || strings.Contains(html, "<script") ||
				strings.Contains(html, "<image") || !strings.HasSuffix(html, "</svg></figure><p>after</p></main>") {
				t.Errorf("%s: label %q escapes the chart:\n%s", kind, label, buf.String())
			}
		}
	}
}

// allowed are the elements the package draws.
var allowed = map[string]bool{
	"svg": true, "title": true, "desc": true, "g": true, "text": true,
	"rect": true, "line": true, "polyline": true, "circle": true,
}

// checkSVG parses out strictly as XML, checks its elements and
// attributes, and returns its text content.
func checkSVG(t *testing.T, out string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	var text strings.Builder
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root element is %v", tok.Name)
				}
			}
			depth++
			if !allowed[tok.Name.Local] {
				t.Errorf("unexpected element <%s>", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if name == "style" || name == "href" || name == "src" || strings.HasPrefix(name, "on") {
					t.Errorf("<%s> has attribute %s=%q", tok.Name.Local, a.Name.Local, a.Value)
				}
				if name == "class" {
					for _, c := range strings.Fields(a.Value) {
						if c != "chart" && !strings.HasPrefix(c, "chart-") {
							t.Errorf("class %q lacks the chart- prefix", c)
						}
					}
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				t.Errorf("text outside the svg: %q", tok)
			}
			text.Write(tok)
		default:
			t.Errorf("unexpected token %T %v", tok, tok)
		}
	}
	if roots != 1 {
		t.Errorf("%d root elements, want 1", roots)
	}
	return text.String()
}

func TestRTLMirrorsLTR(t *testing.T) {
	bars := []Bar{{"a", 10}, {"b", 5}}
	ltr := string(Bars(BarOptions{Title: "t"}, bars))
	rtl := string(Bars(BarOptions{Title: "t", RTL: true}, bars))
	// The longest bar spans the same length from opposite edges.
	for _, want := range []string{`<rect class="chart-bar" x="8" y="23"`} {
		if !strings.Contains(ltr, want) {
			t.Errorf("LTR lacks %s:\n%s", want, ltr)
		}
	}
	if !strings.Contains(ltr, `direction="ltr"`) || !strings.Contains(rtl, `direction="rtl"`) {
		t.Error("direction attribute not set")
	}
	if strings.Contains(rtl, `x="8" y="23"`) {
		t.Errorf("RTL bar starts at the left edge:\n%s", rtl)
	}

	pts := []Point{{"first", 1}, {"last", 2}}
	for _, c := range []struct {
		rtl        bool
		firstRight bool
	}{{false, false}, {true, true}} {
		out := string(Series(SeriesOptions{RTL: c.rtl, Kind: Line}, pts))
		first, last := tickX(t, out, "first"), tickX(t, out, "last")
		if (first > last) != c.firstRight {
			t.Errorf("RTL=%v: first period at x=%v, last at x=%v", c.rtl, first, last)
		}
	}
}

// tickX returns the x of the text element whose content is label.
func tickX(t *testing.T, out, label string) float64 {
	t.Helper()
	end := strings.Index(out, ">"+label+"</text>")
	if end < 0 {
		t.Fatalf("no text %q in\n%s", label, out)
	}
	start := strings.LastIndex(out[:end], `x="`) + 3
	x, err := strconv.ParseFloat(out[start:start+strings.IndexByte(out[start:], '"')], 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ max, step, top int }{
		{0, 1, 1},
		{-4, 1, 1},
		{1, 1, 1},
		{5, 1, 5},
		{7, 2, 8},
		{100, 20, 100},
		{101, 50, 150},
		{412, 100, 500},
		{math.MaxInt, 2e18, math.MaxInt},
	} {
		step, top := niceScale(c.max, 5)
		if step != c.step || top != c.top {
			t.Errorf("niceScale(%d) = %d, %d; want %d, %d", c.max, step, top, c.step, c.top)
		}
	}
}

func TestBarLength(t *testing.T) {
	for _, c := range []struct {
		v, max int
		want   float64
	}{
		{0, 10, 0}, {-3, 10, 0}, {5, 0, 0}, {10, 10, 200}, {5, 10, 100},
		{1, 1_000_000, 1}, // one person is never drawn as none
		{math.MaxInt, math.MaxInt, 200},
	} {
		if got := barLength(c.v, c.max, 200); got != c.want {
			t.Errorf("barLength(%d, %d) = %v, want %v", c.v, c.max, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"تهران":                "تهران",
		"می‌خواهم":             "می‌خواهم", // the zero-width non-joiner stays
		"a\x00b\x1bc":          "abc",
		"a\nb\tc":              "a b c",
		"\u202egnp.exe":        "gnp.exe",
		"\xff":                 "\ufffd",
		"\u2067x\u2069 \ufffe": "x",
		"  padded\n":           "padded",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLabels(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, 3)
	}
	f.Add("تهران", -1)
	f.Fuzz(func(t *testing.T, label string, v int) {
		checkSVG(t, string(Bars(BarOptions{Title: label}, []Bar{{label, v}, {label, 1}})))
		checkSVG(t, string(Series(SeriesOptions{Title: label, RTL: true}, []Point{{label, v}, {label, 0}})))
	})
}

// TestStylesheetCoversClasses keeps web/static/chart.css in step with the
// classes that carry colour: a class without a rule would draw black.
func TestStylesheetCoversClasses(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("..", "web", "static", "chart.css"))
	if err != nil {
		t.Fatal(err)
	}
	for _, class := range []string{"chart-bar", "chart-column", "chart-dot", "chart-line", "chart-axis", "chart-grid", "chart-tick", "chart-value"} {
		if !bytes.Contains(css, []byte("."+class+" ")) && !bytes.Contains(css, []byte("."+class+",")) {
			t.Errorf("chart.css has no rule for .%s", class)
		}
	}
}

// TestPeriodLabelsDoNotOverlap draws series of every length up to a
// quarter and checks the period labels, by their estimated widths, keep
// apart and inside the chart, and the first period is always labelled.
func TestPeriodLabelsDoNotOverlap(t *testing.T) {
	label := regexp.MustCompile(`<text class="chart-tick" x="([0-9.]+)" y="[0-9.]+" text-anchor="middle" font-size="11">([^<]*)</text>`)
	for _, width := range []int{200, 360, 480} {
		for _, rtl := range []bool{false, true} {
			for n := 1; n <= 92; n++ {
				pts := days(n)
				out := string(Series(SeriesOptions{Width: width, RTL: rtl}, pts))
				var prevX, prevHalf float64
				for j, m := range label.FindAllStringSubmatch(out, -1) {
					x, _ := strconv.ParseFloat(m[1], 64)
					half := textWidth(m[2], tickFontSize) / 2
					if j == 0 && m[2] != pts[0].Label {
						t.Errorf("width %d RTL %v n %d: first label is %q", width, rtl, n, m[2])
					}
					if x-half < pad-0.1 || x+half > float64(width-pad)+0.1 {
						t.Errorf("width %d RTL %v n %d: label %q at %v leaves the chart", width, rtl, n, m[2], x)
					}
					if j > 0 && math.Abs(x-prevX) < prevHalf+half+labelGap-0.2 {
						t.Errorf("width %d RTL %v n %d: labels at %v and %v overlap", width, rtl, n, prevX, x)
					}
					prevX, prevHalf = x, half
				}
			}
		}
	}
}
