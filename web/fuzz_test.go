package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"peyvand/relink"
	"peyvand/storetest"
)

// FuzzPublicForms posts arbitrary values to the public forms (inquiry,
// report, lookup) of a server on a real store. Whatever is sent, the
// answer is a page with a status a client can act on, never a server
// error or a panic.
func FuzzPublicForms(f *testing.F) {
	st := storetest.NewSQLite(f)
	big := 1 << 30
	h := New(Config{Store: st, Linker: relink.New(st, "fuzz"), Secret: testSecret,
		Limits: Limits{PerClient: big, PerCode: big, Global: big}}).Handler()
	// One visitor's cookie and form token, reused for every request.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/inquiry", nil))
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		f.Fatal("no form token")
	}
	token, cookies := m[1], rec.Result().Cookies()

	f.Add(uint8(0), "محمدرضا حسینی", "علی", "۱۳۷۰", "کرج", "killed", "1401/07/02")
	f.Add(uint8(1), "Reza Hosseini", "", "about 30", "Karaj", "getötet", "24.09.2022")
	f.Add(uint8(2), "K7QM-2XHD-9PRT-BC4W-ZE5N", "", "", "", "", "")
	f.Add(uint8(1), "\xff", "\x00", "-1", "", "executed", "1403/12/31")
	f.Fuzz(func(t *testing.T, which uint8, name, father, year, city, status, date string) {
		target := []string{"/inquiry", "/report", "/lookup"}[which%3]
		form := url.Values{"csrf": {token}, "full_name": {name}, "father_name": {father}, "birth_year": {year},
			"age": {year}, "city": {city}, "status": {status}, "event_date": {date}, "code": {name},
			"contact": {father}, "reporter": {city}, "how": {date}}
		req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("POST %s: status %d\n%s", target, rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), "</html>") {
			t.Fatalf("POST %s: not a whole page", target)
		}
	})
}
