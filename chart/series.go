package chart

import (
	"html/template"
	"math"
	"strings"
)

// Point is one period of a time series: its label, already formatted by
// the caller (a Jalali or Gregorian date, a week), and its count.
type Point struct {
	Label string
	Value int
}

// SeriesKind is how a series is drawn.
type SeriesKind int

const (
	// Columns draws a column per period, which suits counts of events:
	// a day with none shows as a gap.
	Columns SeriesKind = iota
	// Line joins the periods, which suits a trend over many periods.
	Line
)

// SeriesOptions shape a time-series chart.
type SeriesOptions struct {
	// Title names the chart for screen readers (<title>, aria-label).
	Title string
	// RTL runs time from right to left, as Persian readers expect, and
	// puts the value axis on the right.
	RTL bool
	// Digits formats the value axis and tooltips; nil prints ASCII.
	Digits func(int) string
	// Width is the natural width in CSS pixels, 360 when zero, at least 200.
	Width int
	// Height is the natural height, 200 when zero, at least 120.
	Height int
	// Kind is Columns (the zero value) or Line.
	Kind SeriesKind
}

const (
	defaultHeight = 200
	minHeight     = 120
	maxTicks      = 5  // steps on the value axis
	xLabelArea    = 20 // below the baseline, for period labels
	tickGap       = 4  // between an axis label and the plot
	labelGap      = 8  // at least this between two period labels
	dotMinSlot    = 8  // points get a dot only when this far apart
	dotRadius     = 2.5
	maxColumn     = 32
)

// Series draws a time series: one column (or point) per period, in the
// order given and evenly spaced, so the caller must include periods with
// a count of zero. A few periods are labelled, always the first and the
// last. It returns "" when there are no points.
func Series(opts SeriesOptions, points []Point) template.HTML {
	if len(points) == 0 {
		return ""
	}
	format := formatter(opts.Digits)
	width := clampWidth(opts.Width)
	height := float64(defaultHeight)
	if opts.Height > 0 {
		height = float64(max(opts.Height, minHeight))
	}

	maxValue := 0
	for _, p := range points {
		maxValue = max(maxValue, p.Value)
	}
	step, top := niceScale(maxValue, maxTicks)
	var ticks []int
	tickWidth := 0.0
	for v := 0; ; v += step {
		ticks = append(ticks, v)
		tickWidth = max(tickWidth, textWidth(format(v), tickFontSize))
		// v > top-step rather than v+step > top: the sum can overflow.
		if maxValue == 0 || v > top-step {
			break
		}
	}

	// The plot: x0..x1 across, y0 (top) .. y1 (baseline) down. The value
	// axis labels sit on the side time starts from.
	x0, x1 := pad+tickWidth+tickGap, width-pad
	if opts.RTL {
		x0, x1 = pad, width-pad-tickWidth-tickGap
	}
	y0, y1 := float64(pad+tickFontSize/2), height-pad-xLabelArea
	scale := func(v int) float64 {
		if v <= 0 {
			return y1
		}
		return y1 - (y1-y0)*float64(v)/float64(top)
	}
	slot := (x1 - x0) / float64(len(points))
	// center is the middle of period i's slot; time runs away from the
	// value axis.
	center := func(i int) float64 {
		if opts.RTL {
			return x1 - (float64(i)+0.5)*slot
		}
		return x0 + (float64(i)+0.5)*slot
	}

	w := &svg{rtl: opts.RTL}
	w.open("series", width, height, opts.Title, seriesDesc(points, format, opts.RTL))
	tickX, tickAlign := x0-tickGap, alignRight
	if opts.RTL {
		tickX, tickAlign = x1+tickGap, alignLeft
	}
	for _, v := range ticks {
		y := scale(v)
		if v > 0 {
			w.line("chart-grid", x0, y, x1, y)
		}
		w.text("chart-tick", tickX, y+tickFontSize/3, tickAlign, tickFontSize, format(v))
	}
	if opts.Kind == Line {
		drawLine(w, points, format, center, scale, slot)
	} else {
		drawColumns(w, points, format, center, scale, slot, y1)
	}
	w.line("chart-axis", x0, y1, x1, y1)
	drawPeriodLabels(w, points, center, slot, x1-x0, width, y1+xLabelArea-4)
	w.close()
	return template.HTML(w.b.String())
}

