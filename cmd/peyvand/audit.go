package main

import (
	"context"
	"fmt"

	"peyvand"
)

const auditUsage = `Usage: peyvand audit verify [flags]

Checks the audit chain entry by entry (each is keyed with the registry's
key and chained to the one before), its sealed head, and every stored row
against the last entry that recorded it. Exits 0 when all is well, and 7
naming the first bad entry when any row was edited, inserted or deleted
behind the application's back.

Example:
  peyvand audit verify --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
`

func (m *Main) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(m.Stderr, auditUsage)
		return usageErrorf("audit: the subcommand is verify")
	}
	fs := m.flags("audit verify", auditUsage)
	sf := m.addStoreFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if rep.OK() {
		fmt.Fprintf(m.Stdout, "audit chain OK: %d entries, %d rows match it\n", rep.Entries, rep.Rows)
		return nil
	}
	fmt.Fprintf(m.Stdout, "audit chain BROKEN: %d entries verified before the first problem, %d rows checked\n", rep.Entries, rep.Rows)
	for _, p := range rep.Problems {
		fmt.Fprintln(m.Stdout, "  "+p)
	}
	return peyvand.Errorf(peyvand.EINTEGRITY, "audit verification failed: %s", rep.Problems[0])
}
