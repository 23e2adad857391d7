package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"peyvand"
	"peyvand/bundle"
	"peyvand/identity"
	"peyvand/relink"
	"peyvand/storetest"
)

// TestFieldMode: a laptop in field mode takes a witness's report, shows
// nothing of the registry's other pages, and hands the report over only as
// a bundle to a trusted organisation, which imports it with the witness's
// sealed details; a bundle to anyone else is refused.
func TestFieldMode(t *testing.T) {
	ctx := context.Background()
	laptop, err := identity.Generate(t.TempDir(), "field-laptop")
	if err != nil {
		t.Fatal(err)
	}
	org, err := identity.Generate(t.TempDir(), "hrorg")
	if err != nil {
		t.Fatal(err)
	}
	laptopPeers, err := identity.ParsePeers("peers.txt", strings.NewReader(org.Public().String()+" kinds=witness events=yes\n"))
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.NewSQLite(t)
	h := New(Config{Store: st, Linker: relink.New(st, "field"), Secret: testSecret, Field: true,
		Identity: laptop, Peers: laptopPeers}).Handler()
	c := newClient(t, h, "fa")

	// Only the field pages exist.
	for path, want := range map[string]int{"/": 200, "/report": 200, "/identity": 200, "/identity.svg": 200,
		"/inquiry": 404, "/lookup": 404, "/list": 404, "/list.csv": 404, "/staff/login": 404, "/staff": 404} {
		if got := c.get(path).Code; got != want {
			t.Errorf("GET %s in field mode: %d, want %d", path, got, want)
		}
	}
	if body := c.get("/identity").Body.String(); !strings.Contains(body, laptop.Public().Fingerprint()) ||
		!strings.Contains(body, laptop.Public().String()) {
		t.Error("identity page lacks the fingerprint or the public line")
	}
	if svg := c.get("/identity.svg"); svg.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.Body.String(), "<svg") {
		t.Errorf("identity.svg: %q", svg.Header().Get("Content-Type"))
	}
	// Nothing to send yet.
	if rec := c.post("/", "/field/send", url.Values{"to": {"hrorg"}}); rec.Code != http.StatusNotFound {
		t.Errorf("send with no reports: %d", rec.Code)
	}
	if rec := c.post("/report", "/report", url.Values{"given_name": {"نوید"}, "family_name": {"افکاری"}, "status": {"executed"},
		"event_date": {"1399/06/21"}, "place": {"شیراز"}, "how": {"TESTIMONYTEXT"}, "reporter": {"WITNESSNAME"}}); rec.Code != 200 {
		t.Fatalf("report: %d\n%s", rec.Code, rec.Body)
	}
	if body := c.get("/").Body.String(); !strings.Contains(body, "hrorg") || !strings.Contains(body, "۱") {
		t.Errorf("field home lacks the peer or the count:\n%s", body)
	}
	// A peer the laptop does not trust, or none: refused.
	if rec := c.post("/", "/field/send", url.Values{"to": {"someone-else"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("send to an unknown peer: %d", rec.Code)
	}
	before, err := st.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := c.post("/", "/field/send", url.Values{"to": {"hrorg"}})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="peyvand-hrorg-`) {
		t.Fatalf("send: %d %v", rec.Code, rec.Header())
	}
	b := rec.Body.Bytes()
	// What left, and for whom, is in the laptop's audit chain.
	if after, err := st.VerifyAudit(ctx); err != nil || after.Entries != before.Entries+1 || after.Rows != before.Rows {
		t.Errorf("the bundle's disclosure: %+v → %+v, %v", before, after, err)
	}
	if bytes.Contains(b, []byte("WITNESSNAME")) || bytes.Contains(b, []byte("TESTIMONYTEXT")) || bytes.Contains(b, []byte("نوید")) {
		t.Fatal("the bundle is readable by whoever carries it")
	}

	// The organisation imports it.
	orgPeers, err := identity.ParsePeers("peers.txt", strings.NewReader(laptop.Public().String()+" kinds=witness events=yes\n"))
	if err != nil {
		t.Fatal(err)
	}
	orgStore := storetest.NewSQLite(t)
	sum, err := bundle.Apply(ctx, orgStore, bytes.NewReader(b), org, orgPeers, bundle.ApplyOptions{File: "carried.bundle"})
	if err != nil || sum.Records != 1 {
		t.Fatalf("apply: %+v, %v", sum, err)
	}
	var got []peyvand.StatusEvent
	orgStore.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		got = append(got, e)
		return nil
	})
	if len(got) != 1 || got[0].Status != peyvand.StatusExecuted || got[0].Reporter != "WITNESSNAME" || got[0].Text != "TESTIMONYTEXT" {
		t.Fatalf("the organisation got %+v", got)
	}
	// Someone else cannot open it.
	other, _ := identity.Generate(t.TempDir(), "other")
	if _, err := bundle.Apply(ctx, storetest.NewSQLite(t), bytes.NewReader(b), other, orgPeers, bundle.ApplyOptions{}); err == nil {
		t.Fatal("a bundle for hrorg opened elsewhere")
	}
}

// TestIdentityPageNeedsIdentity: without an identity, /identity is not there.
func TestIdentityPageNeedsIdentity(t *testing.T) {
	f := newFixture(t, Limits{})
	c := newClient(t, f.h, "en")
	for _, p := range []string{"/identity", "/identity.svg"} {
		if got := c.get(p).Code; got != 404 {
			t.Errorf("GET %s without an identity: %d", p, got)
		}
	}
}
