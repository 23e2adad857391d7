package audit

import (
	"strings"
	"testing"
	"time"

	"peyvand"
)

func chain(n int) (*Chain, []peyvand.AuditEntry) {
	c := NewChain([]byte("0123456789abcdef0123456789abcdef"))
	prev := Genesis
	var out []peyvand.AuditEntry
	for i := 1; i <= n; i++ {
		e := peyvand.AuditEntry{Seq: int64(i), At: time.Unix(int64(1767000000+i), 0), Actor: "test",
			Action: "import", Detail: `{"rows":{"records":1}}`, Prev: prev}
		e.MAC = c.Link(e)
		prev = e.MAC
		out = append(out, e)
	}
	return c, out
}

func verify(c *Chain, entries []peyvand.AuditEntry, headSeq int64, headMAC string) string {
	v := c.NewVerifier()
	for _, e := range entries {
		v.Entry(e)
	}
	v.Head(headSeq, headMAC, c.Head(headSeq, headMAC))
	return v.Problem()
}

func TestVerifier(t *testing.T) {
	c, es := chain(5)
	last := es[4]
	if p := verify(c, es, last.Seq, last.MAC); p != "" {
		t.Fatalf("a good chain: %s", p)
	}
	if p := verify(c, nil, 0, Genesis); p != "" {
		t.Fatalf("an empty chain: %s", p)
	}
	edited := append([]peyvand.AuditEntry{}, es...)
	edited[2].Actor = "intruder"
	dropped := append(append([]peyvand.AuditEntry{}, es[:1]...), es[2:]...)
	swapped := append([]peyvand.AuditEntry{}, es...)
	swapped[2], swapped[3] = es[3], es[2]
	swapped[2].Seq, swapped[3].Seq = 3, 4 // renumbered to hide the swap
	for name, tc := range map[string]struct {
		entries []peyvand.AuditEntry
		seq     int64
		mac     string
		want    string
	}{
		"edited entry":        {edited, last.Seq, last.MAC, "entry 3: its MAC"},
		"deleted entry":       {dropped, last.Seq, last.MAC, "entry 2: missing"},
		"swapped entries":     {swapped, last.Seq, last.MAC, "entry 3: its MAC"},
		"cut off the end":     {es[:4], last.Seq, last.MAC, "entry 5: missing"},
		"head moved back":     {es, 4, es[3].MAC, "entry 5: not covered"},
		"head names no entry": {es, 5, es[3].MAC, "entry 5: not the entry the head names"},
	} {
		if p := verify(c, tc.entries, tc.seq, tc.mac); !strings.Contains(p, tc.want) {
			t.Errorf("%s: problem %q, want %q", name, p, tc.want)
		}
	}
	// A head sealed by someone without the key.
	v := c.NewVerifier()
	for _, e := range es[:4] {
		v.Entry(e)
	}
	v.Head(4, es[3].MAC, NewChain([]byte("another key")).Head(4, es[3].MAC))
	if !strings.Contains(v.Problem(), "chain head") {
		t.Fatalf("forged head: %q", v.Problem())
	}
}

func TestContentDistinguishesFields(t *testing.T) {
	c := NewChain([]byte("k"))
	if c.Content("record", []string{"ab", "c"}) == c.Content("record", []string{"a", "bc"}) {
		t.Fatal("field boundaries are not part of the digest")
	}
	if c.Content("record", []string{"x"}) == c.Content("event", []string{"x"}) {
		t.Fatal("the kind is not part of the digest")
	}
}

func TestContentOfMatchesContent(t *testing.T) {
	c := NewChain([]byte("k"))
	var f Fields
	f.Str("rec_1")
	f.Int(1996)
	f.Str("")
	f.Int(-5)
	if c.ContentOf("record", &f) != c.Content("record", []string{"rec_1", "1996", "", "-5"}) {
		t.Fatal("ContentOf and Content disagree")
	}
	f.Reset()
	f.Str("x")
	if c.ContentOf("record", &f) != c.Content("record", []string{"x"}) {
		t.Fatal("Reset does not empty the fields")
	}
}

// TestRekey: a chain whose key changes after entry 2 verifies only when
// the verifier switches keys there; Fail keeps the first problem.
func TestRekey(t *testing.T) {
	old, es := chain(2)
	next := NewChain([]byte("fedcba9876543210fedcba9876543210"))
	prev := es[1].MAC
	for i := 3; i <= 4; i++ {
		e := peyvand.AuditEntry{Seq: int64(i), At: time.Unix(int64(1767000000+i), 0), Actor: "test", Action: "import", Prev: prev}
		e.MAC = next.Link(e)
		prev = e.MAC
		es = append(es, e)
	}
	run := func(rekey bool) string {
		v := old.NewVerifier()
		for _, e := range es {
			if rekey && e.Seq == 3 && v.Next() == 3 {
				v.Rekey(next)
			}
			v.Entry(e)
		}
		v.Head(4, prev, next.Head(4, prev))
		return v.Problem()
	}
	if p := run(true); p != "" {
		t.Fatalf("rekeyed at the rotation: %s", p)
	}
	if p := run(false); !strings.Contains(p, "entry 3") {
		t.Fatalf("without rekeying: %q", p)
	}
	v := old.NewVerifier()
	v.Fail("first")
	v.Fail("second")
	if v.Problem() != "first" {
		t.Fatalf("Problem = %q", v.Problem())
	}
}
