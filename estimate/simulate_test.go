package estimate

import (
	"math/rand/v2"
	"testing"
)

// simulateTable draws a population of n people whose histories come from
// history(r) and tabulates those seen on at least one list.
func simulateTable(t testing.TB, seed uint64, n, k int, history func(r *rand.Rand) uint32) Table {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	counts := map[uint32]int{}
	for range n {
		if h := history(r); h != 0 {
			counts[h]++
		}
	}
	lists := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O"}[:k]
	tab, err := NewTable(lists, counts)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// independentLists captures independently on list i with probability p[i].
func independentLists(p ...float64) func(*rand.Rand) uint32 {
	return func(r *rand.Rand) uint32 {
		var h uint32
		for i, pi := range p {
			if r.Float64() < pi {
				h |= 1 << i
			}
		}
		return h
	}
}

// latentClasses picks class c with probability weight[c], then captures
// independently with probabilities p[c].
func latentClasses(weight []float64, p [][]float64) func(*rand.Rand) uint32 {
	return func(r *rand.Rand) uint32 {
		u, c := r.Float64(), 0
		for c < len(weight)-1 && u >= weight[c] {
			u -= weight[c]
			c++
		}
		return independentLists(p[c]...)(r)
	}
}
