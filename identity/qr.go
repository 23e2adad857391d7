package identity

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"rsc.io/qr"
)

// QuietZone is the light margin around a QR code, in modules: the four
// the standard (ISO/IEC 18004) asks for, so that phones find the code.
const QuietZone = 4

// qrScale is the drawn size of a module, in SVG user units, for the
// width and height a page gets when it does not set its own.
const qrScale = 6

// QRSVG returns the public line as a QR code in SVG, for a peer to scan
// from a screen or a printed page instead of copying the line by hand.
// Scanning is no reason to skip comparing the fingerprint: a page can be
// replaced too.
func (p Public) QRSVG() ([]byte, error) {
	return QRSVG(p.String(), "Peyvand public identity of "+p.Name+", fingerprint "+p.Fingerprint())
}

// QRSVG draws text as a QR code (error correction level M) in SVG: a
// light square and one path of the dark modules, within a quiet zone of
// QuietZone modules. It uses presentation attributes (fill), never style
// attributes, so that a page whose Content-Security-Policy forbids inline
// styles can show it; title is the accessible name.
func QRSVG(text, title string) ([]byte, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("QR code of %d bytes: %w (a public line is at most about 200)", len(text), err)
	}
	return drawQR(c, title), nil
}

// drawQR draws a code: each row's runs of dark modules as one subpath,
// "M x y h n v 1 h -n z", which keeps the file small and the modules'
// edges exact (shape-rendering="crispEdges" avoids seams between runs).
func drawQR(c *qr.Code, title string) []byte {
	n := c.Size + 2*QuietZone
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img">`,
		n, n, n*qrScale, n*qrScale)
	b.WriteString("\n<title>")
	xml.EscapeText(&b, []byte(title))
	b.WriteString("</title>\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", n, n)
	b.WriteString(`<path fill="#000000" d="`)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run
		}
	}
	b.WriteString("\"/>\n</svg>\n")
	return b.Bytes()
}
