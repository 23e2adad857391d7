package web

import (
	"sync"
	"time"
)

// publicTTL is how long a costly answer of the public side (the
// published list, the home page's totals) is reused before it is computed
// again: a flood of views must not load the database with each one, and a
// change shows within this time (at once on the instance that made it,
// which invalidates).
const publicTTL = 30 * time.Second

// cached keeps one value computed at most once per publicTTL; concurrent
// requests wait for one computation rather than each making one.
type cached[T any] struct {
	mu sync.Mutex
	at time.Time
	v  T
	ok bool
}

// get returns the kept value, or computes, keeps and returns a new one.
func (c *cached[T]) get(now func() time.Time, compute func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := now(); c.ok && t.Sub(c.at) < publicTTL && !t.Before(c.at) {
		return c.v, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.v, c.at, c.ok = v, now(), true
	return v, nil
}

// invalidate makes the next get compute again.
func (c *cached[T]) invalidate() {
	c.mu.Lock()
	c.ok = false
	c.mu.Unlock()
}
