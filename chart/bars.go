package chart

import (
	"html/template"
	"strings"
)

// Bar is one bar: a label, often a long Persian name, and a count.
type Bar struct {
	Label string
	Value int
}

// BarOptions shape a bar chart.
type BarOptions struct {
	// Title names the chart for screen readers (<title>, aria-label).
	// It is not drawn: the page's heading or figcaption shows it.
	Title string
	// RTL draws bars growing from the right, labels right-aligned.
	RTL bool
	// Digits formats values, e.g. in Persian digits; nil prints ASCII.
	Digits func(int) string
	// Width is the natural width in CSS pixels, 360 when zero, at least
	// 200. The chart shrinks to narrower screens but does not grow.
	Width int
}

// Bar row geometry: each label sits on its own line above its bar, so a
// long label needs no room beside the bar on a narrow screen.
const (
	barRowHeight = 42 // label line, bar, gap
	barLabelBase = 14 // label baseline from the row's top
	barTop       = 19 // bar's top from the row's top
	barHeight    = 14
	barValueBase = barTop + 11 // value baseline, centred on the bar
	barValueGap  = 4           // between a bar's end and its value
)

// Bars draws a horizontal bar chart, bars in the order given, each
// labelled with its value at its end. It returns "" when there are no
// bars, so a template can use {{with}} and let its table say there is
// nothing to show.
func Bars(opts BarOptions, bars []Bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	format := formatter(opts.Digits)
	width := clampWidth(opts.Width)
	height := float64(pad + len(bars)*barRowHeight)

	values := make([]string, len(bars))
	maxValue, valueWidth := 0, 0.0
	for i, b := range bars {
		values[i] = format(b.Value)
		maxValue = max(maxValue, b.Value)
		valueWidth = max(valueWidth, textWidth(values[i], fontSize))
	}
	inner := width - 2*pad
	// Room for the longest value after the longest bar; but a bar never
	// gets less than a third of the width, however long the numbers.
	barMax := max(inner-valueWidth-barValueGap, inner/3)

	w := &svg{rtl: opts.RTL}
	w.open("bars", width, height, opts.Title, barsDesc(bars, values, opts.RTL))
	// The axis the bars grow from: left edge, or right edge in RTL.
	axis := float64(pad)
	if opts.RTL {
		axis = width - pad
	}
	top := float64(pad / 2)
	w.line("chart-axis", axis, top+barTop-2, axis, top+float64((len(bars)-1)*barRowHeight)+barTop+barHeight+2)
	for i, b := range bars {
		y := top + float64(i*barRowHeight)
		length := barLength(b.Value, maxValue, barMax)
		x, end, valueAlign, labelAlign := axis, axis+length, alignLeft, alignLeft
		valueX := end + barValueGap
		if opts.RTL {
			x, end, valueAlign, labelAlign = axis-length, axis-length, alignRight, alignRight
			valueX = end - barValueGap
		}
		w.printf(`<g class="chart-row"><title>%s</title>`, esc(pair(b.Label, values[i])))
		w.text("chart-label", axis, y+barLabelBase, labelAlign, fontSize, truncate(b.Label, inner, fontSize))
		if length > 0 {
			w.rect("chart-bar", x, y+barTop, length, barHeight, "")
		}
		w.text("chart-value", valueX, y+barValueBase, valueAlign, fontSize, values[i])
		w.b.WriteString("</g>")
	}
	w.close()
	return template.HTML(w.b.String())
}

// barLength scales v to at most full. A count above zero gets at least
// one unit, so that one person is never drawn the same as none.
func barLength(v, maxValue int, full float64) float64 {
	if v <= 0 || maxValue <= 0 {
		return 0
	}
	return max(full*float64(v)/float64(maxValue), 1)
}

// barsDesc lists the data for screen readers, which do not read inside
// an element with role="img".
func barsDesc(bars []Bar, values []string, rtl bool) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		parts[i] = pair(b.Label, values[i])
	}
	return strings.Join(parts, listSep(rtl))
}
