package linkage

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"peyvand/demo"
)

// TestSweepThresholds prints precision, recall and F1 of the demo seeds
// PEYVAND_SWEEP (never 42) for match and cluster thresholds around
// PeyvandConfig's, to choose them on calibration seeds.
func TestSweepThresholds(t *testing.T) {
	seeds := os.Getenv("PEYVAND_SWEEP")
	if seeds == "" {
		t.Skip("set PEYVAND_SWEEP=7,11")
	}
	for _, s := range strings.Split(seeds, ",") {
		seed, _ := strconv.ParseInt(s, 10, 64)
		if seed == 42 {
			t.Fatal("never calibrate on seed 42")
		}
		recs, truth := demoRecords(demo.Generate(demo.Options{Seed: seed, Persons: 2000}))
		for _, match := range []float64{0.98, 0.99, 0.995} {
			for _, cluster := range []float64{0.5, 0.8, 0.9, 0.95, 0.97, 0} {
				cfg := PeyvandConfig()
				cfg.Thresholds.Match, cfg.Thresholds.Cluster = match, cluster
				_, cl, err := Link(cfg, recs, EstimatePeyvand)
				if err != nil {
					t.Fatal(err)
				}
				q := measureDemo(recs, truth, cl)
				t.Logf("seed %d match %.3f cluster %.3f: P %.4f R %.4f F1 %.4f", seed, match, cluster, q.precision(), q.recall(), q.f1())
			}
		}
	}
}
