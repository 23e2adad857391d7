package sms

import (
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"testing"

	"peyvand"
)

// testKey is the key of the test vectors: a fixed seed, never a real key.
func testKey() SenderKey {
	return SenderKey{Sender: "T3ST01", Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))}
}

// otherKey signs as the same sender with a key the registry does not know.
func otherKey() SenderKey {
	return SenderKey{Sender: "T3ST01", Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))}
}

func testKeys() Keys {
	k := testKey()
	return Keys{k.Sender: k.Key.Public().(ed25519.PublicKey)}
}

func latinReport() Report {
	return Report{Sender: "T3ST01", Seq: 37, GivenName: "Mohammad", FamilyName: "Hosseini", FatherName: "Ali",
		Status: peyvand.StatusDetained, Date: peyvand.Date{Year: 2026, Month: 1, Day: 9}, Place: "Tehran"}
}

func persianReport() Report {
	return Report{Sender: "T3ST01", Seq: 38, GivenName: "محمدرضا", FamilyName: "حسینی", FatherName: "علی",
		Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 1, Day: 9}, Place: "زاهدان",
		Age: 19, Gender: peyvand.GenderMale}
}

func mustEncode(t testing.TB, r Report, k SenderKey) string {
	t.Helper()
	s, err := Encode(r, k.Key)
	if err != nil {
		t.Fatalf("encode %+v: %v", r, err)
	}
	return s
}

// givenNamesCSV is PNGT-26K (see its README), read by tests only.
const givenNamesCSV = "/work/shared/data/names/persian-given-names.csv"

type givenName struct{ fa, gender, latin string }

func readGivenNames(t testing.TB) []givenName {
	f, err := os.Open(givenNamesCSV)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", givenNamesCSV)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", givenNamesCSV, err)
	}
	var out []givenName
	for _, r := range recs[1:] {
		if len(r) >= 3 {
			out = append(out, givenName{r[0], r[1], r[2]})
		}
	}
	return out
}
