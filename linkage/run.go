package linkage

// Estimator learns a model from an index's candidate pairs: Estimate with
// options, or EstimatePeyvand.
type Estimator func(ix *Index, pairs []Pair) (*Model, error)

// WithOptions is Estimate with opt, as an Estimator.
func WithOptions(opt EstimateOptions) Estimator {
	return func(ix *Index, pairs []Pair) (*Model, error) { return Estimate(ix, pairs, opt) }
}

// Link runs the whole pipeline: index the records, block, learn the model,
// cluster. It returns the index (for Explain, Match and Add) and the
// clustering.
func Link(cfg Config, records []Record, estimate Estimator) (*Index, Clustering, error) {
	ix, err := NewIndex(cfg, records)
	if err != nil {
		return nil, Clustering{}, err
	}
	pairs := ix.CandidatePairs()
	m, err := estimate(ix, pairs)
	if err != nil {
		return nil, Clustering{}, err
	}
	if err := ix.SetModel(m); err != nil {
		return nil, Clustering{}, err
	}
	cl, err := ix.Cluster(pairs)
	if err != nil {
		return nil, Clustering{}, err
	}
	return ix, cl, nil
}
