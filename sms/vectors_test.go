package sms

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"peyvand"
)

var update = flag.Bool("update", false, "rewrite the test vectors under testdata/")

// vectorFile holds the test vectors another implementation can run: texts,
// the reports they decode to or the error they must give, with the key
// files (testdata/sender.key, testdata/senders.txt) they were made with.
type vectorFile struct {
	Comment string   `json:"comment"`
	Vectors []vector `json:"vectors"`
}

type vector struct {
	Name    string        `json:"name"`
	Text    string        `json:"text"`
	Report  *vectorReport `json:"report,omitempty"`
	Error   string        `json:"error,omitempty"`    // "check", "format", "unknown sender", "bad signature"
	Kind    string        `json:"kind,omitempty"`     // of a check error
	Pos     int           `json:"position,omitempty"` // of a check error, from 1
	Message string        `json:"message,omitempty"`  // this implementation's message, for reference
}

type vectorReport struct {
	Sender     string `json:"sender"`
	Seq        uint32 `json:"seq"`
	GivenName  string `json:"given_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
	FatherName string `json:"father_name,omitempty"`
	Status     string `json:"status"`
	Date       string `json:"date,omitempty"`
	Place      string `json:"place,omitempty"`
	BirthYear  int    `json:"birth_year,omitempty"`
	Age        int    `json:"age,omitempty"`
	Gender     string `json:"gender,omitempty"`
	ID         string `json:"id"`
}

func toVector(r Report) *vectorReport {
	return &vectorReport{r.Sender, r.Seq, r.GivenName, r.FamilyName, r.FatherName, string(r.Status),
		r.Date.String(), r.Place, r.BirthYear, r.Age, string(r.Gender), r.ID}
}

func fromVector(t *testing.T, v *vectorReport) Report {
	d, err := peyvand.ParseISODate(v.Date)
	if err != nil {
		t.Fatal(err)
	}
	return Report{Sender: v.Sender, Seq: v.Seq, GivenName: v.GivenName, FamilyName: v.FamilyName, FatherName: v.FatherName,
		Status: peyvand.Status(v.Status), Date: d, Place: v.Place, BirthYear: v.BirthYear, Age: v.Age,
		Gender: peyvand.Gender(v.Gender), ID: v.ID}
}

// makeVectors builds the vectors from reports and from mutations of
// their texts.
func makeVectors(t *testing.T) vectorFile {
	k := testKey()
	full := persianReport()
	full.BirthYear, full.FatherName = 2006, "غلامحسین"
	unknown := latinReport()
	unknown.Sender = "ABCDEF"
	reports := []struct {
		name string
		r    Report
		key  SenderKey
	}{
		{"latin", latinReport(), k},
		{"persian", persianReport(), k},
		{"persian, all fields, rare letters", full, k},
		{"month only, upper case", Report{Sender: k.Sender, Seq: 1, GivenName: "SHIRIN", FamilyName: "Ghasemi", Status: peyvand.StatusMissing,
			Date: peyvand.Date{Year: 2026, Month: 1}, Place: "Karaj", Gender: peyvand.GenderFemale}, k},
		{"mixed case, accent, digits", Report{Sender: k.Sender, Seq: 4096, GivenName: "Sébastien", FamilyName: "McDonald-2",
			Status: peyvand.StatusReleased, Date: peyvand.Date{Year: 2025}}, k},
		{"family name only, compound with ZWNJ", Report{Sender: k.Sender, Seq: 0, FamilyName: "خامنه‌ای", Status: peyvand.StatusSafe}, k},
	}
	f := vectorFile{Comment: "Test vectors for the Peyvand SMS report format (docs/SMS.md). Keys: sender.key (secret key of sender T3ST01, test only) and senders.txt (the registry's senders file). A text decodes to report, or fails with error."}
	for _, tc := range reports {
		text := mustEncode(t, tc.r, tc.key)
		r, err := Decode(text, testKeys().Lookup)
		if err != nil {
			t.Fatal(err)
		}
		f.Vectors = append(f.Vectors, vector{Name: tc.name, Text: Group(text, 5), Report: toVector(r)})
	}
	first := mustEncode(t, latinReport(), k)
	flip := func(i int) string {
		c := byte('Z')
		if first[i] == c {
			c = 'Y'
		}
		return first[:i] + string(c) + first[i+1:]
	}
	for _, m := range []struct{ name, text string }{
		{"grouped in fours, lower case, O for 0", lowerO(Group(first, 4))},
		{"typo", flip(40)},
		{"swap", first[:20] + first[21:22] + first[20:21] + first[22:]},
		{"left out", first[:60] + first[61:]},
		{"not a code", "Salam! Report: 1B6F8"},
		{"version 2", symbolString(appendCheck(append([]byte{2}, make([]byte, 120)...)))},
		{"unknown sender", mustEncode(t, unknown, k)},
		{"bad signature", mustEncode(t, latinReport(), otherKey())},
	} {
		if m.name == "swap" && first[20] == first[21] {
			t.Fatal("pick another place to swap")
		}
		v := vector{Name: m.name, Text: m.text}
		r, err := Decode(m.text, testKeys().Lookup)
		var ce *CheckError
		switch {
		case err == nil:
			v.Report = toVector(r)
		case errors.As(err, &ce):
			v.Error, v.Kind, v.Pos = "check", ce.Kind, ce.Pos
		case errors.Is(err, ErrUnknownSender):
			v.Error = "unknown sender"
		case errors.Is(err, ErrBadSignature):
			v.Error = "bad signature"
		default:
			v.Error = "format"
		}
		if err != nil {
			v.Message = err.Error()
		}
		f.Vectors = append(f.Vectors, v)
	}
	return f
}

func lowerO(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == '0':
			b[i] = 'o'
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestVectors decodes every vector and expects its report or error, and
// encodes every report with the test key and expects its text: Ed25519
// signatures are deterministic, so the text is too.
func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	if *update {
		writeVectorFiles(t, path)
	}
	keyFile, err := os.ReadFile(filepath.Join("testdata", "sender.key"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := ReadSenderKey(bytes.NewReader(keyFile))
	if err != nil || !k.Key.Equal(testKey().Key) {
		t.Fatalf("sender.key: %v", err)
	}
	sendersFile, err := os.Open(filepath.Join("testdata", "senders.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer sendersFile.Close()
	keys, err := ParseKeys(sendersFile)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) < 10 {
		t.Fatalf("%d vectors", len(f.Vectors))
	}
	for _, v := range f.Vectors {
		r, err := Decode(v.Text, keys.Lookup)
		var ce *CheckError
		switch {
		case v.Report != nil:
			want := fromVector(t, v.Report)
			if err != nil || r != want {
				t.Errorf("%s: got %+v, %v\nwant %+v", v.Name, r, err, want)
				continue
			}
			syms, _, _ := readSymbols(v.Text)
			if text, err := Encode(want, k.Key); err != nil || text != symbolString(syms) {
				t.Errorf("%s: encode gives %q, %v\nwant %q", v.Name, text, err, symbolString(syms))
			}
		case v.Error == "check":
			if !errors.As(err, &ce) || ce.Kind != v.Kind || ce.Pos != v.Pos {
				t.Errorf("%s: got %v, want a check error %s at %d", v.Name, err, v.Kind, v.Pos)
			}
		case v.Error == "unknown sender":
			if !errors.Is(err, ErrUnknownSender) {
				t.Errorf("%s: got %v", v.Name, err)
			}
		case v.Error == "bad signature":
			if !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s: got %v", v.Name, err)
			}
		default:
			if v.Error != "format" || peyvand.ErrorCode(err) != peyvand.EINVALID || errors.As(err, &ce) {
				t.Errorf("%s: got %v, want a format error", v.Name, err)
			}
		}
	}
}

func writeVectorFiles(t *testing.T, path string) {
	f := makeVectors(t)
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var key bytes.Buffer
	testKey().WriteTo(&key)
	senders := "# The registry's senders file for the test vectors: SENDER ed25519 PUBLICKEY.\n" + testKey().PublicLine() + "\n"
	for name, b := range map[string][]byte{path: append(data, '\n'), filepath.Join("testdata", "sender.key"): key.Bytes(),
		filepath.Join("testdata", "senders.txt"): []byte(senders)} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
