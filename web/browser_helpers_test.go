package web

// The browser tests' machinery: a real server on a real store, chromium
// at phone width, and a tab that acts like a person and checks each page
// it reaches (see browser_test.go for the flows).

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"peyvand"
	"peyvand/auth"
	"peyvand/demo"
	"peyvand/relink"
	"peyvand/storetest"
)

// Phone size: the narrowest common Android width.
const phoneWidth, phoneHeight = 360, 740

const staffPassword = "a long enough password"

// findBrowser returns the first chromium-like browser on PATH, or "".
func findBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// site is the real server on a loopback listener with a real SQLite store.
type site struct {
	url    string
	srv    *Server
	store  peyvand.Store
	linker *relink.Linker
	hash   string // of staffPassword, made once: argon2id is slow under -race
}

func startSite(t *testing.T) *site {
	t.Helper()
	st := storetest.NewSQLite(t)
	s := &site{store: st, linker: relink.New(st, "test")}
	var err error
	if s.hash, err = auth.HashPassword(staffPassword); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A registry with other people in it, so that the linkage model has
	// something to learn from and the review queue has pairs.
	if _, err := demo.Load(ctx, st, demo.Generate(demo.Options{Seed: 3, Persons: 150})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.linker.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// Secure cookies, as in production: browsers accept them from loopback.
	s.srv = New(Config{Store: st, Linker: s.linker, Secret: testSecret})
	hs := httptest.NewServer(s.srv.Handler())
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s
}

// account creates a staff account and returns its TOTP secret.
func (s *site) account(t *testing.T, name string, role peyvand.Role) string {
	t.Helper()
	secret := auth.NewTOTPSecret()
	if _, err := s.store.CreateAccount(context.Background(), "test", peyvand.Account{Username: name, Role: role,
		Organisation: "org-a", PasswordHash: s.hash, TOTPSecret: secret}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// startBrowser launches headless chromium with a fresh profile and returns
// a context holding it. The flags keep it off the network: without them it
// hangs on connections this machine cannot make.
func startBrowser(t *testing.T, ctx context.Context, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return bctx
}

// tab is one person's browser: its own browser context (cookies apart),
// at phone size, in one language.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	lang  string
	who   string // whose browser: names the screenshots
	msg   map[string]string
	shots string
	n     int // screenshots taken

	mu      sync.Mutex
	console []string // CSP and security entries of the browser log, console calls, exceptions
}

// cspListener records every CSP violation of a document in
// window.__peyvandCSP. DevTools injects it, so the page's own policy does
// not block it; the site itself has no scripts.
const cspListener = `window.__peyvandCSP = [];
document.addEventListener('securitypolicyviolation', e => window.__peyvandCSP.push(e.violatedDirective + ' ' + e.blockedURI));`

func (s *site) newTab(t *testing.T, browser context.Context, lang, who string) *tab {
	t.Helper()
	tb := &tab{t: t, base: s.url, lang: lang, who: who, msg: s.srv.msgs[lang], shots: t.ArtifactDir()}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	tb.ctx = ctx
	addScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait), addScript); err != nil {
		t.Fatal(err)
	}
	return tb
}

// listen runs in the tab's event loop: it only records.
func (tb *tab) listen(ev any) {
	var text string
	switch ev := ev.(type) {
	case *log.EventEntryAdded:
		if ev.Entry.Source != log.EntrySourceSecurity && !strings.Contains(ev.Entry.Text, "Content Security Policy") {
			return
		}
		text = ev.Entry.Text
	case *cdpruntime.EventConsoleAPICalled:
		text = "console." + string(ev.Type) // the site has no scripts: any call is a problem
	case *cdpruntime.EventExceptionThrown:
		text = "exception: " + ev.ExceptionDetails.Text
	default:
		return
	}
	tb.mu.Lock()
	tb.console = append(tb.console, text)
	tb.mu.Unlock()
}

// consoleMessages returns the messages recorded since the last call.
func (tb *tab) consoleMessages() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	m := tb.console
	tb.console = nil
	return m
}

// do runs actions that lead to a new page and checks the page.
func (tb *tab) do(name string, wantStatus int, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	tb.load(name, wantStatus, actions...)
	tb.check(name)
}

// load runs actions that lead to a new page.
func (tb *tab) load(name string, wantStatus int, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		tb.t.Fatalf("%s (from %s): %v", name, tb.where(), err)
	}
	if resp.Status != int64(wantStatus) {
		tb.t.Fatalf("%s: status %d, want %d (%s)", name, resp.Status, wantStatus, resp.URL)
	}
}

