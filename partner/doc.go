// Package partner is the domain of partnerships: two businesses working
// together in one lane, strategic or referral, and the rules of each lane.
//
// Like package match it is pure Go: no I/O, no SQL, no HTTP. The store
// keeps its types, the app enforces who may do what, and this package says
// what is allowed at all: which status follows which, what belongs to
// which lane, how a commission is computed and rounded, and how a
// statement adds up.
package partner
