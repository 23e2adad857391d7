package linkage

// Estimator learns a model from an index's candidate pairs and their
// comparison vectors: EstimateCandidates with options, or EstimatePeyvand.
type Estimator func(ix *Index, c *Candidates) (*Model, error)

// WithOptions is EstimateCandidates with opt, as an Estimator.
func WithOptions(opt EstimateOptions) Estimator {
	return func(ix *Index, c *Candidates) (*Model, error) { return EstimateCandidates(ix, c, opt) }
}

// Link runs the whole pipeline: index the records, block and compare the
// candidate pairs once, learn the model, cluster. It returns the index (for
// Explain, Match and Add) and the clustering. When no two records share a
// block there is no pair to learn from or to link: every record is a
// person of its own, and the index has no model (Match and Add need one).
func Link(cfg Config, records []Record, estimate Estimator) (*Index, Clustering, error) {
	ix, err := NewIndex(cfg, records)
	if err != nil {
		return nil, Clustering{}, err
	}
	c := ix.Candidates()
	if c.Len() == 0 {
		return ix, ix.unlinked(), nil
	}
	m, err := estimate(ix, c)
	if err != nil {
		return nil, Clustering{}, err
	}
	if err := ix.SetModel(m); err != nil {
		return nil, Clustering{}, err
	}
	cl, err := ix.ClusterCandidates(c)
	if err != nil {
		return nil, Clustering{}, err
	}
	return ix, cl, nil
}

// unlinked is the clustering that puts every record on its own.
func (ix *Index) unlinked() Clustering {
	cl := Clustering{Clusters: make([][]int, ix.Len())}
	for i := range cl.Clusters {
		cl.Clusters[i] = []int{i}
	}
	return cl
}
