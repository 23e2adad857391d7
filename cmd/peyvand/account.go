package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"peyvand"
	"peyvand/auth"
)

const accountUsage = `Usage: peyvand account add --username NAME --role ROLE [--org ORGANISATION] [flags]

Creates a staff account for the web application. Roles: verifier,
caseworker, analyst, admin. The password is read from the first line of
standard input (or PEYVAND_PASSWORD), never from the command line, where
other users of the machine could see it. The command prints the second
factor's secret and its otpauth:// address for an authenticator app: enrol
it at once; it is not shown again.

Example:
  echo "$PASSWORD" | peyvand account add --username maryam --role verifier --org hrana
`

func (m *Main) accountCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(m.Stderr, accountUsage)
		return usageErrorf("account: the only subcommand is add")
	}
	fs := m.flags("account add", accountUsage)
	sf := m.addStoreFlags(fs)
	username := fs.String("username", "", "the account's username")
	role := fs.String("role", "", "verifier, caseworker, analyst or admin")
	org := fs.String("org", "", "the organisation the account belongs to (it may read that organisation's sealed fields)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password := m.Getenv("PEYVAND_PASSWORD")
	if password == "" {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageErrorf("account add: give the password on standard input or in PEYVAND_PASSWORD")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return peyvand.Errorf(peyvand.EINVALID, "%v", err)
	}
	s, err := m.open(ctx, sf, true)
	if err != nil {
		return err
	}
	defer s.Close()
	secret := auth.NewTOTPSecret()
	a, err := s.CreateAccount(ctx, m.actor(""), peyvand.Account{Username: *username, Role: peyvand.Role(*role),
		Organisation: *org, PasswordHash: hash, TOTPSecret: secret})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "created account %s (%s)\nsecond factor secret: %s\n%s\n", a.Username, a.Role, secret,
		auth.TOTPURI("Peyvand", a.Username, secret))
	return nil
}

// demoAccounts creates one account per role on a demo database and prints
// their sign-in details: the data are fictitious and the database is
// thrown away on exit, so printing them is safe and lets anyone try the
// staff side.
func (m *Main) demoAccounts(ctx context.Context, s peyvand.Store) error {
	password := auth.NewToken()[:16]
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	secret := auth.NewTOTPSecret()
	fmt.Fprintf(m.Stderr, "demo staff accounts (password %s, second factor secret %s):\n", password, secret)
	for _, r := range peyvand.Roles {
		name := "demo-" + string(r)
		if _, err := s.CreateAccount(ctx, "demo", peyvand.Account{Username: name, Role: r, Organisation: "demo",
			PasswordHash: hash, TOTPSecret: secret}); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "  %s\n", name)
	}
	fmt.Fprintf(m.Stderr, "  enrol %s in an authenticator app for the six-digit codes\n", auth.TOTPURI("Peyvand demo", "staff", secret))
	return nil
}
