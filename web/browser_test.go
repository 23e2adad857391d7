package web

// Browser tests: the flows of issue 6 in a real chromium, driven from Go
// with chromedp, at phone width, in Persian and in English. Every page the
// flows reach is checked in the browser (direction, no horizontal overflow
// at 360 px, labels, same-origin resources only, no CSP violation, the
// embedded font) and its screenshot is saved and checked. Run with
// "go test -run Browser -artifacts -outputdir DIR ./web/" to keep the
// screenshots.

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"peyvand"
)

// A person the flows look for, in the script of each language.
type wanted struct {
	given, family, father, year, city, relationship, contact string
	eventDate, place, how, evidence                          string
}

var wantedIn = map[string]wanted{
	"fa": {given: "کیوان", family: "شهرآشوب", father: "بهمن", year: "۱۳۷۲", city: "رشت", relationship: "برادر",
		contact: "+49 151 5555 0101", eventDate: "۱۴۰۴/۱۰/۱۸", place: "رشت", how: "خودم در خیابان دیدم.",
		evidence: "گواهی فوت شماره ۱۲۳"},
	"en": {given: "Soraya", family: "Vahidkhani", father: "Jamshid", year: "1994", city: "Tabriz", relationship: "cousin",
		contact: "Signal +44 7700 900123", eventDate: "2026-01-09", place: "Tabriz", how: "I was there.",
		evidence: "death certificate no. 456"},
}

func TestBrowser(t *testing.T) {
	exe := findBrowser()
	if exe == "" {
		t.Skip("browser tests skipped: no chromium, chromium-browser or google-chrome on PATH")
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	s := startSite(t)
	// Everything the browser does is bounded; the flows take some 40 s
	// under -race.
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Second)
	defer cancel()
	browser := startBrowser(t, ctx, exe)

	t.Run("checks-fail", func(t *testing.T) { checksCanFail(t, s, browser) })
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) { s.flows(t, browser, lang) })
	}
}

// checksCanFail breaks a page on purpose and expects the checks to say so.
func checksCanFail(t *testing.T, s *site, browser context.Context) {
	// Another origin: the same host on another port.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		png.Encode(w, image.NewGray(image.Rect(0, 0, 1, 1)))
	}))
	defer other.Close()
	loadImage := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`new Promise(done => {
  const img = new Image(); img.onload = img.onerror = () => done(); img.src = %q; document.body.append(img); })`, other.URL+"/x.png"),
		chromedp.EvalAwaitPromise)

	tb := s.newTab(t, browser, "en", "broken")
	tb.open("home", "/")
	if p := tb.problems(); len(p) > 0 {
		t.Fatalf("clean home page: %v", p)
	}
	breakPage := `(() => {
  const css = document.createElement('style'); css.textContent = 'body { color: red }'; document.head.append(css);
  document.body.append(Object.assign(document.createElement('input'), {id: 'orphan'}));
  const pre = document.createElement('pre'); pre.textContent = 'x'.repeat(200); document.querySelector('main').append(pre);
})()`
	tb.steps(loadImage, chromedp.Evaluate[chromedp.Void](breakPage), chromedp.Sleep(200*time.Millisecond))
	got := strings.Join(tb.problems(), "\n")
	for _, want := range []string{"CSP violations", "console:", "without a label", "px wide at 360"} {
		if !strings.Contains(got, want) {
			t.Errorf("a broken page passes the %q check; problems:\n%s", want, got)
		}
	}
	// Without its policy, the page loads the image from the other origin.
	bypass := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true})
		return err
	})
	tb.load("home", http.StatusOK, bypass, chromedp.Navigate(tb.base+"/"))
	tb.steps(loadImage)
	if got := strings.Join(tb.problems(), "\n"); !strings.Contains(got, "another origin") {
		t.Errorf("a page with an image from another origin passes; problems:\n%s", got)
	}
}

