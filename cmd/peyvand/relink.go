package main

import (
	"context"
	"fmt"
	"time"

	"peyvand"
	"peyvand/relink"
)

const relinkUsage = `Usage: peyvand relink [flags]

Links the registry's records into persons: finds the records that describe
the same person across sources and scripts (the engine of peyvand link) and
merges their persons. The oldest person of each cluster stands; the others
point to it, so no link to a person breaks. Running it again changes nothing
unless new records came. It only merges: splitting a person is a reviewer's
decision.

Example:
  peyvand import --source hrana list.xlsx && peyvand relink
`

func (m *Main) relinkCmd(ctx context.Context, args []string) error {
	fs := m.flags("relink", relinkUsage)
	sf := m.addStoreFlags(fs)
	actor := fs.String("actor", "", "who links, for the audit log (default cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer s.Close()
	boundHeap()
	return m.relink(ctx, s, m.actor(*actor))
}

func (m *Main) relink(ctx context.Context, s peyvand.Store, actor string) error {
	start := time.Now()
	res, err := relink.Run(ctx, s, actor)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	fmt.Fprintf(m.Stdout, "linked %d records: %d persons before, %d after (%d merged); %d uncertain pairs for review; in %s\n",
		res.Records, res.PersonsBefore, res.PersonsAfter, res.Merged, res.ReviewPairs, time.Since(start).Round(time.Millisecond))
	return nil
}
