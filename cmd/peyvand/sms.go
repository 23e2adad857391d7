package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/ingest"
	"peyvand/persian"
	"peyvand/sms"
)

const smsUsage = `Usage: peyvand sms <command> [flags]

Reports about one person as a short signed text of letters and digits,
for SMS, dictation over a phone or copying by hand (format: docs/SMS.md).

Commands:
  keygen   make a sender's key (secret) and its line for the senders file
  encode   write a report as a text, signed with the sender's key
  decode   read a text: check it, verify the sender, print the fields
  import   import a file of texts into the registry, each report once

Example:
  peyvand sms keygen --out leyla.key          # gives leyla.key and leyla.key.pub
  cat leyla.key.pub >> senders.txt             # on the registry's side
  peyvand sms encode --key leyla.key --given محمد --family حسینی --status killed --date 1404/10/19 --place زاهدان
  peyvand sms decode --keys senders.txt 1BM7K-M034C-...
  peyvand sms import --source sms-witnesses --keys senders.txt texts.txt

Run "peyvand sms <command> -h" for its flags.
`

func (m *Main) smsCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, smsUsage)
		return usageErrorf("sms: give a command: keygen, encode, decode or import")
	}
	switch args[0] {
	case "keygen":
		return m.smsKeygen(args[1:])
	case "encode":
		return m.smsEncode(args[1:])
	case "decode":
		return m.smsDecode(args[1:])
	case "import":
		return m.smsImport(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(m.Stdout, smsUsage)
		return nil
	}
	fmt.Fprint(m.Stderr, smsUsage)
	return usageErrorf("sms: unknown command %q", args[0])
}

const smsKeygenUsage = `Usage: peyvand sms keygen [--sender ID] --out FILE

Makes a sender's Ed25519 key. FILE (mode 0600) is secret: whoever holds
it can send reports in the sender's name; keep it on the sender's device
only. FILE.pub holds the line to add to the registry's senders file; it
is not secret, but it tells who is a sender, so pass it on with care.
The sender id is chosen at random unless --sender: an id names no one,
so do not use a name, a phone number or a place.

Example:
  peyvand sms keygen --out leyla.key
`

func (m *Main) smsKeygen(args []string) error {
	fs := m.flags("sms keygen", smsKeygenUsage)
	sender := fs.String("sender", "", "sender id: 1-16 letters and digits (default: 6 at random)")
	out := fs.String("out", "", "file for the secret key; FILE.pub gets the public line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageErrorf("sms keygen: give --out FILE and nothing else")
	}
	k, err := sms.GenerateKey(*sender)
	if err != nil {
		return err
	}
	var secret bytes.Buffer
	k.WriteTo(&secret)
	if err := writeNewFile(*out, secret.Bytes(), 0o600); err != nil {
		return err
	}
	if err := writeNewFile(*out+".pub", []byte(k.PublicLine()+"\n"), 0o644); err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(m.Stdout, "sender %s: secret key in %s (keep it on the sender's device only); line for the registry's senders file in %s.pub\n",
		k.Sender, *out, *out)
	return nil
}

