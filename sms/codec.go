package sms

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"peyvand"
)

// Version is the format version this package writes and reads; it is the
// value of a text's first symbol.
const Version = 1

// sigSymbols is the length of an Ed25519 signature (512 bits) in symbols,
// the last three bits zero.
const sigSymbols = 103

// signContext separates these signatures from any other use of the key.
const signContext = "peyvand-sms-v1\n"

// The errors of a well-formed text that cannot be trusted. Both are
// EUNAUTHORIZED.
var (
	ErrUnknownSender = &peyvand.Error{Code: peyvand.EUNAUTHORIZED,
		Message: "unknown sender: the senders file has no key for this sender id (add the line of the sender's .pub file to it)"}
	ErrBadSignature = &peyvand.Error{Code: peyvand.EUNAUTHORIZED,
		Message: "the signature does not match: the text was altered, or not written with this sender's key"}
)

// Encode writes r as a text signed with key, without separators (see
// Group). The names and place are normalised (persian.Normalize) first;
// Decode returns them in that form.
func Encode(r Report, key ed25519.PrivateKey) (string, error) {
	if len(key) != ed25519.PrivateKeySize {
		return "", peyvand.Errorf(peyvand.EINVALID, "the sender key is not an Ed25519 private key")
	}
	r, err := r.normalized()
	if err != nil {
		return "", err
	}
	head := encodeHead(r)
	sig := ed25519.Sign(key, signedMessage(head))
	syms := append(head, sigToSymbols(sig)...)
	if len(syms)+checkSymbols > MaxSymbols {
		return "", peyvand.Errorf(peyvand.EINVALID, "the report is too long for a text (%d characters, at most %d): shorten the names or the place", len(syms)+checkSymbols, MaxSymbols)
	}
	return symbolString(appendCheck(syms)), nil
}

// encodeHead returns the version symbol and the fields of a normalised
// report, in the bit layout of docs/SMS.md.
func encodeHead(r Report) []byte {
	w := &bitWriter{}
	w.write(Version, 5)
	w.write(uint32(len(r.Sender)-1), 4)
	for i := 0; i < len(r.Sender); i++ {
		v, _ := symbolValue(rune(r.Sender[i]))
		w.write(uint32(v), 5)
	}
	w.writeUvar(r.Seq)
	w.write(uint32(statusCode(r.Status)), 4)
	present := []bool{r.GivenName != "", r.FamilyName != "", r.FatherName != "", r.Place != "",
		!r.Date.IsZero(), r.BirthYear != 0, r.Age != 0, r.Gender != peyvand.GenderUnknown}
	for _, p := range present {
		w.write(b2u(p), 1)
	}
	for _, s := range []string{r.GivenName, r.FamilyName, r.FatherName, r.Place} {
		if s != "" {
			writeText(w, s)
		}
	}
	if !r.Date.IsZero() {
		w.write(uint32(r.Date.Year-minDateYear), 9)
		w.write(uint32(r.Date.Month), 4)
		w.write(uint32(r.Date.Day), 5)
	}
	if r.BirthYear != 0 {
		w.write(uint32(r.BirthYear-minBirthYear), 9)
	}
	if r.Age != 0 {
		w.write(uint32(r.Age), 8)
	}
	if r.Gender != peyvand.GenderUnknown {
		for i, g := range genderCodes {
			if g == r.Gender {
				w.write(uint32(i), 2)
			}
		}
	}
	return w.symbols()
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// signedMessage is what the sender signs: a context string and the head
// (version and fields) as text.
func signedMessage(head []byte) []byte {
	return append([]byte(signContext), symbolString(head)...)
}

func sigToSymbols(sig []byte) []byte {
	w := &bitWriter{}
	for _, b := range sig {
		w.write(uint32(b), 8)
	}
	return w.symbols()
}

// Decode reads a text, checks it, and verifies its signature with the key
// that lookup returns for its sender. The errors say what is wrong: a
// *CheckError (a typo, with where), an EINVALID error (not a report, or a
// report this version cannot read), ErrUnknownSender or ErrBadSignature.
func Decode(text string, lookup func(sender string) (ed25519.PublicKey, bool)) (Report, error) {
	r, head, sig, err := parse(text)
	if err != nil {
		return Report{}, err
	}
	pub, ok := lookup(r.Sender)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return Report{}, &senderError{r.Sender, ErrUnknownSender}
	}
	if !ed25519.Verify(pub, signedMessage(head), sig) {
		return Report{}, &senderError{r.Sender, ErrBadSignature}
	}
	return r, nil
}

// senderError names the sender a text claims to come from.
type senderError struct {
	sender string
	err    *peyvand.Error
}

