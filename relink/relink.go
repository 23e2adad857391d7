// Package relink links the registry's records into persons with the
// linkage engine: it reads every record, finds the clusters, and merges the
// persons each cluster spans.
package relink

import (
	"context"

	"peyvand"
)

// Result says what a run did.
type Result struct {
	Records       int // records read
	Clusters      int // persons the engine found
	Merged        int // persons merged away into others
	ReviewPairs   int // uncertain pairs for a reviewer (the queue keeps the MaxReview most probable)
	PersonsBefore int
	PersonsAfter  int
}

// Run links all records of s and merges persons accordingly. It only
// merges: a person the engine would split stays whole until a reviewer
// decides, since splitting on a model's word could separate a family's
// inquiry from the news about their relative.
func Run(ctx context.Context, s peyvand.Store, actor string) (Result, error) {
	return New(s, actor).Run(ctx)
}
