package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/sqlstore"
)

const retentionUsage = `Usage: peyvand retention --contacts-after PERIOD [--dry-run] [flags]

Deletes the contact details the registry no longer needs (docs/DATA.md):
the contact of a closed inquiry, or of an inquiry whose news was delivered
(its case is "told"), and that case's delivery note, once nothing has
happened on the inquiry for PERIOD. The inquiry, the case and its state
stay; each batch deleted is recorded in the audit chain. It prints counts,
never the data, and running it again deletes nothing more, so it can run
daily from a timer. --dry-run only counts.

PERIOD is a number of days ("90d") or a duration ("2160h").

Example:
  peyvand retention --contacts-after 90d --dry-run --db /var/lib/peyvand/peyvand.db
  peyvand retention --contacts-after 90d --db /var/lib/peyvand/peyvand.db
`

func (m *Main) retentionCmd(ctx context.Context, args []string) error {
	fs := m.flags("retention", retentionUsage)
	sf := m.addStoreFlags(fs)
	after := fs.String("contacts-after", "", "delete contact details this long after the last activity on a closed inquiry or told case (e.g. 90d)")
	dry := fs.Bool("dry-run", false, "count what would be deleted, delete nothing")
	actorFlag := fs.String("actor", "", "who runs it, for the audit chain (default cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("retention: unexpected argument %q", fs.Arg(0))
	}
	if *after == "" {
		return usageErrorf("retention: --contacts-after is required (e.g. --contacts-after 90d)")
	}
	period, err := parsePeriod(*after)
	if err != nil {
		return usageErrorf("retention: --contacts-after: %v", err)
	}
	st, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, ok := st.(*sqlstore.Store)
	if !ok {
		return peyvand.Errorf(peyvand.EINVALID, "retention: this store does not support it")
	}
	rep, err := s.ApplyRetention(ctx, m.actor(*actorFlag), sqlstore.RetentionPolicy{ContactsAfter: period, DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dry {
		verb = "would be deleted (dry run)"
	}
	fmt.Fprintf(m.Stdout, "retention (contacts after %s): %d inquiry contacts and %d case delivery notes %s; %d closed or told inquiries not yet due",
		*after, rep.InquiryContacts, rep.CaseDeliveries, verb, rep.NotYetDue)
	if rep.Changed > 0 {
		fmt.Fprintf(m.Stdout, "; %d changed while it ran, left for the next run", rep.Changed)
	}
	fmt.Fprintln(m.Stdout)
	return nil
}

// parsePeriod reads "90d" as 90 days, or a Go duration ("2160h").
func parsePeriod(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is neither days (90d) nor a duration (2160h)", s)
	}
	return d, nil
}
