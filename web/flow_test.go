package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/auth"
	"peyvand/demo"
	"peyvand/relink"
	"peyvand/storetest"
)

// client is a browser with cookies, talking to the handler in process.
type client struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
	lang    string
	addr    string
}

func newClient(t *testing.T, h http.Handler, lang string) *client {
	return &client{t: t, h: h, cookies: map[string]string{}, lang: lang, addr: "192.0.2.1:1234"}
}

func (c *client) send(req *http.Request) *httptest.ResponseRecorder {
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	req.Header.Set("Accept-Language", c.lang)
	req.RemoteAddr = c.addr
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return rec
}

func (c *client) get(target string) *httptest.ResponseRecorder {
	return c.send(httptest.NewRequest("GET", target, nil))
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post fetches the form page first (for its token), then posts.
func (c *client) post(formPage, target string, vals url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	page := c.get(formPage).Body.String()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("no form token on %s", formPage)
	}
	vals.Set("csrf", m[1])
	req := httptest.NewRequest("POST", target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.send(req)
}

type fixture struct {
	store  peyvand.Store
	linker *relink.Linker
	h      http.Handler
	now    time.Time
}

func newFixture(t *testing.T, lim Limits) *fixture {
	s := storetest.NewSQLite(t)
	f := &fixture{store: s, linker: relink.New(s, "test"), now: time.Now()}
	f.h = New(Config{Store: s, Linker: f.linker, Secret: testSecret, Limits: lim, Now: func() time.Time { return f.now }}).Handler()
	return f
}

// account creates a staff account and returns a signed-in client.
func (f *fixture) signIn(t *testing.T, name string, role peyvand.Role, org string) *client {
	t.Helper()
	hash, _ := auth.HashPassword("a long enough password")
	secret := auth.NewTOTPSecret()
	if _, err := f.store.CreateAccount(context.Background(), "test", peyvand.Account{Username: name, Role: role,
		Organisation: org, PasswordHash: hash, TOTPSecret: secret}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.h, "en")
	c.addr = "192.0.2.50:1" // staff sign in from elsewhere than the public clients
	code, _ := auth.TOTP(secret, f.now)
	rec := c.post("/staff/login", "/staff/login", url.Values{"username": {name}, "password": {"a long enough password"}, "code": {code}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/staff" {
		t.Fatalf("sign-in of %s: %d %s", name, rec.Code, rec.Body)
	}
	return c
}

var codeRe = regexp.MustCompile(`id="code" dir="ltr" lang="en">([0-9A-Z-]+)<`)

func TestFamilyInquiryAndLookup(t *testing.T) {
	f := newFixture(t, Limits{})
	// A registry with other people in it, as the linkage model expects.
	if _, err := demo.Load(context.Background(), f.store, demo.Generate(demo.Options{Seed: 3, Persons: 150})); err != nil {
		t.Fatal(err)
	}
	if _, err := f.linker.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	fam := newClient(t, f.h, "fa")
	rec := fam.post("/inquiry", "/inquiry", url.Values{"given_name": {"محمدرضا"}, "family_name": {"حسینی"},
		"father_name": {"علی"}, "birth_year": {"۱۳۷۵"}, "city": {"کرج"}, "relationship": {"خواهر"}, "contact": {"+49 151 2222 3333"}})
	if rec.Code != 200 {
		t.Fatalf("inquiry: %d %s", rec.Code, rec.Body)
	}
	m := codeRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no code on the page:\n%s", rec.Body)
	}
	code := m[1]
	if !strings.Contains(rec.Body.String(), `dir="rtl"`) {
		t.Error("the Persian inquiry page is not right-to-left")
	}
	// The birth year was Jalali: stored as Gregorian.
	in, err := f.store.InquiryByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := f.store.Record(context.Background(), in.RecordID)
	if r.BirthYear != 1996 || in.Contact != "+49 151 2222 3333" {
		t.Fatalf("stored %+v / %+v", r, in)
	}

	// Nothing known yet; a code typed in lower case with spaces works.
	rec = fam.post("/lookup", "/lookup", url.Values{"code": {strings.ToLower(strings.ReplaceAll(code, "-", " "))}})
	if !strings.Contains(rec.Body.String(), "هنوز خبری نداریم") {
		t.Fatalf("lookup with no news:\n%s", rec.Body)
	}
	// A wrong code and a malformed one get the same answer.
	a := fam.post("/lookup", "/lookup", url.Values{"code": {peyvand.NewInquiryCode()}}).Body.String()
	b := fam.post("/lookup", "/lookup", url.Values{"code": {"hello"}}).Body.String()
	strip := regexp.MustCompile(`name="csrf" value="[^"]+"`)
	if strip.ReplaceAllString(a, "") != strip.ReplaceAllString(b, "") || !strings.Contains(a, "چیزی نیافتیم") {
		t.Fatal("wrong and malformed codes are answered differently")
	}

	// A list reports him detained: the family sees it, humanely phrased.
	ctx := context.Background()
	tx, _ := f.store.BeginImport(ctx, "test", peyvand.ImportMeta{File: "list"})
	src, _ := tx.Source(ctx, peyvand.Source{Name: "list-a", Kind: peyvand.SourceList, Independent: true})
	tx.Put(ctx, peyvand.ImportRow{Record: peyvand.Record{SourceID: src.ID, ExternalID: "1", GivenName: "محمدرضا", FamilyName: "حسینی",
		FatherName: "علی", BirthYear: 1996, City: "کرج"}, Events: []peyvand.StatusEvent{{Status: peyvand.StatusDetained,
		Date: peyvand.Date{Year: 2026, Month: 1, Day: 10}, Place: "اوین"}}})
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.linker.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rec = fam.post("/lookup", "/lookup", url.Values{"code": {code}})
	body := rec.Body.String()
	if !strings.Contains(body, "بازداشت") || !strings.Contains(body, "۱۴۰۴/۱۰/۲۰") || !strings.Contains(body, "اوین") {
		t.Fatalf("lookup after a report:\n%s", body)
	}

	// A report of his death never reaches the page: a caseworker brings it.
	rec = newClient(t, f.h, "en").post("/report", "/report", url.Values{"full_name": {"Mohammadreza Hosseini"},
		"father_name": {"Ali"}, "birth_year": {"1996"}, "city": {"Karaj"}, "status": {"killed"}, "event_date": {"2026-01-20"},
		"how": {"I saw it"}, "reporter": {"WITNESSNAME"}})
	if rec.Code != 200 {
		t.Fatalf("report: %d %s", rec.Code, rec.Body)
	}
	d, _ := f.store.Dossier(ctx, r.PersonID)
	if len(d.Records) < 3 {
		// The incremental link should have joined the report; if the
		// engine did not, a full run must.
		f.linker.Run(ctx)
	}
	body = fam.post("/lookup", "/lookup", url.Values{"code": {code}}).Body.String()
	if strings.Contains(body, "کشته") || !strings.Contains(body, "مددکار") {
		t.Fatalf("sensitive news shown or no caseworker message:\n%s", body)
	}
	cases, _ := f.store.Cases(ctx)
	if len(cases) != 1 || cases[0].InquiryID != in.ID || cases[0].State != peyvand.CaseQueued {
		t.Fatalf("cases %+v", cases)
	}

	// The caseworker: the contact is hidden until the case is theirs.
	cw := f.signIn(t, "cw", peyvand.RoleCaseworker, "org-a")
	page := cw.get("/staff/cases/" + in.ID).Body.String()
	if strings.Contains(page, "2222 3333") {
		t.Fatal("the contact is shown before the case is taken")
	}
	rec = cw.post("/staff/cases/"+in.ID, "/staff/cases/"+in.ID, url.Values{"action": {"take"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("take: %d %s", rec.Code, rec.Body)
	}
	if page = cw.get("/staff/cases/" + in.ID).Body.String(); !strings.Contains(page, "151 2222 3333") {
		t.Fatalf("the assigned caseworker does not see the contact:\n%s", page)
	}
	other := f.signIn(t, "cw2", peyvand.RoleCaseworker, "org-a")
	if page = other.get("/staff/cases/" + in.ID).Body.String(); strings.Contains(page, "2222 3333") {
		t.Fatal("another caseworker sees the contact")
	}
	if rec = other.post("/staff/cases/"+in.ID, "/staff/cases/"+in.ID, url.Values{"action": {"told"}, "how": {"x"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("another caseworker recorded the telling: %d", rec.Code)
	}
	cw.post("/staff/cases/"+in.ID, "/staff/cases/"+in.ID, url.Values{"action": {"told"}, "how": {"by phone, with his sister"}})
	if c, _ := f.store.CaseOf(ctx, in.ID); c.State != peyvand.CaseTold || !strings.Contains(c.Delivery, "by phone") {
		t.Fatalf("case after telling %+v", c)
	}
	if rep, err := f.store.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit %v %v", rep.Problems, err)
	}
}

func TestFormsNeedToken(t *testing.T) {
	f := newFixture(t, Limits{})
	c := newClient(t, f.h, "en")
	c.get("/inquiry")
	for _, tt := range []struct {
		name    string
		vals    url.Values
		headers map[string]string
	}{
		{"no token", url.Values{"full_name": {"x"}}, nil},
		{"wrong token", url.Values{"full_name": {"x"}, "csrf": {"forged"}}, nil},
		{"cross-site", url.Values{"full_name": {"x"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		req := httptest.NewRequest("POST", "/inquiry", strings.NewReader(tt.vals.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tt.headers {
			req.Header.Set(k, v)
		}
		if rec := c.send(req); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tt.name, rec.Code)
		}
	}
	if st, _ := f.store.Stats(context.Background()); st.Inquiries != 0 {
		t.Fatal("a refused form created an inquiry")
	}
	// A body over the limit is refused.
	big := url.Values{"full_name": {strings.Repeat("x", formLimit)}}
	if rec := c.post("/inquiry", "/inquiry", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: %d", rec.Code)
	}
	// Bad input is answered on the form, naming the field.
	rec := c.post("/inquiry", "/inquiry", url.Values{"full_name": {"Sara"}, "birth_year": {"long ago"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Year of birth") {
		t.Errorf("bad year: %d %s", rec.Code, rec.Body)
	}
	if rec := c.post("/inquiry", "/inquiry", url.Values{"city": {"Tehran"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "at least one name") {
		t.Errorf("no name: %d", rec.Code)
	}
}

func TestRateLimits(t *testing.T) {
	f := newFixture(t, Limits{PerClient: 5, PerCode: 3})
	c := newClient(t, f.h, "en")
	code := peyvand.NewInquiryCode()
	got := []int{}
	for i := 0; i < 5; i++ {
		got = append(got, c.post("/lookup", "/lookup", url.Values{"code": {code}}).Code)
	}
	if want := []int{200, 200, 200, 429, 429}; !equalInts(got, want) {
		t.Fatalf("per-code limit: %v, want %v", got, want)
	}
	// The client has used its 5; a sixth, for another code, is refused too.
	if rec := c.post("/lookup", "/lookup", url.Values{"code": {peyvand.NewInquiryCode()}}); rec.Code != 429 {
		t.Fatalf("per-client limit: %d", rec.Code)
	}
	f.now = f.now.Add(2 * time.Hour)
	if rec := c.post("/lookup", "/lookup", url.Values{"code": {code}}); rec.Code != 200 {
		t.Fatalf("after the window: %d", rec.Code)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// jpegWithEXIF is a small JPEG with an APP1 EXIF block holding a marker.
func jpegWithEXIF(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(3, 3, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	exif := append([]byte("Exif\x00\x00"), []byte("GPS 35.6892N 51.3890E CAMERA-SERIAL-123")...)
	seg := []byte{0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}
	return append(append(append([]byte{}, b[:2]...), append(seg, exif...)...), b[2:]...)
}

func TestWitnessReportStripsPhoto(t *testing.T) {
	f := newFixture(t, Limits{})
	c := newClient(t, f.h, "en")
	page := c.get("/report").Body.String()
	token := csrfRe.FindStringSubmatch(page)[1]
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": token, "full_name": "Nika Shakarami", "status": "killed",
		"event_date": "1401/06/29", "place": "Tehran", "how": "TESTIMONY-TEXT", "reporter": "WITNESS-ID"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("photo", "IMG_0001.jpg")
	photo := jpegWithEXIF(t)
	if !bytes.Contains(photo, []byte("CAMERA-SERIAL")) {
		t.Fatal("test photo lacks its metadata")
	}
	fw.Write(photo)
	mw.Close()
	req := httptest.NewRequest("POST", "/report", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := c.send(req)
	if rec.Code != 200 {
		t.Fatalf("report: %d %s", rec.Code, rec.Body)
	}
	ctx := context.Background()
	var recs []peyvand.Record
	f.store.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { recs = append(recs, r); return nil })
	if len(recs) != 1 || recs[0].Reporter != "WITNESS-ID" {
		t.Fatalf("records %+v", recs)
	}
	atts, err := f.store.Attachments(ctx, recs[0].ID)
	if err != nil || len(atts) != 1 || atts[0].ContentType != "image/jpeg" {
		t.Fatalf("attachments %v %v", atts, err)
	}
	if bytes.Contains(atts[0].Data, []byte("CAMERA-SERIAL")) || bytes.Contains(atts[0].Data, []byte("Exif")) {
		t.Fatal("the stored photo keeps its metadata")
	}
	if _, _, err := image.Decode(bytes.NewReader(atts[0].Data)); err != nil {
		t.Fatalf("stored photo does not decode: %v", err)
	}
	var evs []peyvand.StatusEvent
	f.store.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error { evs = append(evs, e); return nil })
	if len(evs) != 1 || evs[0].Status != peyvand.StatusKilled || evs[0].Date.String() != "2022-09-20" || evs[0].Text != "TESTIMONY-TEXT" {
		t.Fatalf("events %+v", evs)
	}
}

func TestStaffRolesAndVerification(t *testing.T) {
	f := newFixture(t, Limits{})
	ctx := context.Background()
	tx, _ := f.store.BeginImport(ctx, "test", peyvand.ImportMeta{File: "lists"})
	src, _ := tx.Source(ctx, peyvand.Source{Name: "org-a-list", Kind: peyvand.SourceList, Organisation: "org-a", Independent: true})
	tx.Put(ctx, peyvand.ImportRow{Record: peyvand.Record{SourceID: src.ID, ExternalID: "1", FullName: "Sara Ahmadi", City: "Zahedan",
		Reporter: "SECRET-SOURCE"}, Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2022, Month: 9, Day: 30}}}})
	tx.Commit(ctx)
	var rec peyvand.Record
	f.store.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { rec = r; return nil })

	// No session: sent to sign in. Wrong role: 403.
	anon := newClient(t, f.h, "en")
	if r := anon.get("/staff/review"); r.Code != http.StatusSeeOther {
		t.Fatalf("anonymous review: %d", r.Code)
	}
	analyst := f.signIn(t, "ana", peyvand.RoleAnalyst, "org-b")
	if r := analyst.get("/staff/person/" + rec.PersonID); r.Code != http.StatusForbidden {
		t.Fatalf("analyst reads a dossier: %d", r.Code)
	}
	if r := analyst.get("/staff/dashboard"); r.Code != 200 || !strings.Contains(r.Body.String(), "<svg") {
		t.Fatalf("dashboard: %d", r.Code)
	}
	// In Persian, the charts' text (labels, axes, values) is in Persian digits.
	analyst.lang = "fa"
	page := analyst.get("/staff/dashboard").Body.String()
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(page, -1) {
		if strings.ContainsAny(m[1], "0123456789") {
			t.Errorf("a Persian chart shows Latin digits: %q", m[1])
		}
	}
	analyst.lang = "en"

	// A verifier of another organisation sees the person, not the sealed source.
	other := f.signIn(t, "ver-b", peyvand.RoleVerifier, "org-b")
	if page := other.get("/staff/person/" + rec.PersonID).Body.String(); strings.Contains(page, "SECRET-SOURCE") || !strings.Contains(page, "Sara Ahmadi") {
		t.Fatal("another organisation's verifier sees the sealed reporter (or not the person)")
	}
	own := f.signIn(t, "ver-a", peyvand.RoleVerifier, "org-a")
	if page := own.get("/staff/person/" + rec.PersonID).Body.String(); !strings.Contains(page, "SECRET-SOURCE") {
		t.Fatal("the organisation's own verifier does not see its source")
	}
	var evID string
	f.store.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error { evID = e.ID; return nil })
	personPage := "/staff/person/" + rec.PersonID
	// "Verified" with one source and no evidence is refused; with evidence it stands.
	if r := own.post(personPage, personPage+"/verify", url.Values{"event": {evID}, "level": {"verified"}}); r.Code != 400 {
		t.Fatalf("verified without evidence: %d", r.Code)
	}
	if r := own.post(personPage, personPage+"/verify", url.Values{"event": {evID}, "level": {"verified"}, "evidence": {"death certificate no. 123"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("verify: %d %s", r.Code, r.Body)
	}
	// Not published until allowed; then in the list, the feed and the downloads.
	if strings.Contains(anon.get("/list").Body.String(), "Sara Ahmadi") {
		t.Fatal("published before allowed")
	}
	if r := own.post(personPage, personPage+"/publish", url.Values{"allowed": {"1"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.Code)
	}
	for _, target := range []string{"/list", "/list?q=sara", "/list.csv", "/list.json", "/list.atom", "/list?lang=fa"} {
		if body := anon.get(target).Body.String(); !strings.Contains(body, "Sara Ahmadi") || strings.Contains(body, "SECRET-SOURCE") {
			t.Errorf("%s: published person missing or sealed data shown", target)
		}
	}
	if strings.Contains(anon.get("/list?q=hosseini").Body.String(), "Sara Ahmadi") {
		t.Error("search does not filter")
	}
	// Sign out ends the session.
	own.post("/staff", "/staff/logout", url.Values{})
	if r := own.get("/staff/review"); r.Code != http.StatusSeeOther {
		t.Fatalf("after sign-out: %d", r.Code)
	}
	if rep, err := f.store.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit %v %v", rep.Problems, err)
	}
}

func TestLoginLockout(t *testing.T) {
	f := newFixture(t, Limits{})
	f.signIn(t, "admin", peyvand.RoleAdmin, "")
	c := newClient(t, f.h, "en")
	for i := 0; i < maxFailures; i++ {
		if r := c.post("/staff/login", "/staff/login", url.Values{"username": {"admin"}, "password": {"wrong password!!"}, "code": {"000000"}}); r.Code != 401 {
			t.Fatalf("failure %d: %d", i, r.Code)
		}
	}
	a, _ := f.store.AccountByName(context.Background(), "admin")
	if !a.LockedUntil.After(f.now) {
		t.Fatalf("not locked after %d failures: %+v", maxFailures, a)
	}
	// Unknown users get the same answer.
	if r := c.post("/staff/login", "/staff/login", url.Values{"username": {"nobody"}, "password": {"x"}, "code": {"1"}}); r.Code != 401 {
		t.Fatalf("unknown user: %d", r.Code)
	}
}

// TestOneTimeCodeUsedOnce: the code that signed someone in does not sign
// in again (read over a shoulder, replayed from a captured request), even
// with the right password; the next code does.
func TestOneTimeCodeUsedOnce(t *testing.T) {
	f := newFixture(t, Limits{})
	hash, _ := auth.HashPassword("a long enough password")
	secret := auth.NewTOTPSecret()
	if _, err := f.store.CreateAccount(context.Background(), "test", peyvand.Account{Username: "v", Role: peyvand.RoleVerifier,
		PasswordHash: hash, TOTPSecret: secret}); err != nil {
		t.Fatal(err)
	}
	signIn := func() int {
		code, _ := auth.TOTP(secret, f.now)
		c := newClient(t, f.h, "en")
		return c.post("/staff/login", "/staff/login", url.Values{"username": {"v"}, "password": {"a long enough password"}, "code": {code}}).Code
	}
	if got := signIn(); got != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", got)
	}
	if got := signIn(); got != http.StatusUnauthorized {
		t.Fatalf("the same code again: %d, want 401", got)
	}
	f.now = f.now.Add(30 * time.Second)
	if got := signIn(); got != http.StatusSeeOther {
		t.Fatalf("the next code: %d", got)
	}
}

// TestDashboardEstimate: with the demo's lists (more than five), the
// dashboard shows the latent-class estimate with its interval, and a
// second view reuses it.
func TestDashboardEstimate(t *testing.T) {
	f := newFixture(t, Limits{})
	if _, err := demo.Load(context.Background(), f.store, demo.Generate(demo.Options{Seed: 3, Persons: 200})); err != nil {
		t.Fatal(err)
	}
	if _, err := f.linker.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := f.signIn(t, "ana", peyvand.RoleAnalyst, "")
	page := c.get("/staff/dashboard").Body.String()
	explain := mustMessages(t)["en"]["estimate_explain_lcmcr"]
	m := regexp.MustCompile(`<p class="big">([0-9,]+) <span class="note">\(95% interval ([0-9,]+)–([0-9,]+)\)`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, explain) {
		t.Fatalf("no latent-class estimate on the dashboard:\n%s", page)
	}
	start := time.Now()
	again := c.get("/staff/dashboard").Body.String()
	if !strings.Contains(again, m[0]) {
		t.Error("the second view shows another estimate")
	}
	t.Logf("estimate %s [%s, %s]; second view %v", m[1], m[2], m[3], time.Since(start))
}

// TestStaffSearch: a verifier finds a person by any spelling, in either
// script; other roles cannot search; a query is bounded.
func TestStaffSearch(t *testing.T) {
	f := newFixture(t, Limits{})
	ctx := context.Background()
	tx, err := f.store.BeginImport(ctx, "test", peyvand.ImportMeta{File: "t.csv"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: "list-a", Kind: peyvand.SourceList})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range []peyvand.Record{{FullName: "محمدرضا حسینی", BirthYear: 1996, City: "کرج"}, {FullName: "Mohammad Reza Hosseini", BirthYear: 1996},
		{FullName: "Sara Ahmadi", Contact: "SEALEDCONTACT"}} {
		r.SourceID, r.ExternalID = src.ID, strconv.Itoa(i)
		if _, err := tx.Put(ctx, peyvand.ImportRow{Record: r}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	v := f.signIn(t, "ver", peyvand.RoleVerifier, "")
	for q, want := range map[string][]string{
		"hoseyni":  {"Mohammad Reza Hosseini", "محمدرضا حسینی"},
		"حسینی":    {"Mohammad Reza Hosseini", "محمدرضا حسینی"},
		"Ahmadi":   {"Sara Ahmadi"},
		"Nobodyzz": nil,
	} {
		page := v.get("/staff/search?q=" + url.QueryEscape(q)).Body.String()
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("search %q: %q not found", q, w)
			}
		}
		if want == nil && !strings.Contains(page, mustMessages(t)["en"]["search_none"]) {
			t.Errorf("search %q: no 'nothing found'", q)
		}
		if strings.Contains(page, "SEALEDCONTACT") {
			t.Error("search shows a sealed field")
		}
	}
	if r := v.get("/staff/search?q=" + strings.Repeat("ا", 5000)); r.Code != 200 {
		t.Errorf("long query: %d", r.Code)
	}
	ana := f.signIn(t, "ana", peyvand.RoleAnalyst, "")
	if r := ana.get("/staff/search?q=ahmadi"); r.Code != http.StatusForbidden {
		t.Errorf("an analyst searched: %d", r.Code)
	}
}

// TestStaffRouteAuthorisation walks every staff route: without a session
// it sends to the sign-in page, with the wrong role it refuses (403), with
// the right one it answers.
func TestStaffRouteAuthorisation(t *testing.T) {
	f := newFixture(t, Limits{})
	roles := map[peyvand.Role]*client{}
	for _, r := range []peyvand.Role{peyvand.RoleVerifier, peyvand.RoleCaseworker, peyvand.RoleAnalyst, peyvand.RoleAdmin} {
		roles[r] = f.signIn(t, "u-"+string(r), r, "org")
	}
	anon := newClient(t, f.h, "en")
	for _, rt := range []struct {
		method, path string
		role         peyvand.Role
	}{
		{"GET", "/staff/review", peyvand.RoleVerifier},
		{"POST", "/staff/review", peyvand.RoleVerifier},
		{"GET", "/staff/search?q=x", peyvand.RoleVerifier},
		{"GET", "/staff/person/per_nope", peyvand.RoleVerifier},
		{"POST", "/staff/person/per_nope/verify", peyvand.RoleVerifier},
		{"POST", "/staff/person/per_nope/publish", peyvand.RoleVerifier},
		{"POST", "/staff/person/per_nope/split", peyvand.RoleVerifier},
		{"GET", "/staff/cases", peyvand.RoleCaseworker},
		{"GET", "/staff/cases/inq_nope", peyvand.RoleCaseworker},
		{"POST", "/staff/cases/inq_nope", peyvand.RoleCaseworker},
		{"GET", "/staff/dashboard", peyvand.RoleAnalyst},
		{"GET", "/staff/export.csv", peyvand.RoleAnalyst},
		{"GET", "/staff/import", peyvand.RoleAdmin},
		{"POST", "/staff/import", peyvand.RoleAdmin},
	} {
		send := func(c *client) int {
			if rt.method == "GET" {
				return c.get(rt.path).Code
			}
			return c.post("/staff/login", rt.path, url.Values{}).Code
		}
		if got := send(anon); got != http.StatusSeeOther {
			t.Errorf("%s %s without a session: %d, want 303", rt.method, rt.path, got)
		}
		for role, c := range roles {
			got := send(c)
			allowed := role == rt.role || role == peyvand.RoleAdmin
			switch {
			case !allowed && got != http.StatusForbidden:
				t.Errorf("%s %s as %s: %d, want 403", rt.method, rt.path, role, got)
			case allowed && (got == http.StatusForbidden || got == http.StatusSeeOther && rt.method == "GET" || got >= 500):
				t.Errorf("%s %s as %s: %d", rt.method, rt.path, role, got)
			}
		}
	}
}