// writeNewFile refuses to overwrite: a key file replaced by mistake is a
// sender who can no longer be verified.
func writeNewFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return peyvand.Errorf(peyvand.ECONFLICT, "%s exists; not overwriting a key file", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

const smsEncodeUsage = `Usage: peyvand sms encode --key FILE [flags]

Writes a report about one person as a text signed with the sender's key,
in groups of five characters (--group 0 for none: shortest, for SMS).
Names and the place may be in Persian or Latin script; they come back
exactly as written. Status, date, gender and birth year are read as in
imports: in English or Persian, Jalali or Gregorian dates.

Example:
  peyvand sms encode --key leyla.key --seq 12 --given "Mohammad" --family Hosseini \
      --father Ali --status detained --date 2026-01-09 --place Tehran
  peyvand sms encode --key leyla.key --given محمدرضا --family حسینی --status کشته --date ۱۴۰۴/۱۰/۱۹ --place زاهدان --age 19
`

func (m *Main) smsEncode(args []string) error {
	fs := m.flags("sms encode", smsEncodeUsage)
	keyFile := fs.String("key", m.Getenv("PEYVAND_SMS_KEY"), "the sender's secret key file (env PEYVAND_SMS_KEY)")
	sender := fs.String("sender", "", "sender id; must be the key file's (a check against using the wrong file)")
	seq := fs.Uint64("seq", 0, "the sender's number for the report")
	var r sms.Report
	fs.StringVar(&r.GivenName, "given", "", "given name")
	fs.StringVar(&r.FamilyName, "family", "", "family name")
	fs.StringVar(&r.FatherName, "father", "", "father's name")
	fs.StringVar(&r.Place, "place", "", "city or town where it happened")
	status := fs.String("status", "", "killed, executed, injured, detained, sentenced, missing, released, safe (or in Persian)")
	date := fs.String("date", "", "date of the event: 2026-01-09, 1404/10/19, 1404/10 …")
	age := fs.String("age", "", "age in years")
	birth := fs.String("birth-year", "", "birth year, Jalali or Gregorian")
	gender := fs.String("gender", "", "male, female, other (or in Persian)")
	group := fs.Int("group", 5, "characters per group, joined by dashes; 0 for none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("sms encode: unexpected argument %q (values go in flags)", fs.Arg(0))
	}
	if *keyFile == "" {
		return usageErrorf("sms encode: give the sender's key file with --key (or PEYVAND_SMS_KEY)")
	}
	if *seq > 1<<32-1 {
		return usageErrorf("sms encode: --seq is larger than 4294967295")
	}
	k, err := readSenderKey(*keyFile)
	if err != nil {
		return err
	}
	if *sender != "" && !strings.EqualFold(*sender, k.Sender) {
		return usageErrorf("sms encode: %s is the key of sender %s, not %s", *keyFile, k.Sender, *sender)
	}
	r.Sender, r.Seq = k.Sender, uint32(*seq)
	if err := parseReportFlags(&r, *status, *date, *age, *birth, *gender); err != nil {
		return err
	}
	text, err := sms.Encode(r, k.Key)
	if err != nil {
		return fmt.Errorf("sms encode: %w", err)
	}
	fmt.Fprintln(m.Stdout, sms.Group(text, *group))
	fmt.Fprintf(m.Stderr, "%d characters, %d without dashes (one SMS holds 160)\n", len(sms.Group(text, *group)), len(text))
	return nil
}

// parseReportFlags reads the values people type, as an import reads them.
func parseReportFlags(r *sms.Report, status, date, age, birth, gender string) error {
	var ok bool
	if status != "" {
		if r.Status, ok = ingest.ParseStatus(status); !ok {
			return peyvand.Errorf(peyvand.EINVALID, "--status %q is not a status (killed, executed, injured, detained, sentenced, missing, released, safe, unknown)", status)
		}
	}
	if date != "" {
		d, err := persian.ParseDate(date)
		if err != nil {
			return peyvand.Errorf(peyvand.EINVALID, "--date: %v", err)
		}
		r.Date = peyvand.Date{Year: d.Year, Month: d.Month, Day: d.Day}
	}
	if age != "" {
		a, err := strconv.Atoi(persian.Digits(strings.TrimSpace(age)))
		if err != nil {
			return peyvand.Errorf(peyvand.EINVALID, "--age %q is not a number of years", age)
		}
		r.Age = a
	}
	if birth != "" {
		y, err := ingest.ParseBirthYear(birth)
		if err != nil {
			return peyvand.Errorf(peyvand.EINVALID, "--birth-year: %v", err)
		}
		r.BirthYear = y
	}
	if r.Gender, ok = ingest.ParseGender(gender); !ok {
		return peyvand.Errorf(peyvand.EINVALID, "--gender %q is not male, female or other", gender)
	}
	return nil
}

func readSenderKey(path string) (sms.SenderKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return sms.SenderKey{}, peyvand.Errorf(peyvand.ENOTFOUND, "sender key: %v", err)
	}
	defer f.Close()
	k, err := sms.ReadSenderKey(f)
	if err != nil {
		return k, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

func readSenders(path string) (sms.Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, peyvand.Errorf(peyvand.ENOTFOUND, "senders file: %v", err)
	}
	defer f.Close()
	keys, err := sms.ParseKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

const smsDecodeUsage = `Usage: peyvand sms decode [--keys FILE] TEXT...

Reads a text (the arguments are joined, so groups may be separate
arguments; - reads it from standard input), checks its check code and,
with --keys, the sender's signature, and prints the report. A typo is
reported with its position. Without --keys the fields are printed marked
NOT VERIFIED: anyone can write a text in any sender's name.

Example:
  peyvand sms decode --keys senders.txt 1BM7K-M034A-BW2RW-...
`

func (m *Main) smsDecode(args []string) error {
	fs := m.flags("sms decode", smsDecodeUsage)
	keysFile := fs.String("keys", m.Getenv("PEYVAND_SMS_SENDERS"), "the registry's senders file (env PEYVAND_SMS_SENDERS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErrorf("sms decode: no text given")
	}
	text := strings.Join(fs.Args(), " ")
	if text == "-" {
		b, err := io.ReadAll(io.LimitReader(m.Stdin, 1<<16))
		if err != nil {
			return fmt.Errorf("sms decode: read standard input: %w", err)
		}
		text = string(b)
	}
	var r sms.Report
	var err error
	verified := *keysFile != ""
	if verified {
		keys, kerr := readSenders(*keysFile)
		if kerr != nil {
			return kerr
		}
		r, err = sms.Decode(text, keys.Lookup)
	} else {
		r, err = sms.DecodeUnverified(text)
	}
	if err != nil {
		return fmt.Errorf("sms decode: %w", err)
	}
	m.printReport(r, verified)
	return nil
}

func (m *Main) printReport(r sms.Report, verified bool) {
	check := "signature verified"
	if !verified {
		check = "NOT VERIFIED: no senders file given (--keys); anyone can write a text in any sender's name"
	}
	line := func(k, v string) {
		if v != "" && v != "0" {
			fmt.Fprintf(m.Stdout, "%-14s %s\n", k+":", v)
		}
	}
	line("sender", r.Sender+" ("+check+")")
	fmt.Fprintf(m.Stdout, "%-14s %d\n", "report:", r.Seq)
	line("given name", r.GivenName)
	line("family name", r.FamilyName)
	line("father's name", r.FatherName)
	line("status", string(r.Status))
	if !r.Date.IsZero() {
		date := r.Date.String()
		if j := persian.FormatJalali(persian.Date{Year: r.Date.Year, Month: r.Date.Month, Day: r.Date.Day}); j != "" {
			date += " (" + j + ")"
		}
		line("date", date)
	}
	line("place", r.Place)
	line("birth year", strconv.Itoa(r.BirthYear))
	line("age", strconv.Itoa(r.Age))
	line("gender", string(r.Gender))
	line("id", r.ID)
}

const smsImportUsage = `Usage: peyvand sms import --source NAME --keys FILE [flags] FILE

Imports a file of texts, as a phone exports them or as typed: one text
per line, or broken over several lines, separated by blank lines or not;
lines starting with # are comments. Every text is checked and its
sender's signature verified against the senders file first; one bad text
stops the import and nothing is stored, unless --skip-invalid. The
reports land in one transaction. The same text imported again, from any
copy, adds nothing.

Example:
  peyvand sms import --source sms-witnesses --keys senders.txt texts-2026-01-10.txt
`

func (m *Main) smsImport(ctx context.Context, args []string) error {
	fs := m.flags("sms import", smsImportUsage)
	sf := m.addStoreFlags(fs)
	keysFile := fs.String("keys", m.Getenv("PEYVAND_SMS_SENDERS"), "the registry's senders file (env PEYVAND_SMS_SENDERS)")
	source := fs.String("source", "", "source the reports go to (required)")
	kind := fs.String("kind", "witness", "kind of a new source: witness, list, news, inquiry")
	org := fs.String("org", "", "organisation that owns a new source")
	indep := fs.Bool("independent", false, "a new source is independent of the others (for estimation)")
	skip := fs.Bool("skip-invalid", false, "import the good texts; report the bad ones on standard error")
	actor := fs.String("actor", "", "who imports, for the audit log (default cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		fs.Usage()
		return usageErrorf("sms import: give one file")
	case *source == "":
		return usageErrorf("sms import: give --source NAME")
	case *keysFile == "":
		return usageErrorf("sms import: give the senders file with --keys")
	case !peyvand.SourceKind(*kind).Valid():
		return usageErrorf("sms import: --kind %q is not witness, list, news or inquiry", *kind)
	}
	path := fs.Arg(0)
	keys, err := readSenders(*keysFile)
	if err != nil {
		return err
	}
	data, err := readBounded(path)
	if err != nil {
		return err
	}
	texts, err := sms.ReadTexts(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("sms import %s: nothing imported: %w", path, err)
	}
	s, err := m.open(ctx, sf, true)
	if err != nil {
		return err
	}
	defer s.Close()
	sum := sha256.Sum256(data)
	opt := sms.ImportOptions{Actor: m.actor(*actor), Source: *source, Kind: peyvand.SourceKind(*kind),
		Organisation: *org, Independent: *indep, File: filepath.Base(path), SHA256: hex.EncodeToString(sum[:]),
		SkipInvalid: *skip, Rejected: func(e *sms.TextError) { fmt.Fprintf(m.Stderr, "skipped: %v\n", e) }}
	start := time.Now()
	res, err := sms.Import(ctx, s, texts, keys.Lookup, opt)
	if err != nil {
		return fmt.Errorf("sms import %s: nothing imported: %w", path, err)
	}
	fmt.Fprintf(m.Stdout, "%s: %d texts: %d created, %d unchanged, %d new status events, %d rejected; into %s in %s\n",
		path, res.Texts, res.Created, res.Unchanged, res.Events, res.Rejected, *source, time.Since(start).Round(time.Millisecond))
	return nil
}

// maxTextsFile bounds a file of texts read into memory: its digest goes
// into the audit log, and no phone export of texts comes near it.
const maxTextsFile = 16 << 20

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, peyvand.Errorf(peyvand.ENOTFOUND, "%v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTextsFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxTextsFile {
		return nil, peyvand.Errorf(peyvand.EINVALID, "%s is larger than %d MiB: not a file of texts", path, maxTextsFile>>20)
	}
	return data, nil
}
