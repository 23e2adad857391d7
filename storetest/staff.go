package storetest

import (
	"strings"
	"testing"
	"time"

	"peyvand"
)

// testAccounts: accounts round-trip with a sealed second factor, names are
// unique, updates are audited, and the secret is not in the database.
func testAccounts(t *testing.T, open Opener) {
	tg := open(t, TestKeys(t, 1))
	s := tg.Store
	a, err := s.CreateAccount(ctx, actor, peyvand.Account{Username: "maryam", Role: peyvand.RoleVerifier,
		Organisation: "org-a", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", TOTPSecret: "JBSWY3DPEHPK3PXPTOTPSECRET"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AccountByName(ctx, "maryam")
	if err != nil || got.ID != a.ID || got.TOTPSecret != a.TOTPSecret || got.Role != peyvand.RoleVerifier || got.Organisation != "org-a" {
		t.Fatalf("AccountByName = %+v, %v", got, err)
	}
	_, err = s.CreateAccount(ctx, actor, peyvand.Account{Username: "maryam", Role: peyvand.RoleAdmin, PasswordHash: "x"})
	wantCode(t, err, peyvand.ECONFLICT)
	for _, bad := range []peyvand.Account{
		{Username: "", Role: peyvand.RoleAdmin, PasswordHash: "x"},
		{Username: "a b", Role: peyvand.RoleAdmin, PasswordHash: "x"},
		{Username: "x", Role: "king", PasswordHash: "x"},
		{Username: "y", Role: peyvand.RoleAdmin},
	} {
		_, err := s.CreateAccount(ctx, actor, bad)
		wantCode(t, err, peyvand.EINVALID)
	}
	got.FailedLogins, got.LockedUntil = 3, time.Now().Add(time.Minute).UTC().Truncate(time.Microsecond)
	got.Username = "renamed" // ignored: usernames never change
	if err := s.UpdateAccount(ctx, actor, got); err != nil {
		t.Fatal(err)
	}
	again, err := s.AccountByID(ctx, a.ID)
	if err != nil || again.FailedLogins != 3 || !again.LockedUntil.Equal(got.LockedUntil) || again.Username != "maryam" {
		t.Fatalf("after update %+v, %v", again, err)
	}
	_, err = s.AccountByName(ctx, "nobody")
	wantCode(t, err, peyvand.ENOTFOUND)
	if all, err := s.Accounts(ctx); err != nil || len(all) != 1 {
		t.Fatalf("Accounts = %v, %v", all, err)
	}
	if strings.Contains(dumpAll(t, tg), "TOTPSECRET") {
		t.Fatal("the second factor's secret is in the database in the clear")
	}

	// Sessions: found until they expire or are deleted.
	ss := peyvand.Session{TokenHash: "h1", AccountID: a.ID, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionByHash(ctx, "h1"); err != nil || got.AccountID != a.ID {
		t.Fatalf("session = %+v, %v", got, err)
	}
	old := peyvand.Session{TokenHash: "h2", AccountID: a.ID, CreatedAt: time.Now().Add(-2 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)}
	if err := s.CreateSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionByHash(ctx, "h2")
	wantCode(t, err, peyvand.ENOTFOUND)
	if err := s.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionByHash(ctx, "h1")
	wantCode(t, err, peyvand.ENOTFOUND)

	// One-time codes: each time step once, and never an earlier one.
	for _, c := range []struct {
		step int64
		want string
	}{{100, ""}, {100, peyvand.ECONFLICT}, {99, peyvand.ECONFLICT}, {101, ""}, {101, peyvand.ECONFLICT}} {
		if err := s.UseTOTPStep(ctx, a.ID, c.step); peyvand.ErrorCode(err) != c.want {
			t.Errorf("UseTOTPStep(%d) = %v, want %q", c.step, err, c.want)
		}
	}
	mustVerify(t, s)
}

// testReview: decisions (latest per pair wins), splitting a person, and
// publication choices.
func testReview(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	recs := map[string]peyvand.Record{}
	for _, r := range allRecords(t, s) {
		recs[r.ExternalID] = r
	}
	a1, a2, a3 := recs["A-1"], recs["A-2"], recs["A-3"]
	if err := s.Decide(ctx, actor, peyvand.PairDecision{RecordA: a2.ID, RecordB: a1.ID, Decision: peyvand.Unsure}); err != nil {
		t.Fatal(err)
	}
	if err := s.Decide(ctx, actor, peyvand.PairDecision{RecordA: a1.ID, RecordB: a2.ID, Decision: peyvand.Different}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Decisions(ctx)
	if err != nil || len(ds) != 1 || ds[0].Decision != peyvand.Different || ds[0].RecordA > ds[0].RecordB {
		t.Fatalf("Decisions = %+v, %v", ds, err)
	}
	wantCode(t, s.Decide(ctx, actor, peyvand.PairDecision{RecordA: a1.ID, RecordB: a1.ID, Decision: peyvand.Same}), peyvand.EINVALID)
	wantCode(t, s.Decide(ctx, actor, peyvand.PairDecision{RecordA: a1.ID, RecordB: "rec_nope", Decision: peyvand.Same}), peyvand.ENOTFOUND)
	wantCode(t, s.Decide(ctx, actor, peyvand.PairDecision{RecordA: a1.ID, RecordB: a2.ID, Decision: "maybe"}), peyvand.EINVALID)

	if _, err := s.MergePersons(ctx, actor, [][]string{{a1.ID, a2.ID, a3.ID}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SplitPerson(ctx, actor, []string{a1.ID, a2.ID, a3.ID})
	wantCode(t, err, peyvand.EINVALID)
	newID, err := s.SplitPerson(ctx, actor, []string{a2.ID})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := s.Record(ctx, a2.ID)
	if err != nil || moved.PersonID != newID {
		t.Fatalf("split record %+v, %v; want person %s", moved, err, newID)
	}
	if st := stats(t, s); st.Persons != 2 {
		t.Fatalf("after split %+v", st)
	}
	d, err := s.Dossier(ctx, newID)
	if err != nil || len(d.Records) != 1 || len(d.Events) != 1 {
		t.Fatalf("new person's dossier %+v, %v", d, err)
	}

	if err := s.SetPublished(ctx, actor, newID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPublished(ctx, actor, newID, false); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Published(ctx); err != nil || len(p) != 1 || p[newID] {
		t.Fatalf("Published = %v, %v", p, err)
	}
	wantCode(t, s.SetPublished(ctx, actor, "per_nope", true), peyvand.ENOTFOUND)
	mustVerify(t, s)
}

// testCases: a case opens once, moves through its states, keeps its
// delivery record sealed, and is audited.
func testCases(t *testing.T, open Opener) {
	tg := open(t, TestKeys(t, 1))
	s := tg.Store
	in, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Contact: "+1 555 0100"},
		peyvand.Record{FullName: "Navid Afkari"}, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.OpenCase(ctx, actor, in.ID, peyvand.StatusKilled)
	if err != nil || c.State != peyvand.CaseQueued || c.Reason != peyvand.StatusKilled {
		t.Fatalf("OpenCase = %+v, %v", c, err)
	}
	if again, err := s.OpenCase(ctx, actor, in.ID, peyvand.StatusExecuted); err != nil || again.Reason != peyvand.StatusKilled {
		t.Fatalf("second OpenCase = %+v, %v", again, err)
	}
	// Two caseworkers read the queued case; the first takes it, the
	// second must not overwrite that (no lost update).
	first, second := c, c
	first.State, first.AssignedTo = peyvand.CaseAssigned, "acc_1"
	if err := s.UpdateCase(ctx, actor, first); err != nil {
		t.Fatal(err)
	}
	second.State, second.AssignedTo = peyvand.CaseAssigned, "acc_2"
	wantCode(t, s.UpdateCase(ctx, actor, second), peyvand.ECONFLICT)
	if c, err = s.CaseOf(ctx, in.ID); err != nil || c.AssignedTo != "acc_1" {
		t.Fatalf("after a conflicting take: %+v, %v", c, err)
	}
	c.State = peyvand.CaseTold
	c.Delivery = "told his sister by phone, DELIVERYNOTE"
	if err := s.UpdateCase(ctx, actor, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.CaseOf(ctx, in.ID)
	if err != nil || got.State != peyvand.CaseTold || got.Delivery != c.Delivery || got.AssignedTo != "acc_1" {
		t.Fatalf("CaseOf = %+v, %v", got, err)
	}
	wantCode(t, s.UpdateCase(ctx, actor, peyvand.Case{InquiryID: "inq_nope", State: peyvand.CaseTold}), peyvand.ENOTFOUND)
	wantCode(t, s.UpdateCase(ctx, actor, peyvand.Case{InquiryID: in.ID, State: "lost"}), peyvand.EINVALID)
	if all, err := s.Cases(ctx); err != nil || len(all) != 1 {
		t.Fatalf("Cases = %v, %v", all, err)
	}
	if byID, err := s.Inquiry(ctx, in.ID); err != nil || byID.Contact != "+1 555 0100" {
		t.Fatalf("Inquiry = %+v, %v", byID, err)
	}
	if strings.Contains(dumpAll(t, tg), "DELIVERYNOTE") {
		t.Fatal("the delivery record is in the database in the clear")
	}
	mustVerify(t, s)
}
