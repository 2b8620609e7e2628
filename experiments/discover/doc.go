// Package discover owns scenario discovery: the Patient Rule Induction
// Method (PRIM; Friedman & Fisher 1999) as scenario discovery uses it
// (Bryant & Lempert 2010; the EMA Workbench), which finds a box in factor
// space where a stated condition holds far more often than overall.
//
// Peel takes design points and a yes/no outcome per point and returns the
// peeling trajectory (coverage against density at each step); a box is
// then chosen from the trajectory and described by its restricted
// factors, each bound with a quasi-p-value.
package discover
