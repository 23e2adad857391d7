// Package relink links the registry's records into persons with the
// linkage engine: it reads every record, finds the clusters, and merges the
// persons each cluster spans.
package relink

import (
	"context"

	"peyvand"
	"peyvand/linkage"
)

// Result says what a run did.
type Result struct {
	Records       int // records read
	Clusters      int // persons the engine found
	Merged        int // persons merged away into others
	ReviewPairs   int // uncertain pairs for a reviewer
	PersonsBefore int
	PersonsAfter  int
}

// Run links all records of s and merges persons accordingly. It only
// merges: a person the engine would split stays whole until a reviewer
// decides, since splitting on a model's word could separate a family's
// inquiry from the news about their relative.
func Run(ctx context.Context, s peyvand.Store, actor string) (Result, error) {
	var res Result
	before, err := s.Stats(ctx)
	if err != nil {
		return res, err
	}
	res.PersonsBefore = before.Persons
	srcs, err := s.Sources(ctx)
	if err != nil {
		return res, err
	}
	name := map[string]string{}
	for _, src := range srcs {
		name[src.ID] = src.Name
	}
	// The date of a record's first event anchors an age given without a
	// date; events are read once for all records.
	eventDate := map[string]peyvand.Date{}
	err = s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		if d, ok := eventDate[e.RecordID]; !ok || (d.IsZero() && !e.Date.IsZero()) {
			eventDate[e.RecordID] = e.Date
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	var recs []linkage.Record
	err = s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		event := eventDate[r.ID]
		if event.IsZero() {
			event = r.AgeDate
		}
		r.Contact, r.Reporter, r.Notes = "", "", "" // linkage needs none of the sealed fields
		recs = append(recs, linkage.FromPerson(r.ID, name[r.SourceID], r, event))
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Records = len(recs)
	if len(recs) < 2 {
		res.PersonsAfter = res.PersonsBefore
		return res, nil
	}
	ix, cl, err := linkage.Link(linkage.PeyvandConfig(), recs, linkage.EstimatePeyvand)
	if err != nil {
		return res, err
	}
	res.Clusters, res.ReviewPairs = len(cl.Clusters), len(cl.Review)
	var groups [][]string
	for _, members := range cl.Clusters {
		if len(members) < 2 {
			continue
		}
		g := make([]string, len(members))
		for i, m := range members {
			g[i] = ix.Record(m).ID
		}
		groups = append(groups, g)
	}
	if res.Merged, err = s.MergePersons(ctx, actor, groups); err != nil {
		return res, err
	}
	after, err := s.Stats(ctx)
	res.PersonsAfter = after.Persons
	return res, err
}
