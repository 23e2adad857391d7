package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runSms runs "peyvand sms ARGS" in process, with the registry in dir.
func runSms(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = m.exit(m.smsCmd(context.Background(), args))
	return code, out.String(), errb.String()
}

// TestSmsRoundTrip makes a sender's key, writes reports with it, reads
// them back, and imports a phone's export of them twice.
func TestSmsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "leyla.key")
	code, out, errs := runSms(t, dir, "keygen", "--sender", "SEND3R", "--out", key)
	if code != 0 || !strings.Contains(out, "sender SEND3R") {
		t.Fatalf("keygen: %d %s %s", code, out, errs)
	}
	secret, _ := os.ReadFile(key)
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi, err)
	}
	seed := strings.Fields(string(secret))[len(strings.Fields(string(secret)))-1]
	if pub, _ := os.ReadFile(key + ".pub"); strings.Contains(out+errs+string(pub), seed) {
		t.Fatal("keygen printed the secret key or put it in the .pub file")
	}
	if code, _, errs := runSms(t, dir, "keygen", "--out", key); code != exitConflict || !strings.Contains(errs, "not overwriting") {
		t.Fatalf("keygen over an existing key: %d %s", code, errs)
	}
	senders := key + ".pub"

	code, text1, errs := runSms(t, dir, "encode", "--key", key, "--seq", "12", "--given", "Mohammad", "--family", "Hosseini",
		"--father", "Ali", "--status", "detained", "--date", "2026-01-09", "--place", "Tehran")
	if code != 0 || !strings.Contains(errs, "characters") {
		t.Fatalf("encode: %d %s", code, errs)
	}
	code, text2, _ := runSms(t, dir, "encode", "--key", key, "--sender", "send3r", "--given", "محمدرضا", "--family", "حسینی",
		"--status", "کشته", "--date", "۱۴۰۴/۱۰/۱۹", "--place", "زاهدان", "--age", "۱۹", "--gender", "مرد", "--group", "0")
	if code != 0 || strings.Contains(text2, "-") || len(strings.TrimSpace(text2)) > 160 {
		t.Fatalf("encode in Persian: %d %q", code, text2)
	}

	code, out, _ = runSms(t, dir, "decode", "--keys", senders, strings.TrimSpace(text2))
	for _, want := range []string{"SEND3R (signature verified)", "محمدرضا", "حسینی", "killed", "2026-01-09 (1404/10/19)", "زاهدان", "age:", "19", "male", "id:"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("decode: %d, no %q in\n%s", code, want, out)
		}
	}
	// Groups given as separate arguments, as a shell splits them.
	code, out, _ = runSms(t, dir, append([]string{"decode"}, strings.Split(strings.ReplaceAll(strings.TrimSpace(text1), "-", " "), " ")...)...)
	if code != 0 || !strings.Contains(out, "NOT VERIFIED") || !strings.Contains(out, "Hosseini") {
		t.Fatalf("decode without keys: %d\n%s", code, out)
	}

	// A phone's export: both texts, one forwarded again in lower case,
	// another message in between.
	export := filepath.Join(dir, "texts.txt")
	text1, text2 = strings.TrimSpace(text1), strings.TrimSpace(text2)
	os.WriteFile(export, []byte(text1+"\nok, received\n\n"+text2+"\n"+strings.ToLower(text1)+"\n"), 0o600)
	code, _, errs = runSms(t, dir, "import", "--source", "sms-witnesses", "--keys", senders, export)
	if code != exitInvalid || !strings.Contains(errs, "texts.txt line 2") || !strings.Contains(errs, "nothing imported") {
		t.Fatalf("import with a stray line: %d %s", code, errs)
	}
	code, out, errs = runSms(t, dir, "import", "--source", "sms-witnesses", "--keys", senders, "--skip-invalid", export)
	if code != 0 || !strings.Contains(out, "4 texts: 2 created, 1 unchanged, 2 new status events, 1 rejected") || !strings.Contains(errs, "skipped: texts.txt line 2") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, _ = runSms(t, dir, "import", "--source", "sms-witnesses", "--keys", senders, "--skip-invalid", export)
	if code != 0 || !strings.Contains(out, "0 created, 3 unchanged, 0 new status events") {
		t.Fatalf("import again: %d %s", code, out)
	}
	// The registry's own tools see the records.
	code, out, _ = run(t, dir, "export", "--format", "csv")
	if code != 0 || !strings.Contains(out, "Hosseini") || !strings.Contains(out, "حسینی") || strings.Contains(out, "SEND3R") {
		t.Fatalf("export: %d\n%s", code, out)
	}
}