func (e *senderError) Error() string { return "sender " + e.sender + ": " + e.err.Message }
func (e *senderError) Unwrap() error { return e.err }

// DecodeUnverified reads and checks a text without verifying who wrote it:
// for showing a text to someone who has no keys. Nothing it returns may be
// stored or trusted: anyone can write a text in any sender's name.
func DecodeUnverified(text string) (Report, error) {
	r, _, _, err := parse(text)
	return r, err
}

// parse reads a text into its report, the head that was signed and the
// signature, checking everything but the signature.
func parse(text string) (r Report, head, sig []byte, err error) {
	syms, cols, err := readSymbols(text)
	if err != nil {
		return r, nil, nil, err
	}
	if len(syms) == 0 {
		return r, nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text is empty")
	}
	if !checkOK(syms) {
		return r, nil, nil, checkError(text, syms, cols)
	}
	if syms[0] != Version {
		return r, nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text is in format version %d; this program reads version %d", syms[0], Version)
	}
	n := len(syms) - checkSymbols - sigSymbols
	if n < 2 {
		return r, nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text is too short to be a report")
	}
	head = syms[:n]
	if sig, err = symbolsToSig(syms[n : n+sigSymbols]); err != nil {
		return r, nil, nil, err
	}
	if r, err = decodeHead(head); err != nil {
		return r, nil, nil, peyvand.Errorf(peyvand.EINVALID, "the text is not a valid report: %v", err)
	}
	r.ID = reportID(sig)
	return r, head, sig, nil
}

func symbolsToSig(syms []byte) ([]byte, error) {
	rd := &bitReader{syms: syms}
	sig := make([]byte, ed25519.SignatureSize)
	for i := range sig {
		b, _ := rd.read(8) // 103 symbols hold 515 bits
		sig[i] = byte(b)
	}
	if pad, _ := rd.read(3); pad != 0 {
		return nil, peyvand.Errorf(peyvand.EINVALID, "the text is not a valid report: the signature's padding is not zero")
	}
	return sig, nil
}

// decodeHead reads the fields after the version symbol. A report must be
// in the one form Encode writes (re-encoding it gives the same symbols),
// so each report has exactly one text per key: no padding, spellings or
// escapes to vary.
func decodeHead(head []byte) (Report, error) {
	var r Report
	rd := &bitReader{syms: head, pos: 5}
	n, err := rd.read(4)
	if err != nil {
		return r, err
	}
	sender := make([]byte, n+1)
	for i := range sender {
		v, err := rd.read(5)
		if err != nil {
			return r, err
		}
		sender[i] = alphabet[v]
	}
	r.Sender = string(sender)
	if r.Seq, err = rd.readUvar(); err != nil {
		return r, err
	}
	st, err := rd.read(4)
	if err != nil {
		return r, err
	}
	if int(st) >= len(statusCodes) {
		return r, fmt.Errorf("status code %d is not assigned", st)
	}
	r.Status = statusCodes[st]
	present, err := rd.read(8)
	if err != nil {
		return r, err
	}
	has := func(i uint) bool { return present>>(7-i)&1 == 1 }
	for i, f := range []*string{&r.GivenName, &r.FamilyName, &r.FatherName, &r.Place} {
		if has(uint(i)) {
			if *f, err = readText(rd); err != nil {
				return r, err
			}
		}
	}
	if err := readNumbers(rd, has, &r); err != nil {
		return r, err
	}
	if rd.rest() >= 5 {
		return r, errors.New("unexpected symbols after the last field")
	}
	canon, err := r.normalized()
	if err != nil {
		return r, err
	}
	if !bytes.Equal(encodeHead(canon), head) {
		return r, errors.New("the fields are not written in the canonical form")
	}
	return r, nil
}

// readNumbers reads the date, birth year, age and gender that are present.
func readNumbers(rd *bitReader, has func(uint) bool, r *Report) error {
	var v [3]uint32
	var err error
	if has(4) {
		for i, bits := range []uint{9, 4, 5} {
			if v[i], err = rd.read(bits); err != nil {
				return err
			}
		}
		r.Date = peyvand.Date{Year: int(v[0]) + minDateYear, Month: int(v[1]), Day: int(v[2])}
	}
	if has(5) {
		if v[0], err = rd.read(9); err != nil {
			return err
		}
		r.BirthYear = int(v[0]) + minBirthYear
	}
	if has(6) {
		if v[0], err = rd.read(8); err != nil {
			return err
		}
		r.Age = int(v[0])
	}
	if has(7) {
		if v[0], err = rd.read(2); err != nil {
			return err
		}
		r.Gender = genderCodes[v[0]]
	}
	return nil
}
