// Package export writes the registry out in the formats the field uses:
// CSV (Peyvand's import columns, optionally with HXL hashtags), JSON, and
// PFIF 1.4 for people-finder services. Sealed fields (contacts, witnesses,
// testimony) stay out unless the caller asks for them.
package export

import (
	"context"
	"sort"

	"peyvand"
)

// Options choose what an export holds.
type Options struct {
	// Source limits the export to one source, by name.
	Source string
	// IncludeSealed adds contacts, reporters and testimony. Off by
	// default: an export is meant to travel.
	IncludeSealed bool
	// HXL adds a row of HXL hashtags under the CSV header.
	HXL bool
}

// snapshot is what every format needs: sources by id, and each record
// with its events.
type snapshot struct {
	sources map[string]peyvand.Source
	events  map[string][]peyvand.StatusEvent
	filter  peyvand.RecordFilter
}

func load(ctx context.Context, s peyvand.Store, opt Options) (*snapshot, error) {
	snap := &snapshot{sources: map[string]peyvand.Source{}, events: map[string][]peyvand.StatusEvent{}}
	srcs, err := s.Sources(ctx)
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		snap.sources[src.ID] = src
	}
	if opt.Source != "" {
		src, err := s.SourceByName(ctx, opt.Source)
		if err != nil {
			return nil, err
		}
		snap.filter.SourceID = src.ID
	}
	err = s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		if !opt.IncludeSealed {
			e.Text, e.Reporter, e.Contact = "", "", ""
		}
		snap.events[e.RecordID] = append(snap.events[e.RecordID], e)
		return nil
	})
	return snap, err
}

// records walks the selected records with their events, sealed fields
// cleared unless asked for.
func (snap *snapshot) records(ctx context.Context, s peyvand.Store, opt Options, fn func(peyvand.Record, []peyvand.StatusEvent) error) error {
	return s.WalkRecords(ctx, snap.filter, func(r peyvand.Record) error {
		if !opt.IncludeSealed {
			r.Contact, r.Reporter, r.Notes = "", "", ""
		}
		evs := snap.events[r.ID]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].RecordedAt.Before(evs[j].RecordedAt) })
		return fn(r, evs)
	})
}
