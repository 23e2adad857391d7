package identity

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// alicePublic is the bundle package's test identity alice (published test
// keys: never use them for anything real).
const alicePublic = "peyvand-peer:v1:alice:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0"

const qrGolden = "testdata/qr-alice.svg"

func TestQRSVGGolden(t *testing.T) {
	p, err := ParsePublic(alicePublic)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.QRSVG()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(qrGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(qrGolden)
	if err != nil {
		t.Fatalf("%v (run go test ./identity -run QRSVGGolden -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("QRSVG no longer draws %s (if the change is meant, run with -update and look at the file)", qrGolden)
	}
}

// TestQRSVGReadsBack reads the drawn modules back out of the SVG and
// checks them against the code's bitmap, the quiet zone, and the three
// finder patterns a scanner looks for: what a phone would see.
func TestQRSVGReadsBack(t *testing.T) {
	for _, text := range []string{alicePublic, "x", strings.Repeat("peyvand-peer:v1:", 12) + "<&\">"} {
		svg, err := QRSVG(text, "title <&> of "+text)
		if err != nil {
			t.Fatal(err)
		}
		code, err := qr.Encode(text, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		grid, n := readSVG(t, svg)
		if n != code.Size+2*QuietZone {
			t.Fatalf("%q: viewBox of %d modules, want %d", text, n, code.Size+2*QuietZone)
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				cx, cy := x-QuietZone, y-QuietZone
				inside := cx >= 0 && cy >= 0 && cx < code.Size && cy < code.Size
				want := inside && code.Black(cx, cy)
				if grid[y][x] != want {
					t.Fatalf("%q: module (%d,%d) is dark=%v, want %v (inside the code: %v)", text, x, y, grid[y][x], want, inside)
				}
			}
		}
		for _, corner := range [][2]int{{0, 0}, {code.Size - 7, 0}, {0, code.Size - 7}} {
			if !finder(grid, corner[0]+QuietZone, corner[1]+QuietZone) {
				t.Fatalf("%q: no finder pattern at %v", text, corner)
			}
		}
	}
	if _, err := QRSVG(strings.Repeat("x", 4000), ""); err == nil {
		t.Fatal("a text too long for a QR code was drawn")
	}
}

// readSVG parses the SVG as XML, refuses style attributes, and returns
// the dark modules of its one path and the size of its viewBox.
func readSVG(t *testing.T, svg []byte) ([][]bool, int) {
	t.Helper()
	if bytes.Contains(svg, []byte("style")) {
		t.Fatalf("the SVG has a style: a page's CSP would block it:\n%s", svg)
	}
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Title   string   `xml:"title"`
		Rect    []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Path []struct {
			Fill string `xml:"fill,attr"`
			D    string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, svg)
	}
	if len(doc.Path) != 1 || doc.Path[0].Fill != "#000000" || len(doc.Rect) != 1 || doc.Rect[0].Fill != "#ffffff" || !strings.HasPrefix(doc.Title, "title <&> of ") {
		t.Fatalf("want one light rect, one dark path and the title: %+v", doc)
	}
	var n int
	if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %d %d", &n, new(int)); err != nil {
		t.Fatalf("viewBox %q: %v", doc.ViewBox, err)
	}
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	for d := doc.Path[0].D; d != ""; {
		m := run.FindStringSubmatch(d)
		if m == nil || m[3] != m[4] {
			t.Fatalf("path: cannot read %.40q", d)
		}
		d = d[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := 0; i < w; i++ {
			if y >= n || x+i >= n || grid[y][x+i] {
				t.Fatalf("path: module (%d,%d) outside the viewBox or drawn twice", x+i, y)
			}
			grid[y][x+i] = true
		}
	}
	return grid, n
}

// finder reports whether the 7×7 finder pattern (a dark ring, a light
// ring, a dark 3×3 centre) has its top left at (x, y).
func finder(grid [][]bool, x, y int) bool {
	for dy := 0; dy < 7; dy++ {
		for dx := 0; dx < 7; dx++ {
			ring := min(dx, dy, 6-dx, 6-dy)
			if grid[y+dy][x+dx] != (ring != 1) {
				return false
			}
		}
	}
	return true
}

// TestQRSVGScans renders the golden SVG with librsvg and decodes it with
// zbar, where both are installed (apt-get install librsvg2-bin
// zbar-tools): an independent reader gets the public line back.
func TestQRSVGScans(t *testing.T) {
	render, err1 := exec.LookPath("rsvg-convert")
	scan, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		t.Skip("rsvg-convert or zbarimg not installed (apt-get install librsvg2-bin zbar-tools)")
	}
	png := filepath.Join(t.TempDir(), "qr.png")
	if out, err := exec.Command(render, "-o", png, qrGolden).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v\n%s", err, out)
	}
	out, err := exec.Command(scan, "-q", "--raw", png).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != alicePublic {
		t.Fatalf("scanned %q, want %q", got, alicePublic)
	}
}
