package table

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// Excel stores a date as a serial number and shows it through the cell's
// number format, in the author's locale ("1/8/26" is January or August).
// excelize's streaming rows do not say which style a cell has, only apply
// it; so before reading, isoDates rewrites the workbook's styles in memory:
// date formats become an ISO 8601 format, and every other format none at
// all, so numbers come out as their stored value (12345678, not "1.23E+07"
// or "12,345,678"). The file itself is never written.

// Number formats put in place of the workbook's own.
const (
	isoDateTime = `yyyy-mm-dd"T"hh:mm:ss`
	isoTime     = `hh:mm:ss`
	// midnight is what isoDateTime shows for a date without a time of day;
	// isoCell cuts it off.
	midnight = "T00:00:00"
)

type fmtKind int

const (
	kindOther fmtKind = iota
	kindDate          // a date, perhaps with a time of day
	kindTime          // a time of day or a duration only
)

// isoDates rewrites the number format of every cell style; see above.
func isoDates(f *excelize.File) error {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return nil
	}
	n := len(f.Styles.CellXfs.Xf)
	dateID, err := customFormatID(f, isoDateTime)
	if err != nil {
		return err
	}
	timeID, err := customFormatID(f, isoTime)
	if err != nil {
		return err
	}
	custom := make(map[int]string)
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			custom[nf.NumFmtID] = nf.FormatCode
			if nf.FormatCode16 != "" {
				custom[nf.NumFmtID] = nf.FormatCode16
			}
		}
	}
	// excelize knows no format with id -1, so it shows such cells as stored.
	noFormat := -1
	kinds := make(map[int]fmtKind) // many styles share a format
	for i := range f.Styles.CellXfs.Xf[:n] {
		xf := &f.Styles.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		k, ok := kinds[id]
		if !ok {
			k = formatKind(id, custom)
			kinds[id] = k
		}
		switch k {
		case kindDate:
			xf.NumFmtID = &dateID
		case kindTime:
			xf.NumFmtID = &timeID
		default:
			xf.NumFmtID = &noFormat
		}
	}
	return nil
}

// customFormatID adds code to the workbook's number formats and returns its id.
func customFormatID(f *excelize.File, code string) (int, error) {
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return 0, err
	}
	return *f.Styles.CellXfs.Xf[style].NumFmtID, nil
}

// formatKind classifies number format id: a workbook's own format by its
// code, otherwise by Excel's list of built-in formats.
func formatKind(id int, custom map[int]string) fmtKind {
	if code, ok := custom[id]; ok {
		return codeKind(code)
	}
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return kindDate
	case id >= 18 && id <= 21, id >= 45 && id <= 47:
		return kindTime
	}
	return kindOther
}

// codeKind classifies a number format code by its date and time tokens,
// ignoring quoted text, escaped and padding characters, bracketed parts
// (colours, locales, elapsed [h]) and AM/PM. An m is minutes next to h or s
// and a month otherwise, as in Excel.
func codeKind(code string) fmtKind {
	code = strings.ToLower(code)
	code = strings.NewReplacer("am/pm", "", "a/p", "").Replace(code)
	var date, clock, month bool
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '[':
			if j := strings.IndexByte(code[i+1:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case 'y', 'd':
			date = true
		case 'h', 's':
			clock = true
		case 'm':
			month = true
		}
	}
	switch {
	case date || month && !clock:
		return kindDate
	case clock:
		return kindTime
	}
	return kindOther
}

// isoCell cuts midnight off a date written by isoDateTime, so a date is
// "2026-01-08" and only a date with a time of day has one.
func isoCell(s string) string {
	if len(s) == len("2006-01-02")+len(midnight) && strings.HasSuffix(s, midnight) && s[4] == '-' && s[7] == '-' {
		return s[:len("2006-01-02")]
	}
	return s
}