// drawColumns draws a column per point, with a gap between columns only
// when they are wide enough to spare it, and no wider than maxColumn, so
// that a short series does not read as a few solid blocks.
func drawColumns(w *svg, points []Point, format func(int) string, center func(int) float64, scale func(int) float64, slot, base float64) {
	colWidth := slot
	if slot >= 4 {
		colWidth = min(slot*0.8, maxColumn)
	}
	for i, p := range points {
		y := scale(p.Value)
		if p.Value > 0 {
			// At least one unit high, so that one person is not drawn as none.
			y = min(y, base-1)
		}
		if y >= base {
			continue
		}
		w.rect("chart-column", center(i)-colWidth/2, y, colWidth, base-y, pair(p.Label, format(p.Value)))
	}
}

// drawLine joins the points, with a dot at each when they are far enough
// apart to tell the dots from the line.
func drawLine(w *svg, points []Point, format func(int) string, center func(int) float64, scale func(int) float64, slot float64) {
	coords := make([]string, len(points))
	for i, p := range points {
		coords[i] = num(center(i)) + "," + num(scale(p.Value))
	}
	// fill="none" is structural, not a colour: without it the polyline
	// would be filled as a polygon on a page without chart.css.
	w.printf(`<polyline class="chart-line" points="%s" fill="none" stroke="currentColor"/>`, strings.Join(coords, " "))
	if slot < dotMinSlot {
		return
	}
	for i, p := range points {
		w.printf(`<circle class="chart-dot" cx="%s" cy="%s" r="%s"><title>%s</title></circle>`,
			num(center(i)), num(scale(p.Value)), num(dotRadius), esc(pair(p.Label, format(p.Value))))
	}
}

// drawPeriodLabels labels every stride-th period, stride being the fewest
// periods that leave room for the widest label, and the last period when
// it fits. Each label is centred under its period but kept inside the
// chart, which can move the labels at the ends; a label that would then
// overlap its neighbour is dropped, never the first or last.
func drawPeriodLabels(w *svg, points []Point, center func(int) float64, slot, plotWidth, width, y float64) {
	labels := make([]string, len(points))
	widest := 0.0
	for i, p := range points {
		labels[i] = truncate(clean(p.Label), plotWidth, tickFontSize)
		widest = max(widest, textWidth(labels[i], tickFontSize))
	}
	need := widest + labelGap
	stride := max(int(math.Ceil(need/slot)), 1)
	type tick struct {
		i int
		x float64
	}
	place := func(i int) tick {
		half := textWidth(labels[i], tickFontSize) / 2
		return tick{i, min(max(center(i), pad+half), width-pad-half)}
	}
	apart := func(a, b tick) bool { return math.Abs(a.x-b.x) >= need }
	kept := []tick{place(0)}
	for i := stride; i < len(points); i += stride {
		if t := place(i); apart(t, kept[len(kept)-1]) {
			kept = append(kept, t)
		}
	}
	if last := place(len(points) - 1); kept[len(kept)-1].i != last.i {
		for len(kept) > 1 && !apart(last, kept[len(kept)-1]) {
			kept = kept[:len(kept)-1]
		}
		if apart(last, kept[len(kept)-1]) {
			kept = append(kept, last)
		}
	}
	for _, t := range kept {
		w.text("chart-tick", t.x, y, alignCenter, tickFontSize, labels[t.i])
	}
}

// seriesDesc lists the data for screen readers.
func seriesDesc(points []Point, format func(int) string, rtl bool) string {
	parts := make([]string, len(points))
	for i, p := range points {
		parts[i] = pair(p.Label, format(p.Value))
	}
	return strings.Join(parts, listSep(rtl))
}