func TestSmsErrors(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "s.key")
	if code, _, errs := runSms(t, dir, "keygen", "--out", key); code != 0 {
		t.Fatal(errs)
	}
	other := filepath.Join(dir, "o.key")
	if code, _, errs := runSms(t, dir, "keygen", "--out", other); code != 0 {
		t.Fatal(errs)
	}
	_, text, _ := runSms(t, dir, "encode", "--key", key, "--family", "Rezaei", "--status", "missing")
	text = strings.TrimSpace(text)
	i := 12 // the first character of the third group
	c := "Z"
	if text[i] == 'Z' {
		c = "0"
	}
	typo := text[:i] + c + text[i+1:]
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "give a command"},
		{[]string{"frob"}, exitUsage, "unknown command"},
		{[]string{"keygen"}, exitUsage, "--out"},
		{[]string{"keygen", "--sender", "a b", "--out", filepath.Join(dir, "x")}, exitInvalid, "sender id"},
		{[]string{"encode", "--given", "X"}, exitUsage, "--key"},
		{[]string{"encode", "--key", filepath.Join(dir, "none")}, exitNotFound, "sender key"},
		{[]string{"encode", "--key", key + ".pub", "--given", "X"}, exitInvalid, "expected"},
		{[]string{"encode", "--key", key, "--sender", "ZZZZ", "--given", "X"}, exitUsage, "not ZZZZ"},
		{[]string{"encode", "--key", key, "--status", "perhaps"}, exitInvalid, "not a status"},
		{[]string{"encode", "--key", key, "--given", "X", "--date", "1404/13/01"}, exitInvalid, "month 13"},
		{[]string{"encode", "--key", key, "--status", "killed"}, exitInvalid, "names no one"},
		{[]string{"decode"}, exitUsage, "no text"},
		{[]string{"decode", typo}, exitInvalid, "position " + strconv.Itoa(i+1)},
		{[]string{"decode", text + "!"}, exitInvalid, "'!'"},
		{[]string{"decode", "--keys", other + ".pub", text}, exitUnauthorized, "unknown sender"},
		{[]string{"import", "--keys", key + ".pub", "f"}, exitUsage, "--source"},
		{[]string{"import", "--source", "s", "f"}, exitUsage, "--keys"},
		{[]string{"import", "--source", "s", "--keys", key + ".pub", filepath.Join(dir, "none.txt")}, exitNotFound, "none.txt"},
		{[]string{"encode", "-h"}, exitOK, "Example:"},
	} {
		code, out, errs := runSms(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%v: code %d, want %d; output %q", tc.args, code, tc.code, out+errs)
		}
	}
	// A text signed with another sender's key under this sender's id.
	forgedSenders := filepath.Join(dir, "forged.txt")
	pub, _ := os.ReadFile(key + ".pub")
	opub, _ := os.ReadFile(other + ".pub")
	os.WriteFile(forgedSenders, []byte(strings.Fields(string(opub))[0]+" ed25519 "+strings.Fields(string(pub))[2]+"\n"), 0o644)
	_, otext, _ := runSms(t, dir, "encode", "--key", other, "--family", "Rezaei")
	if code, _, errs := runSms(t, dir, "decode", "--keys", forgedSenders, strings.TrimSpace(otext)); code != exitUnauthorized || !strings.Contains(errs, "signature does not match") {
		t.Errorf("forged: %d %s", code, errs)
	}
}