// open goes to path, switching the language with the page's own link when
// the browser's choice (from its Accept-Language, or the cookie the link
// set) is not the tab's language.
func (tb *tab) open(name, path string) {
	tb.t.Helper()
	tb.load(name, http.StatusOK, chromedp.Navigate(tb.base+path))
	if tb.run(chromedp.Evaluate[string](`document.documentElement.lang`)) != tb.lang {
		tb.load(name, http.StatusOK, chromedp.Click(chromedp.CSS(`header a.lang[hreflang="`+tb.lang+`"]`)))
	}
	tb.check(name)
}

// stepTimeout bounds one step, so that a missing element fails the test
// at once, naming the page, rather than when the whole test times out.
const stepTimeout = 15 * time.Second

// steps runs actions that return no value.
func (tb *tab) steps(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("on %s: %v", tb.where(), err)
	}
}

// value runs one action that returns a value.
func value[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("on %s: %v", tb.where(), err)
	}
	return v
}

// run runs one action that returns a string.
func (tb *tab) run(a chromedp.Action[string]) string {
	tb.t.Helper()
	return value(tb, a)
}

// where is the address the tab shows, for messages.
func (tb *tab) where() string {
	ctx, cancel := context.WithTimeout(tb.ctx, time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return strings.TrimPrefix(loc, tb.base)
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(tb.run(chromedp.Text(chromedp.CSS(sel))))
}

// focus clicks the label of a field, as a person would, and checks that
// the field took the focus: the label is tied to its field.
func (tb *tab) focus(id string) {
	tb.t.Helper()
	tb.steps(chromedp.Click(chromedp.CSS(`label[for="` + id + `"]`)))
	if got := tb.run(chromedp.Evaluate[string](`document.activeElement.id`)); got != id {
		tb.t.Fatalf("the label of %s focused %q", id, got)
	}
}

// fill types text into a field focused through its label.
func (tb *tab) fill(id, text string) {
	tb.t.Helper()
	tb.focus(id)
	tb.steps(chromedp.KeyEvent(text))
	if got := tb.run(chromedp.Value(chromedp.ID(id))); got != text {
		tb.t.Fatalf("typed %q into %s, it holds %q", text, id, got)
	}
}

// choose picks an option of a select focused through its label.
func (tb *tab) choose(id, option string) {
	tb.t.Helper()
	tb.focus(id)
	tb.steps(chromedp.SetValue(chromedp.ID(id), option))
}

// submit types Enter in the focused field, which submits its form.
func (tb *tab) submit(name string, wantStatus int) {
	tb.t.Helper()
	tb.do(name, wantStatus, chromedp.KeyEvent(kb.Enter))
}

func (tb *tab) click(name, sel string) {
	tb.t.Helper()
	tb.do(name, http.StatusOK, chromedp.Click(chromedp.CSS(sel)))
}

func (tb *tab) path() string {
	tb.t.Helper()
	return tb.run(chromedp.Evaluate[string](`location.pathname`))
}

// pageFacts is what the browser reports about the page it shows.
type pageFacts struct {
	Dir, Lang    string
	Width        int
	ScrollWidth  int
	Wide         []string // elements reaching past the viewport
	Unlabeled    []string // form fields without a label
	Foreign      []string // resources from another origin
	CSP          []string // violations seen by the injected listener; nil if it is missing
	Font         bool     // the embedded Vazirmatn font is loaded
	HeadingStart float64  // where the h1's text starts, from the inline start edge
}

const pageFactsJS = `(async () => {
  await document.fonts.ready;
  const r = {Dir: document.documentElement.dir, Lang: document.documentElement.lang,
    Width: window.innerWidth, ScrollWidth: document.documentElement.scrollWidth, Wide: [], Unlabeled: []};
  if (r.ScrollWidth > r.Width) {
    for (const el of document.body.querySelectorAll('*')) {
      const b = el.getBoundingClientRect();
      if (b.width > 0 && (b.right > r.Width + 0.5 || b.left < -0.5))
        r.Wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '') + ' ' + Math.round(b.left) + '..' + Math.round(b.right));
      if (r.Wide.length >= 6) break;
    }
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if ((el.labels && el.labels.length > 0 && el.labels[0].textContent.trim() !== '') ||
        el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) continue;
    r.Unlabeled.push(el.outerHTML.slice(0, 100));
  }
  const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
  r.Foreign = entries.map(e => e.name).filter(n => new URL(n).origin !== location.origin);
  r.CSP = Array.isArray(window.__peyvandCSP) ? window.__peyvandCSP : null;
  r.Font = [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded');
  const h = document.querySelector('main h1');
  if (h) {
    const range = document.createRange();
    range.selectNodeContents(h);
    const b = range.getBoundingClientRect();
    r.HeadingStart = r.Dir === 'rtl' ? r.Width - b.right : b.left;
  }
  return r;
})()`

// problems returns what is wrong with the page the tab shows.
func (tb *tab) problems() []string {
	tb.t.Helper()
	f := value(tb, chromedp.Evaluate[pageFacts](pageFactsJS, chromedp.EvalAwaitPromise))
	var p []string
	wantDir := map[string]string{"fa": "rtl", "en": "ltr"}[tb.lang]
	if f.Dir != wantDir || f.Lang != tb.lang {
		p = append(p, fmt.Sprintf("dir=%q lang=%q, want %q %q", f.Dir, f.Lang, wantDir, tb.lang))
	}
	if f.Width != phoneWidth {
		p = append(p, fmt.Sprintf("layout viewport %d px wide, want %d (meta viewport?)", f.Width, phoneWidth))
	}
	if f.ScrollWidth > phoneWidth {
		p = append(p, fmt.Sprintf("page %d px wide at %d px: %v", f.ScrollWidth, phoneWidth, f.Wide))
	}
	if len(f.Unlabeled) > 0 {
		p = append(p, fmt.Sprintf("fields without a label: %v", f.Unlabeled))
	}
	if len(f.Foreign) > 0 {
		p = append(p, fmt.Sprintf("resources from another origin: %v", f.Foreign))
	}
	if f.CSP == nil {
		p = append(p, "the CSP listener is missing")
	} else if len(f.CSP) > 0 {
		p = append(p, fmt.Sprintf("CSP violations: %v", f.CSP))
	}
	if msgs := tb.consoleMessages(); len(msgs) > 0 {
		p = append(p, fmt.Sprintf("console: %v", msgs))
	}
	if !f.Font {
		p = append(p, "the Vazirmatn font is not loaded")
	}
	// The heading starts at the start edge of the language: right in
	// Persian, left in English (main's padding is 1rem).
	if f.HeadingStart < 0 || f.HeadingStart > 24 {
		p = append(p, fmt.Sprintf("the heading starts %.0f px from the %s edge", f.HeadingStart, map[string]string{"rtl": "right", "ltr": "left"}[f.Dir]))
	}
	return p
}

// check checks the page and takes its screenshot.
func (tb *tab) check(name string) {
	tb.t.Helper()
	for _, p := range tb.problems() {
		tb.t.Errorf("%s (%s): %s", name, tb.path(), p)
	}
	tb.screenshot(name)
}

// maxShotHeight bounds a screenshot: the review queue is many screens
// long, and its first few show its layout.
const maxShotHeight = 3000

// screenshot saves the page (its first maxShotHeight pixels) as a PNG and
// checks it: as wide as the phone, and something drawn on it.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	size := value(tb, chromedp.Evaluate[[2]float64](`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`))
	clip := &cdppage.Viewport{Width: size[0], Height: min(size[1], maxShotHeight), Scale: 1}
	b := value(tb, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{Clip: clip, CaptureBeyondViewport: new(true)})
		return res.Data, err
	})
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.t.Fatalf("screenshot of %s: %v", name, err)
	}
	if w := img.Bounds().Dx(); w != phoneWidth {
		tb.t.Errorf("screenshot of %s is %d px wide, want %d", name, w, phoneWidth)
	}
	if n := colours(img, 64); n < 3 {
		tb.t.Errorf("screenshot of %s has %d colours: blank?", name, n)
	}
	tb.n++
	file := filepath.Join(tb.shots, fmt.Sprintf("%s-%s-%02d-%s.png", tb.lang, tb.who, tb.n, name))
	if err := os.WriteFile(file, b, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// colours counts distinct colours, up to max.
func colours(img image.Image, max int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			if seen[[4]uint32{r, g, bl, a}] = true; len(seen) >= max {
				return max
			}
		}
	}
	return len(seen)
}

// signIn signs a staff member in with password and a one-time code.
func (tb *tab) signIn(name, secret string) {
	tb.t.Helper()
	tb.open("login", "/staff/login")
	tb.fill("username", name)
	tb.fill("password", staffPassword)
	code, err := auth.TOTP(secret, time.Now())
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.fill("code", code)
	tb.submit("staff", http.StatusOK)
	if p := tb.path(); p != "/staff" {
		tb.t.Fatalf("after sign-in at %s: %s", p, tb.text("main"))
	}
}
