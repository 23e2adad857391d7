package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExchangeVerifiedOnly: one organisation shares only what it has
// verified, with no witness identities, and its audit chain says what left
// and for whom; the other receives exactly that, with the sender's
// provenance (its sources under the sender's name).
func TestExchangeVerifiedOnly(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ida, idb := filepath.Join(a, "id"), filepath.Join(b, "id")
	pub := map[string]string{}
	for dir, name := range map[string]string{ida: "org-a", idb: "org-b"} {
		code, out, errs := runSub(t, dir, keysCmd, "generate", "--dir", dir, "--name", name)
		if code != 0 {
			t.Fatalf("keys generate: %s", errs)
		}
		pub[name] = strings.SplitN(out, "\n", 2)[0]
	}
	os.WriteFile(filepath.Join(a, "peers.txt"), []byte(pub["org-b"]+" kinds=list events=yes\n"), 0o600)
	os.WriteFile(filepath.Join(b, "peers.txt"), []byte(pub["org-a"]+" kinds=list events=yes verification=verified\n"), 0o600)
	list := filepath.Join(t.TempDir(), "list.csv")
	os.WriteFile(list, []byte("record_id,full_name,birth_year,status,event_date,verification,evidence,reporter\n"+
		"1,Navid Testone,1993,executed,2020-09-12,verified,court record 12,WITNESSONE\n"+
		"2,Sara Testtwo,1990,detained,2022-10-01,reported,,WITNESSTWO\n"+
		"3,Reza Testthree,1985,killed,2022-11-16,corroborated,,\n"), 0o600)
	if code, _, errs := run(t, a, "import", "--source", "hr-list", list); code != 0 {
		t.Fatal(errs)
	}
	bf := filepath.Join(t.TempDir(), "verified.bundle")
	code, out, errs := runSub(t, a, bundleCmd, "export", "--identity", ida, "--peers", filepath.Join(a, "peers.txt"),
		"--to", "org-b", "--min-verification", "verified", "--actor", "account:maryam", "--out", bf)
	if code != 0 || !strings.Contains(out, "1 records, 1 status events") {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	if code, _, errs := runSub(t, a, bundleCmd, "export", "--identity", ida, "--peers", filepath.Join(a, "peers.txt"),
		"--to", "org-b", "--min-verification", "sure", "--out", bf+"2"); code != exitInvalid {
		t.Fatalf("a bad level: %d %s", code, errs)
	}
	// "--since last" finds the bundle just recorded.
	if code, _, errs := runSub(t, a, bundleCmd, "export", "--identity", ida, "--peers", filepath.Join(a, "peers.txt"),
		"--to", "org-b", "--since", "last", "--out", bf+"3"); code != 0 || !strings.Contains(errs, "the last bundle to org-b was made") {
		t.Fatalf("--since last: %d %s", code, errs)
	}
	if raw, _ := os.ReadFile(bf); strings.Contains(string(raw), "Navid") || strings.Contains(string(raw), "WITNESS") {
		t.Fatal("the bundle is readable by its carrier")
	}
	// The sender's chain records the disclosure.
	code, out, _ = run(t, a, "audit", "verify")
	if code != 0 {
		t.Fatalf("audit verify: %s", out)
	}
	if !auditHas(t, a, "disclose.bundle", `"min_verification":"verified"`, `"reporters":false`, "account:maryam", "org-b ") {
		t.Error("the bundle's disclosure is not in the sender's audit chain")
	}
	// The receiver has the verified record only, under the sender's name, without the witness.
	if code, out, errs := runSub(t, b, bundleCmd, "import", "--identity", idb, "--peers", filepath.Join(b, "peers.txt"), bf); code != 0 ||
		!strings.Contains(out, "1 created") || !strings.Contains(out, "org-a/hr-list") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, b, "export", "--format", "csv", "--include-sealed")
	if code != 0 || !strings.Contains(out, "Navid Testone") || strings.Contains(out, "Sara") || strings.Contains(out, "Reza") ||
		strings.Contains(out, "WITNESSONE") || !strings.Contains(out, "verified") {
		t.Fatalf("receiver's export:\n%s", out)
	}
	if !auditHas(t, b, "disclose.export", `"sealed":true`) {
		t.Error("the export is not in the receiver's audit chain")
	}
}

// auditHas reports whether one entry of the store in dir has action and
// every one of wants in its actor or detail.
func auditHas(t *testing.T, dir, action string, wants ...string) bool {
	t.Helper()
	db := openSQLite(t, filepath.Join(dir, "p.db"))
	defer db.Close()
	rows, err := db.Query("SELECT actor, detail FROM audit_log WHERE action = ?", action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var actor, detail string
		rows.Scan(&actor, &detail)
		all := true
		for _, w := range wants {
			all = all && strings.Contains(actor+" "+detail, w)
		}
		if all {
			return true
		}
	}
	return false
}