// flows walks the four flows of issue 6 in one language: a family's
// inquiry and lookup, a witness's report, a caseworker's case and a
// verifier's review, verification and publication.
func (s *site) flows(t *testing.T, browser context.Context, lang string) {
	ctx := context.Background()
	w := wantedIn[lang]
	cwSecret := s.account(t, "cw-"+lang, peyvand.RoleCaseworker)
	verSecret := s.account(t, "ver-"+lang, peyvand.RoleVerifier)
	anaSecret := s.account(t, "ana-"+lang, peyvand.RoleAnalyst)

	// (a) A family registers an inquiry and checks it with the code.
	fam := s.newTab(t, browser, lang, "family")
	fam.open("home", "/")
	fam.keyboardFocusVisible()
	fam.click("inquiry", `main a.button[href="/inquiry"]`)
	fam.fill("given_name", w.given)
	fam.fill("family_name", w.family)
	fam.fill("father_name", w.father)
	fam.fill("birth_year", w.year)
	fam.fill("city", w.city)
	fam.fill("relationship", w.relationship)
	fam.fill("contact", w.contact)
	fam.screenshot("inquiry-filled")
	fam.readsLeftToRight("#contact", w.contact)
	fam.submit("inquiry-done", http.StatusOK)
	code := fam.text("#code")
	in, err := s.store.InquiryByCode(ctx, code)
	if err != nil {
		t.Fatalf("the code on the page (%q) finds no inquiry: %v", code, err)
	}
	if rec, _ := s.store.Record(ctx, in.RecordID); rec.GivenName != w.given || rec.FamilyName != w.family || in.Contact != w.contact {
		t.Fatalf("stored %+v / %+v", rec, in)
	}
	fam.click("lookup", `main a[href="/lookup"]`)
	fam.fill("code", strings.ToLower(code))
	fam.submit("lookup-result", http.StatusOK)
	if got := fam.text("#result"); got != fam.msg["lookup_nothing_yet"] {
		t.Fatalf("lookup before any news: %q", got)
	}

	// (b) A witness reports the person killed, with a photo.
	photo := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(photo, jpegWithEXIF(t), 0o644); err != nil {
		t.Fatal(err)
	}
	wit := s.newTab(t, browser, lang, "witness")
	wit.open("report", "/report")
	wit.fill("full_name", w.given+" "+w.family)
	wit.fill("father_name", w.father)
	wit.fill("birth_year", w.year)
	wit.fill("city", w.city)
	wit.choose("status", "killed")
	wit.fill("event_date", w.eventDate)
	wit.fill("place", w.place)
	wit.fill("how", w.how)
	wit.focus("photo")
	wit.steps(chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}))
	wit.readsLeftToRight("p.hint", "2026-01-10")
	wit.screenshot("report-filled")
	wit.click("report-done", `form[action="/report"] button[type="submit"]`)
	if got := wit.text("#done"); got != wit.msg["report_done_heading"] {
		t.Fatalf("after the report: %q", got)
	}
	rec, _ := s.store.Record(ctx, in.RecordID)
	d, err := s.store.Dossier(ctx, rec.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) < 2 {
		t.Logf("the report was not linked to the inquiry at once; linking all")
		if _, err := s.linker.Run(ctx); err != nil {
			t.Fatal(err)
		}
		rec, _ = s.store.Record(ctx, in.RecordID)
		d, _ = s.store.Dossier(ctx, rec.PersonID)
	}
	var withPhoto bool
	for _, r := range d.Records {
		if atts, _ := s.store.Attachments(ctx, r.ID); len(atts) == 1 && atts[0].ContentType == "image/jpeg" {
			withPhoto = true
		}
	}
	if !withPhoto {
		t.Error("the witness's photo is not stored with the report")
	}

	// The family checks again: the news of a death is not on the page.
	fam.click("lookup-again", `main a[href="/lookup"]`)
	fam.fill("code", code)
	fam.submit("lookup-caseworker", http.StatusOK)
	if got := fam.text("#result"); got != fam.msg["lookup_caseworker"] {
		t.Fatalf("lookup after the report of a death: %q", got)
	}
	if body := fam.text("main"); strings.Contains(body, fam.msg["status_killed"]) {
		t.Fatal("the lookup page shows the death")
	}

	// (d) The caseworker sees the case, takes it and sees the contact.
	cw := s.newTab(t, browser, lang, "caseworker")
	cw.signIn("cw-"+lang, cwSecret)
	cw.click("cases", `main a[href="/staff/cases"]`)
	cw.click("case", `main a[href="/staff/cases/`+in.ID+`"]`)
	if got := cw.text("#contact"); got != cw.msg["contact_hidden"] {
		t.Fatalf("contact before taking the case: %q", got)
	}
	cw.click("case-taken", `button[name="action"][value="take"]`)
	if got, state := cw.text("#contact"), cw.text("#state"); got != w.contact || state != cw.msg["case_assigned"] {
		t.Fatalf("after taking the case: contact %q, state %q", got, state)
	}
	cw.readsLeftToRight("#contact", w.contact)
	cw.fill("how", w.how)
	cw.click("case-told", `button[name="action"][value="told"]`)
	if state := cw.text("#state"); state != cw.msg["case_told"] {
		t.Fatalf("after telling: state %q", state)
	}

	// (c) A verifier confirms a match from the review queue, then verifies
	// the report of the death and allows its publication.
	ver := s.newTab(t, browser, lang, "verifier")
	ver.signIn("ver-"+lang, verSecret)
	ver.click("review", `main a[href="/staff/review"]`)
	if n := value(ver, chromedp.Evaluate[int](`document.querySelectorAll('section.pair').length`)); n == 0 {
		t.Fatal("the review queue is empty: no pair to confirm")
	}
	a := ver.run(chromedp.Value(chromedp.CSS(`section.pair input[name="a"]`)))
	b := ver.run(chromedp.Value(chromedp.CSS(`section.pair input[name="b"]`)))
	ver.click("review-decided", `section.pair button[name="decision"][value="same"]`)
	ra, _ := s.store.Record(ctx, a)
	rb, _ := s.store.Record(ctx, b)
	if ra.PersonID == "" || ra.PersonID != rb.PersonID {
		t.Fatalf("records %s and %s confirmed the same, persons %q and %q", a, b, ra.PersonID, rb.PersonID)
	}
	ver.open("person", "/staff/person/"+d.Person.ID)
	level := ver.run(chromedp.Evaluate[string](`document.querySelector('select[id^="level-"]').id`))
	ver.choose(level, "verified")
	ver.fill("evidence-"+strings.TrimPrefix(level, "level-"), w.evidence)
	ver.submit("person-verified", http.StatusOK)
	if got := ver.text("main p.big"); !strings.Contains(got, ver.msg["level_verified"]) {
		t.Fatalf("after verifying: %q", got)
	}
	ver.click("person-published", `form[action$="/publish"] button[value="1"]`)
	if pub, _ := s.store.Published(ctx); !pub[d.Person.ID] {
		t.Fatal("not published after allowing it")
	}
	// The family (or anyone) finds the person on the published list.
	fam.click("list", `header a[href="/list"]`)
	fam.fill("q", w.family)
	fam.submit("list-search", http.StatusOK)
	if got := fam.text("main table"); !strings.Contains(got, w.family) {
		t.Fatalf("the published list does not show %s: %q", w.family, got)
	}

	// An analyst's dashboard, for its charts at phone width.
	ana := s.newTab(t, browser, lang, "analyst")
	ana.signIn("ana-"+lang, anaSecret)
	ana.click("dashboard", `main a[href="/staff/dashboard"]`)
}

