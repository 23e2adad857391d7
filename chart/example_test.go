package chart_test

import (
	"html/template"
	"os"
	"strconv"

	"peyvand/chart"
	"peyvand/persian"
)

// A page shows a chart beside the table of the same numbers; the chart
// is template.HTML, so the template inserts it as it is.
func ExampleBars() {
	page := template.Must(template.New("").Parse(
		`<figure>{{.Chart}}<figcaption>{{.Caption}}</figcaption></figure>`))
	digits := func(n int) string { return persian.PersianDigits(strconv.Itoa(n)) }
	svg := chart.Bars(chart.BarOptions{Title: "بر پایه استان", RTL: true, Digits: digits}, []chart.Bar{
		{Label: "تهران", Value: 412},
		{Label: "سیستان و بلوچستان", Value: 155},
	})
	page.Execute(os.Stdout, map[string]any{"Chart": svg, "Caption": "بر پایه استان"})
}

func ExampleSeries() {
	// Periods without a count must be passed as zeros: points are evenly
	// spaced in the order given.
	svg := chart.Series(chart.SeriesOptions{Title: "Per day", Kind: chart.Line}, []chart.Point{
		{Label: "2022-09-16", Value: 3},
		{Label: "2022-09-17", Value: 0},
		{Label: "2022-09-18", Value: 12},
	})
	_ = svg
}
