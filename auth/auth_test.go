package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if err := CheckPassword(h, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple"} {
		if err := CheckPassword(h, wrong); err != ErrMismatch {
			t.Errorf("CheckPassword(%q) = %v, want ErrMismatch", wrong, err)
		}
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("a short password was accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "$argon2id$v=19$x$AA$AA"} {
		if err := CheckPassword(bad, "whatever"); err == nil || err == ErrMismatch {
			t.Errorf("CheckPassword(%q) = %v, want a malformed-hash error", bad, err)
		}
	}
}

// RFC 6238 appendix B's SHA-1 vectors (the secret is "12345678901234567890"),
// truncated to six digits.
func TestTOTPVectors(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	for _, tt := range []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	} {
		got, err := TOTP(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTP at %d = %s, %v; want %s", tt.unix, got, err, tt.want)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_800_000_000, 0)
	code, _ := TOTP(secret, now)
	for _, tt := range []struct {
		at time.Time
		ok bool
	}{
		{now, true}, {now.Add(-30 * time.Second), true}, {now.Add(30 * time.Second), true},
		{now.Add(-90 * time.Second), false}, {now.Add(90 * time.Second), false},
	} {
		_, err := CheckTOTP(secret, code, tt.at)
		if (err == nil) != tt.ok {
			t.Errorf("CheckTOTP at %v = %v, want ok %v", tt.at.Sub(now), err, tt.ok)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, err := CheckTOTP(secret, bad, now); err == nil {
			t.Errorf("CheckTOTP(%q) accepted", bad)
		}
	}
	if u := TOTPURI("Peyvand", "maryam", secret); !strings.HasPrefix(u, "otpauth://totp/Peyvand:maryam?") || !strings.Contains(u, "secret="+secret) {
		t.Errorf("uri %s", u)
	}
}

func TestToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
}
