package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"peyvand"
	"peyvand/auth"
	"peyvand/demo"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/storetest"
)

// TestTwoServersOnePostgres runs two "peyvand serve" instances on one
// PostgreSQL database and has them act at the same time: families register
// on both and look their codes up on the other; two caseworkers, one on
// each, take the same case at once (exactly one wins, nothing is lost);
// two verifiers verify the same statement at once (exactly one new
// verification). Afterwards the audit chain is one valid chain.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx := context.Background()
	keyFile := filepath.Join(t.TempDir(), "shared.key")
	keys, _, err := seal.LoadOrCreate(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	// The registry before the servers start: a fictitious data set, a
	// family's inquiry with a case queued, and four staff accounts.
	st, err := postgres.Open(ctx, dsn, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Load(ctx, st, demo.Generate(demo.Options{Seed: 5, Persons: 120})); err != nil {
		t.Fatal(err)
	}
	in, err := st.CreateInquiry(ctx, "public", peyvand.Inquiry{Contact: "+1 555 0142"},
		peyvand.Record{FullName: "Navid Testfamily"}, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCase(ctx, "test", in.ID, peyvand.StatusKilled); err != nil {
		t.Fatal(err)
	}
	var event peyvand.StatusEvent
	err = st.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		if event.ID == "" && e.Verification != peyvand.Verified {
			event = e
		}
		return nil
	})
	if err != nil || event.ID == "" {
		t.Fatalf("no event to verify: %v", err)
	}
	rec, err := st.Record(ctx, event.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{}
	for _, a := range []struct {
		name string
		role peyvand.Role
	}{{"case-a", peyvand.RoleCaseworker}, {"case-b", peyvand.RoleCaseworker}, {"verif-a", peyvand.RoleVerifier}, {"verif-b", peyvand.RoleVerifier}} {
		hash, _ := auth.HashPassword("a long enough password")
		secrets[a.name] = auth.NewTOTPSecret()
		if _, err := st.CreateAccount(ctx, "test", peyvand.Account{Username: a.name, Role: a.role,
			Organisation: "org", PasswordHash: hash, TOTPSecret: secrets[a.name]}); err != nil {
			t.Fatal(err)
		}
	}

	baseA, _, logsA := startServe(t, "--db", dsn, "--key", keyFile, "--limit-per-client", "1000")
	baseB, _, logsB := startServe(t, "--db", dsn, "--key", keyFile, "--limit-per-client", "1000")
	signIn := func(base, name string) *browser {
		b := newBrowser(t)
		code, _ := auth.TOTP(secrets[name], time.Now())
		if status, body := b.post(base, "/staff/login", url.Values{"username": {name},
			"password": {"a long enough password"}, "code": {code}}); status != 200 || !strings.Contains(body, name) {
			t.Fatalf("sign-in of %s: %d\n%s", name, status, body)
		}
		return b
	}

	// Families on both servers at once; each code works on the other.
	const families = 12
	codes := make([]string, families)
	var wg sync.WaitGroup
	codeRe := regexp.MustCompile(`id="code"[^>]*>([^<]+)<`)
	for i := range families {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := []string{baseA, baseB}[i%2]
			b := newBrowser(t)
			status, page := b.post(base, "/inquiry", url.Values{"given_name": {"Farhad"}, "family_name": {fmt.Sprintf("Testfamily%d", i%3)},
				"birth_year": {"1990"}, "city": {"Tehran"}, "contact": {fmt.Sprintf("+1 555 01%02d", i)}})
			m := codeRe.FindStringSubmatch(page)
			if status != 200 || m == nil {
				t.Errorf("inquiry %d on %s: %d", i, base, status)
				return
			}
			codes[i] = strings.TrimSpace(m[1])
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code == "" {
			continue
		}
		other := []string{baseB, baseA}[i%2]
		if status, page := newBrowser(t).post(other, "/lookup", url.Values{"code": {code}}); status != 200 || strings.Contains(page, `class="errors"`) {
			t.Errorf("code %d looked up on the other server: %d", i, status)
		}
	}

	// Two caseworkers take the same case at once, one on each server.
	cwA, cwB := signIn(baseA, "case-a"), signIn(baseB, "case-b")
	take := func(b *browser, base string) int {
		status, _ := b.post(base, "/staff/cases/"+in.ID, url.Values{"action": {"take"}})
		return status
	}
	got := make([]int, 2)
	wg.Add(2)
	go func() { defer wg.Done(); got[0] = take(cwA, baseA) }()
	go func() { defer wg.Done(); got[1] = take(cwB, baseB) }()
	wg.Wait()
	c, err := st.CaseOf(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	okCount := 0
	for _, s := range got {
		if s == 200 { // the redirect to the case page, followed
			okCount++
		} else if s != 409 {
			t.Errorf("take: status %d", s)
		}
	}
	acc, _ := st.AccountByID(ctx, c.AssignedTo)
	if okCount != 1 || c.State != peyvand.CaseAssigned || (acc.Username != "case-a" && acc.Username != "case-b") ||
		(got[0] == 200) != (acc.Username == "case-a") {
		t.Errorf("two takes at once: statuses %v, case %+v (assigned to %q)", got, c, acc.Username)
	}

	// Two verifiers verify the same statement at once.
	vA, vB := signIn(baseA, "verif-a"), signIn(baseB, "verif-b")
	verify := func(b *browser, base string) int {
		status, _ := b.postFrom(base, "/staff/person/"+rec.PersonID, "/staff/person/"+rec.PersonID+"/verify", url.Values{"event": {event.ID},
			"level": {string(peyvand.Verified)}, "evidence": {"burial record, ref 12"}})
		return status
	}
	wg.Add(2)
	go func() { defer wg.Done(); got[0] = verify(vA, baseA) }()
	go func() { defer wg.Done(); got[1] = verify(vB, baseB) }()
	wg.Wait()
	supersedes := 0
	st.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		if e.Supersedes == event.ID {
			supersedes++
		}
		return nil
	})
	if supersedes != 1 || !((got[0] == 200) != (got[1] == 200)) {
		t.Errorf("two verifications at once: statuses %v, %d events supersede the statement", got, supersedes)
	}

	rep, err := st.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("audit chain after two servers: %v\n%s\n%s", err, logsA.String(), logsB.String())
	}
	t.Logf("audit chain: %+v", rep)
}
