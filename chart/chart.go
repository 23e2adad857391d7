// Package chart draws bar and time-series charts as inline SVG on the
// server, so that pages can show them without scripts, third-party assets
// or inline styles.
//
// Every chart is a complete <svg> element with role="img", a <title> and
// aria-label naming it, and a <desc> listing its data, sized by a viewBox
// so that CSS can shrink it to a phone's width. Colours come from classes
// prefixed "chart-" (see web/static/chart.css); geometry and font sizes are
// attributes, because the layout is computed from the font size and must
// not drift from it. Labels are data and are always escaped.
//
// Counts cannot be negative. A negative value is drawn as zero (no bar, no
// column, a point on the baseline) but labelled with its real value, so a
// bug upstream shows on the page instead of hiding as a plausible zero.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout constants, in SVG user units (CSS pixels at the natural size).
const (
	defaultWidth = 360 // a phone's width, the narrowest screen we design for
	minWidth     = 200 // below this the labels leave no room for bars
	pad          = 8   // margin around the drawing
	fontSize     = 13  // labels and values
	tickFontSize = 11  // axis ticks
	// charWidth is the advance of an average glyph as a fraction of the
	// font size. Without the font's metrics on the server it is an
	// estimate, deliberately generous for digits and Latin text so that
	// value labels do not run off the edge.
	charWidth = 0.6
)

// formatter returns f, or decimal ASCII digits when f is nil.
func formatter(f func(int) string) func(int) string {
	if f == nil {
		return strconv.Itoa
	}
	return f
}

// textWidth estimates the width of s set at size.
func textWidth(s string, size float64) float64 {
	n := 0
	for _, r := range s {
		// Marks and joiners take no advance; Persian text has many
		// zero-width non-joiners (U+200C) and diacritics.
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		n++
	}
	return float64(n) * size * charWidth
}

// truncate shortens s with an ellipsis to fit width at size. A truncated
// label stays whole in the row's <title> and in the chart's <desc>.
func truncate(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	runes := []rune(s)
	for len(runes) > 0 && textWidth(string(runes)+"…", size) > width {
		runes = runes[:len(runes)-1]
	}
	return strings.TrimSpace(string(runes)) + "…"
}

// clean makes s safe to place in XML text once escaped: invalid UTF-8
// becomes U+FFFD; characters XML 1.0 forbids, and the explicit bidi
// embeddings, overrides and isolates, are dropped, since a label joined
// into the <desc> could otherwise reorder the labels after it; line
// breaks and tabs become spaces, and spaces at either end go. Zero-width
// joiners stay: Persian needs them.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20, r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
			// dropped: not allowed in XML, or C1 controls nobody means
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			// dropped: bidi embeddings, overrides and isolates
		default:
			b.WriteRune(r) // writes U+FFFD for invalid UTF-8
		}
	}
	return strings.TrimSpace(b.String())
}

// esc escapes s for SVG text and attribute values. html.EscapeString
// escapes the five characters that matter in both HTML and XML.
func esc(s string) string { return html.EscapeString(clean(s)) }

// num formats a coordinate with at most one decimal, so output is
// compact and identical on every platform.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// align is a physical text alignment. SVG's text-anchor values start and
// end follow the text direction, so the mapping is made in one place.
type align int

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

func (a align) anchor(rtl bool) string {
	switch {
	case a == alignCenter:
		return "middle"
	case (a == alignLeft) != rtl:
		return "start"
	}
	return "end"
}

// svg accumulates one chart.
type svg struct {
	b   strings.Builder
	rtl bool
}

// open writes the root element, its title and description. The
// direction attribute is set even for left-to-right charts because an
// inline SVG would otherwise inherit the page's direction, which flips
// every text-anchor.
func (w *svg) open(kind string, width, height float64, title, desc string) {
	dir := "ltr"
	if w.rtl {
		dir = "rtl"
	}
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" role="img" aria-label="%s" viewBox="0 0 %s %s" width="%s" height="%s" direction="%s" font-size="%d">`,
		kind, esc(title), num(width), num(height), num(width), num(height), dir, fontSize)
	w.printf("<title>%s</title>", esc(title))
	if desc != "" {
		w.printf("<desc>%s</desc>", esc(desc))
	}
}

func (w *svg) close() { w.b.WriteString("</svg>") }

// printf writes to the chart. Every argument is escaped or formatted by
// the caller (esc, num), never by a verb.
func (w *svg) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// text writes one <text> element.
func (w *svg) text(class string, x, y float64, a align, size int, s string) {
	sz := ""
	if size != fontSize {
		sz = ` font-size="` + strconv.Itoa(size) + `"`
	}
	w.printf(`<text class="%s" x="%s" y="%s" text-anchor="%s"%s>%s</text>`,
		class, num(x), num(y), a.anchor(w.rtl), sz, esc(s))
}

// line writes one <line>. The stroke attribute is a fallback for a page
// without chart.css; the class overrides it.
func (w *svg) line(class string, x1, y1, x2, y2 float64) {
	w.printf(`<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="currentColor"/>`,
		class, num(x1), num(y1), num(x2), num(y2))
}

// rect writes one <rect>, with a tooltip when tip is not empty.
func (w *svg) rect(class string, x, y, width, height float64, tip string) {
	w.printf(`<rect class="%s" x="%s" y="%s" width="%s" height="%s"`,
		class, num(x), num(y), num(width), num(height))
	if tip == "" {
		w.b.WriteString("/>")
		return
	}
	w.printf("><title>%s</title></rect>", esc(tip))
}

// pair is how a label and its value read in a tooltip or description.
func pair(label, value string) string { return label + ": " + value }

// listSep separates the entries of a description.
func listSep(rtl bool) string {
	if rtl {
		return "؛ " // the Arabic semicolon, which Persian uses
	}
	return "; "
}

// niceScale picks an axis for values up to max: a step of 1, 2 or 5
// times a power of ten giving at most maxTicks steps, and the top of the
// axis, max rounded up to a step. It works in integers so that counts
// near math.MaxInt neither overflow nor lose their last digits; when
// rounding up would overflow, the top is max itself.
func niceScale(max, maxTicks int) (step, top int) {
	if max <= 0 {
		return 1, 1
	}
	target := max / maxTicks
	p := 1
	for p <= target/10 {
		p *= 10
	}
	step = p
	for _, m := range []int{1, 2, 5, 10, 20, 50} {
		if p > math.MaxInt/m {
			break
		}
		step = m * p
		if max/step+boolInt(max%step != 0) <= maxTicks {
			break
		}
	}
	q := max/step + boolInt(max%step != 0)
	if q > math.MaxInt/step {
		return step, max
	}
	return step, q * step
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// clampWidth applies the default and minimum chart width.
func clampWidth(w int) float64 {
	switch {
	case w <= 0:
		return defaultWidth
	case w < minWidth:
		return minWidth
	}
	return float64(w)
}
