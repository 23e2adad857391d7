// Package estimate infers how many people a set of overlapping, incomplete
// lists missed, by multiple systems estimation (MSE, also called
// capture–recapture): the pattern of overlap between independent lists of
// victims tells how large the unlisted remainder is.
//
// Every method here assumes a closed population (nobody enters or leaves the
// set of victims while the lists are compiled) and records already matched
// across lists, so that a capture history is exact. What differs between
// methods is how they treat the two violations that matter in practice:
// dependence between lists (one source copies or refers to another) and
// heterogeneity (some victims are far more likely to be listed than others).
//
//   - Log-linear models (Fienberg 1972; Bishop, Fienberg & Holland 1975)
//     model list dependence with two-way interactions chosen by AIC or BIC,
//     but assume capture probabilities homogeneous within the model.
//   - LCMCR (Manrique-Vallier 2016) models heterogeneity with a Dirichlet
//     process mixture of latent classes, within which lists are independent.
//   - DGA (Madigan & York 1997) averages over every decomposable graphical
//     model of list dependence, weighted by its posterior probability, with
//     a hyper-Dirichlet prior (delta 1) and p(N) ∝ 1/N, as the R package dga.
//
// The numerical kernels do no I/O; ReadCounts is the only parser.
package estimate
