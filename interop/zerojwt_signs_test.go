package interop

import (
	"fmt"
	"testing"
)

// Case 1: zerojwt signs, every peer verifies (algorithm allow-listed,
// issuer and audience checked, clock fixed) and reports the claims that
// were signed, and the kid and typ of the header.

type zSigned struct {
	name  string
	alg   string
	key   []byte
	token string
	want  claimSet // what the token's JSON holds
}

// zerojwtTokens signs every claim set with zerojwt, twice: from a struct
// embedding jwt.Claims (whole-second dates) and from a map[string]any (any
// JSON number, including fractional dates).
func zerojwtTokens(t *testing.T) []zSigned {
	var out []zSigned
	for _, ak := range algKeys {
		key := zKey(t, ak.alg, ak.key).WithKeyID(testKid)
		for _, cs := range claimSets() {
			if !cs.fractional() {
				c := zClaimsFor(cs)
				tok, err := key.Encode(&c)
				if err != nil {
					t.Fatalf("zerojwt Encode struct %s %s: %v", ak.alg, cs.name, err)
				}
				want := cs
				// Audience encodes as a string when it has one element.
				want.audAsString = len(cs.aud) == 1
				out = append(out, zSigned{name: "struct/" + cs.name, alg: ak.alg, key: ak.key, token: tok, want: want})
			}
			tok, err := key.Encode(cs.asMap())
			if err != nil {
				t.Fatalf("zerojwt Encode map %s %s: %v", ak.alg, cs.name, err)
			}
			out = append(out, zSigned{name: "map/" + cs.name, alg: ak.alg, key: ak.key, token: tok, want: cs})
		}
	}
	return out
}

func TestZerojwtSignsPeersVerify(t *testing.T) {
	toks := zerojwtTokens(t)
	reqs := make([]verifyReq, len(toks))
	for i, z := range toks {
		reqs[i] = verifyReq{alg: z.alg, key: z.key, token: z.token, audience: testAudience, issuer: testIssuer}
	}
	for _, v := range verifiers {
		t.Run(v.name, func(t *testing.T) {
			for i, res := range verifyAll(t, v, reqs) {
				z := toks[i]
				name := fmt.Sprintf("zerojwt %s %s -> %s", z.alg, z.name, v.name)
				if res.err != nil {
					t.Errorf("%s: rejected: %v\ntoken: %s", name, res.err, z.token)
					continue
				}
				if d := claimsDiff(wantFor(v, z.want), res.v.claims); d != "" {
					t.Errorf("%s: claims differ:%s\ntoken: %s", name, d, z.token)
				}
				if res.v.kid != testKid || res.v.typ != "JWT" {
					t.Errorf("%s: header kid %q typ %q, want %q %q", name, res.v.kid, res.v.typ, testKid, "JWT")
				}
			}
		})
	}
}

// TestZerojwtSignsWrongKeyRejected guards the harness: the peers really
// check the MAC of zerojwt's tokens (a verifier that accepted anything would
// pass the test above).
func TestZerojwtSignsWrongKeyRejected(t *testing.T) {
	toks := zerojwtTokens(t)
	reqs := make([]verifyReq, len(toks))
	for i, z := range toks {
		wrong := append([]byte(nil), z.key...)
		wrong[0] ^= 1
		reqs[i] = verifyReq{alg: z.alg, key: wrong, token: z.token}
	}
	for _, v := range verifiers {
		for i, res := range verifyAll(t, v, reqs) {
			if res.err == nil {
				t.Errorf("%s accepted zerojwt %s %s under a wrong key", v.name, toks[i].alg, toks[i].name)
			}
		}
	}
}
