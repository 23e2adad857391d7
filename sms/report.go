package sms

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"unicode/utf8"

	"peyvand"
	"peyvand/persian"
)

// Report is what one text says about one person.
type Report struct {
	// Sender is the sender's id: 1–16 characters of the text alphabet
	// (Crockford base32), chosen at random when the key is made so that it
	// names no one. Encode upper-cases it.
	Sender string
	// Seq is the sender's number for the report, so the sender can refer
	// to it; two reports differing only in Seq are two reports.
	Seq uint32

	// Names and the place as written, in Persian or Latin script. At
	// least one of GivenName and FamilyName is needed.
	GivenName, FamilyName, FatherName string
	Status                            peyvand.Status
	Date                              peyvand.Date // of the event; may be partial or zero
	Place                             string       // city or town where it happened
	BirthYear                         int          // Gregorian; 0 when unknown
	Age                               int          // in years on Date; 0 when unknown
	Gender                            peyvand.Gender

	// ID is set by Decode: a digest of the text's signature, the same for
	// every copy of the text, that reveals neither the sender nor the
	// content. ToRow keys the record and the event by it.
	ID string
}

// The ranges the format can hold; see docs/SMS.md.
const (
	minDateYear, maxDateYear   = 1900, 1900 + 511
	minBirthYear, maxBirthYear = 1850, 2200
	maxAge                     = 130
	maxSenderLen               = 16
)

// statusCodes numbers the statuses for the 4-bit status field; the order
// is part of the format and must never change.
var statusCodes = []peyvand.Status{
	peyvand.StatusUnknown, peyvand.StatusMissing, peyvand.StatusDetained, peyvand.StatusInjured,
	peyvand.StatusKilled, peyvand.StatusExecuted, peyvand.StatusSentenced, peyvand.StatusReleased,
	peyvand.StatusSafe,
}

// genderCodes numbers the genders for the 2-bit gender field.
var genderCodes = []peyvand.Gender{peyvand.GenderUnknown, peyvand.GenderMale, peyvand.GenderFemale, peyvand.GenderOther}

// normalized returns r with its names and place normalised as the
// registry stores them, the sender in upper case and an empty status read
// as unknown, or the first field it cannot carry.
func (r Report) normalized() (Report, error) {
	sender, err := canonicalSender(r.Sender)
	if err != nil {
		return r, err
	}
	r.Sender = sender
	for _, f := range []struct {
		name string
		v    *string
	}{{"given name", &r.GivenName}, {"family name", &r.FamilyName}, {"father's name", &r.FatherName}, {"place", &r.Place}} {
		*f.v = persian.Normalize(*f.v)
		if n := utf8.RuneCountInString(*f.v); n > maxFieldRunes {
			return r, peyvand.Errorf(peyvand.EINVALID, "%s: %d characters, at most %d fit in a text", f.name, n, maxFieldRunes)
		}
	}
	if r.Status == "" {
		r.Status = peyvand.StatusUnknown
	}
	switch {
	case r.GivenName == "" && r.FamilyName == "":
		return r, peyvand.Errorf(peyvand.EINVALID, "the report names no one: give a given name or a family name")
	case statusCode(r.Status) < 0:
		return r, peyvand.Errorf(peyvand.EINVALID, "status: %q is not a known status", r.Status)
	case !r.Date.Valid():
		return r, peyvand.Errorf(peyvand.EINVALID, "date: %v is not a date", r.Date)
	case !r.Date.IsZero() && (r.Date.Year < minDateYear || r.Date.Year > maxDateYear):
		return r, peyvand.Errorf(peyvand.EINVALID, "date: the year must be between %d and %d", minDateYear, maxDateYear)
	case r.BirthYear != 0 && (r.BirthYear < minBirthYear || r.BirthYear > maxBirthYear):
		return r, peyvand.Errorf(peyvand.EINVALID, "birth year: %d is not between %d and %d", r.BirthYear, minBirthYear, maxBirthYear)
	case r.Age < 0 || r.Age > maxAge:
		return r, peyvand.Errorf(peyvand.EINVALID, "age: %d is not between 0 and %d", r.Age, maxAge)
	case !r.Gender.Valid():
		return r, peyvand.Errorf(peyvand.EINVALID, "gender: %q is not male, female or other", r.Gender)
	}
	return r, nil
}

// canonicalSender returns a sender id in upper case, or an error. Unlike
// a text, an id is not read leniently: an id with I, L, O or U would be
// shown back changed, and a person would not recognise it.
func canonicalSender(s string) (string, error) {
	if s == "" || len(s) > maxSenderLen {
		return "", peyvand.Errorf(peyvand.EINVALID, "sender id: must be 1 to %d letters and digits", maxSenderLen)
	}
	b := []byte(strings.ToUpper(s))
	for _, c := range b {
		if strings.IndexByte(alphabet, c) < 0 {
			return "", peyvand.Errorf(peyvand.EINVALID, "sender id %q: use only digits and the letters A-Z without I, L, O and U", s)
		}
	}
	return string(b), nil
}

func statusCode(s peyvand.Status) int {
	for i, x := range statusCodes {
		if x == s {
			return i
		}
	}
	return -1
}

// idEncoding writes report ids in the same alphabet as peyvand's own ids.
var idEncoding = base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding)

// reportID derives a report's id from its signature. The signature is
// deterministic (Ed25519), so every copy of a text has the same id; and
// without the sender's private key nobody can compute it from a guess at
// the sender and content, so a stolen database does not link reports to
// their senders.
func reportID(sig []byte) string {
	h := sha256.Sum256(append([]byte("peyvand-sms-id\x00"), sig...))
	return "sms:" + idEncoding.EncodeToString(h[:15])
}

// ToRow returns the record and status event a report makes: the record
// and the event are both keyed by r.ID, so importing the same text again,
// from any copy, stores nothing new. The place is the event's place and,
// since witnesses mostly report people of their own town, the record's
// city for linkage. The sender and report number are kept sealed as the
// reporter, never in clear.
func ToRow(r Report) peyvand.ImportRow {
	reporter := "sms sender " + r.Sender + " report " + strconv.FormatUint(uint64(r.Seq), 10)
	rec := peyvand.Record{
		ExternalID: r.ID,
		GivenName:  r.GivenName, FamilyName: r.FamilyName, FatherName: r.FatherName,
		Gender: r.Gender, BirthYear: r.BirthYear, Age: r.Age,
		City:     r.Place,
		Reporter: reporter,
	}
	if r.Age > 0 {
		rec.AgeDate = r.Date
	}
	status := r.Status
	if status == "" {
		status = peyvand.StatusUnknown
	}
	e := peyvand.StatusEvent{
		ExternalID: r.ID, Status: status, Date: r.Date, Place: r.Place,
		Verification: peyvand.Reported, Evidence: "sms report", Reporter: reporter,
	}
	return peyvand.ImportRow{Record: rec, Events: []peyvand.StatusEvent{e}}
}