// readsLeftToRight checks that text, a Latin-script or numeric run in an
// element (or field) matching sel, is drawn left to right: a phone number or
// a Gregorian date must not be reordered by a right-to-left page.
func (tb *tab) readsLeftToRight(sel, text string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => {
  const text = %q;
  const el = [...document.querySelectorAll(%q)].find(e => (e.value ?? e.textContent).includes(text));
  if (!el) return 'not found';
  if (el.matches('input, textarea')) {
    // A field's text has no DOM nodes: copy it, with the field's styles,
    // into a span laid out the same way.
    const s = getComputedStyle(el), span = document.createElement('span');
    for (const p of ['direction', 'unicode-bidi', 'font', 'white-space']) span.style.setProperty(p, s.getPropertyValue(p));
    span.textContent = el.value;
    el.after(span);
    const r = check(span.firstChild);
    span.remove();
    return r;
  }
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) if (n.data.includes(text)) return check(n);
  return 'not found';
  function check(n) {
    const i = n.data.indexOf(text), r = document.createRange();
    r.setStart(n, i); r.setEnd(n, i + 1);
    const first = r.getBoundingClientRect();
    r.setStart(n, i + text.length - 1); r.setEnd(n, i + text.length);
    const last = r.getBoundingClientRect();
    return first.left < last.left ? 'ok' : 'reversed';
  }
})()`, text, sel)
	if got := tb.run(chromedp.Evaluate[string](js)); got != "ok" {
		tb.t.Errorf("%q in %s on %s: %s", text, sel, tb.path(), got)
	}
}

// keyboardFocusVisible tabs through the first few links and checks each
// shows where the focus is.
func (tb *tab) keyboardFocusVisible() {
	tb.t.Helper()
	for i := 0; i < 4; i++ {
		tb.steps(chromedp.KeyEvent(kb.Tab))
		got := tb.run(chromedp.Evaluate[string](`(() => { const e = document.activeElement, s = getComputedStyle(e);
  return e.tagName + ' ' + (e.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? 'visible' : 'invisible'); })()`))
		if !strings.HasSuffix(got, " visible") || strings.HasPrefix(got, "BODY") {
			tb.t.Errorf("Tab %d: focus on %s", i+1, got)
		}
	}
	tb.steps(chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
}
