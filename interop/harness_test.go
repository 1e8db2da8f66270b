package interop

import (
	"fmt"
	"reflect"
	"testing"
)

// claimsDiff describes how got differs from want ("" when equal), member by
// member so that a unicode or number mismatch is readable.
func claimsDiff(want, got map[string]any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	var d string
	for _, k := range sortedKeys(want) {
		g, ok := got[k]
		switch {
		case !ok:
			d += fmt.Sprintf("\n  %q: missing, want %#v", k, want[k])
		case !reflect.DeepEqual(want[k], g):
			d += fmt.Sprintf("\n  %q: got %#v (%T), want %#v (%T)", k, g, g, want[k], want[k])
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			d += fmt.Sprintf("\n  %q: unexpected %#v", k, got[k])
		}
	}
	return d
}

// wantFor is the claims map v must report for cs.
func wantFor(v verifier, cs claimSet) map[string]any {
	m := cs.asMap()
	if v.audAlwaysArray {
		m = normalizeAud(m)
	}
	if v.truncatesDates {
		m = floorDates(m)
	}
	return m
}

// TestPeersCrossCheck checks the harness itself: every peer signer's
// tokens verify in every peer verifier with equal claims. A failure here is
// a harness (or peer) problem, not a zerojwt one.
func TestPeersCrossCheck(t *testing.T) {
	for _, s := range signers {
		t.Run(s.name, func(t *testing.T) {
			reqs := signRequests(s)
			toks := signAll(t, s, reqs)
			for _, v := range verifiers {
				vreqs := make([]verifyReq, len(reqs))
				for i, r := range reqs {
					vreqs[i] = verifyReq{alg: r.alg, key: r.key, token: toks[i], audience: testAudience, issuer: testIssuer}
				}
				for i, res := range verifyAll(t, v, vreqs) {
					r := reqs[i]
					name := fmt.Sprintf("%s -> %s %s %s", s.name, v.name, r.alg, r.cs.name)
					if res.err != nil {
						t.Errorf("%s: rejected: %v\ntoken: %s", name, res.err, toks[i])
						continue
					}
					want := wantFor(v, r.cs)
					if d := claimsDiff(want, res.v.claims); d != "" {
						t.Errorf("%s: claims differ:%s", name, d)
					}
					if res.v.kid != testKid {
						t.Errorf("%s: kid %q, want %q", name, res.v.kid, testKid)
					}
				}
			}
		})
	}
}

// signRequests lists what signer s is asked to sign: every algorithm and key with every claim
// set it supports, with the test kid.
func signRequests(s signer) []signReq {
	var reqs []signReq
	for _, ak := range algKeys {
		for _, cs := range claimSets() {
			if s.supports(cs) {
				reqs = append(reqs, signReq{alg: ak.alg, key: ak.key, kid: testKid, cs: cs})
			}
		}
	}
	return reqs
}
