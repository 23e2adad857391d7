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
// Explain, Match and Add) and the clustering.
func Link(cfg Config, records []Record, estimate Estimator) (*Index, Clustering, error) {
	ix, err := NewIndex(cfg, records)
	if err != nil {
		return nil, Clustering{}, err
	}
	c := ix.Candidates()
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
