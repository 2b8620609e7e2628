// Package varsplit owns the split of an output's variance into the part
// due to parameter uncertainty and the part due to simulation noise, by
// the law of total variance, with standard errors.
//
// With D parameter draws and R ≥ 2 replicate runs of each (runs that share
// the draw and differ only in their random numbers), y[d][r] the output of
// run r of draw d, m_d its draw's mean and s²_d its draw's unbiased
// within-draw variance:
//
//	Var(y) = Var_d(E[y | d]) + E_d[Var(y | d)]
//	noise      N = mean_d s²_d                  (unbiased for E_d[Var(y|d)])
//	parametric P = var_d(m_d) − N/R             (unbiased for Var_d(E[y|d]))
//	total      T = P + N
//
// since the sample variance of the draw means also holds the noise of each
// mean, Var(y|d)/R (the one-way random-effects ANOVA estimators; Searle,
// Casella & McCulloch 1992, ch. 3). T equals the mean of (y − y′)²/2 over
// all pairs of runs from different draws, an unbiased estimate of Var(y)
// (tested). P may come out negative when the parameters matter little; it
// is reported as estimated, not clipped.
//
// Standard errors are delete-one-draw jackknife estimates (Efron & Stein
// 1981): draws are independent, so the jackknife over draws captures both
// the between-draw and the within-draw sampling error, including for the
// parametric share P/T, a ratio.
package varsplit
