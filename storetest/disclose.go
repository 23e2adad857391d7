package storetest

import (
	"strings"
	"testing"
	"time"

	"peyvand"
)

// testDisclose: a disclosure is one audit entry, with its recipient and
// details, and no row; the chain still verifies.
func testDisclose(t *testing.T, open Opener) {
	tg := open(t, TestKeys(t, 1))
	s := tg.Store
	importRows(t, s, "list-a", sample())
	before, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Disclose(ctx, "account:acc_1", peyvand.Disclosure{What: "bundle", To: "hrana ABCD-EFGH",
		Detail: map[string]any{"bundle": "b_1", "records": 3, "contacts": false}})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Disclose(ctx, "x", peyvand.Disclosure{What: "two words"}), peyvand.EINVALID)
	after := mustVerify(t, s)
	if after.Entries != before.Entries+1 || after.Rows != before.Rows {
		t.Fatalf("a disclosure wrote %d entries and %d rows", after.Entries-before.Entries, after.Rows-before.Rows)
	}
	var action, actor, detail string
	err = tg.Raw.QueryRowContext(ctx, "SELECT action, actor, detail FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&action, &actor, &detail)
	if err != nil {
		t.Fatal(err)
	}
	at, err := s.LastDisclosure(ctx, "bundle", "hrana ABCD-EFGH")
	if err != nil || time.Since(at) > time.Minute || time.Since(at) < -time.Minute {
		t.Fatalf("LastDisclosure = %v, %v", at, err)
	}
	_, err = s.LastDisclosure(ctx, "bundle", "someone else")
	wantCode(t, err, peyvand.ENOTFOUND)
	if action != "disclose.bundle" || actor != "account:acc_1" || !strings.Contains(detail, `"to":"hrana ABCD-EFGH"`) || !strings.Contains(detail, `"records":3`) {
		t.Fatalf("entry: %s %s %s", action, actor, detail)
	}
}
