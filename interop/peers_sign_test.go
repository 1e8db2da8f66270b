package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/zerojwt/jwt"
)

// Case 2: every peer signs (through its JWT API, or through its JWS API with
// a raw payload where the JWT API cannot express the claims, e.g.
// fractional dates); zerojwt verifies and decodes claims equal to the input:
// into a struct embedding jwt.Claims, into map[string]any, and with a nil
// destination; through a Key and through a KeySet selecting by kid.

func TestPeersSignZerojwtVerifies(t *testing.T) {
	for _, s := range signers {
		t.Run(s.name, func(t *testing.T) {
			reqs := signRequests(s)
			for i, tok := range signAll(t, s, reqs) {
				r := reqs[i]
				checkZerojwtDecodes(t, fmt.Sprintf("%s %s %s", s.name, r.alg, r.cs.name), r.alg, r.key, tok, r.cs)
			}
		})
	}
}

// checkZerojwtDecodes asserts that zerojwt accepts tok, signed with
// alg/secret, and decodes exactly cs.
func checkZerojwtDecodes(t *testing.T, name, alg string, secret []byte, tok string, cs claimSet) {
	t.Helper()
	key := zKey(t, alg, secret).WithKeyID(testKid)
	reversed := slices.Clone(secret)
	slices.Reverse(reversed)
	other := zKey(t, alg, reversed).WithKeyID("other")
	set, err := jwt.NewKeySet(other, key)
	if err != nil {
		t.Fatalf("NewKeySet: %v", err)
	}
	want := zExpect()

	var c zClaims
	if err := key.Decode(tok, &c, want); err != nil {
		t.Errorf("%s: zerojwt Key.Decode(struct): %v\ntoken: %s", name, err, tok)
	} else if d := zClaimsDiff(cs, c); d != "" {
		t.Errorf("%s: zerojwt struct claims differ:%s\ntoken: %s", name, d, tok)
	}

	var m map[string]any
	if err := set.Decode(tok, &m, want); err != nil {
		t.Errorf("%s: zerojwt KeySet.Decode(map): %v\ntoken: %s", name, err, tok)
	} else if d := claimsDiff(cs.asMap(), m); d != "" {
		t.Errorf("%s: zerojwt map claims differ:%s\ntoken: %s", name, d, tok)
	}

	if err := key.Decode(tok, nil, want); err != nil {
		t.Errorf("%s: zerojwt Key.Decode(nil): %v\ntoken: %s", name, err, tok)
	}

	h, _, err := jwt.InspectUnverified(tok)
	if err != nil || h.Algorithm != alg || h.KeyID != testKid {
		t.Errorf("%s: InspectUnverified: %+v, %v", name, h, err)
	}

	// The same token under the right secret but another algorithm's key, or
	// a wrong secret, must fail with the matching sentinel.
	wrong := append([]byte(nil), secret...)
	wrong[len(wrong)-1] ^= 0x80
	if err := zKey(t, alg, wrong).WithKeyID(testKid).Decode(tok, nil, want); !errors.Is(err, jwt.ErrSignature) {
		t.Errorf("%s: wrong secret: got %v, want ErrSignature", name, err)
	}
	if alg != "HS256" {
		if err := zKey(t, "HS256", secret).WithKeyID(testKid).Decode(tok, nil, want); !errors.Is(err, jwt.ErrAlgorithm) {
			t.Errorf("%s: HS256 key: got %v, want ErrAlgorithm", name, err)
		}
	}
}

// TestPeerJSONFormsZerojwtVerifies: JSON spellings that are valid and that
// peers produce or accept (number exponents and trailing zeros, escaped
// member names and values, insignificant whitespace) must decode in zerojwt
// to the same claims. Signed by jwx's and node jose's JWS APIs (the payload
// bytes exactly as written here).
func TestPeerJSONFormsZerojwtVerifies(t *testing.T) {
	cs := claimSet{
		iss: testIssuer, sub: "42", jti: "jti-ü-0001", aud: []string{testAudience},
		exp: 1893456000.5, nbf: 1699999000.25, iat: 1699999990,
	}
	// The private claims are appended in encoding/json's spelling.
	pj, err := json.Marshal(privateClaims())
	if err != nil {
		t.Fatal(err)
	}
	priv := string(pj[1 : len(pj)-1])
	forms := []struct{ name, payload string }{
		{"exponents", `{"iss":"https://issuer.example/ü","sub":"42","jti":"jti-ü-0001","aud":["api"],` +
			`"exp":18934560005E-1,"nbf":1.69999900025e+9,"iat":1699999990.000,` + priv + `}`},
		{"escaped-names-and-values", `{"\u0069ss":"https:\/\/issuer.example\/\u00fc","s\u0075b":"\u0034\u0032",` +
			`"jti":"jti-\u00FC-0001","\u0061ud":["\u0061pi"],"\u0065xp":1893456000.5,"nbf":1699999000.25,` +
			`"iat":1699999990,` + priv + `}`},
		{"whitespace", "{\n\t\"iss\" : \"https://issuer.example/ü\" ,\r\n \"sub\":\"42\", \"jti\":\"jti-ü-0001\"," +
			"\"aud\" :\t[ \"api\" ] ,\"exp\": 1893456000.5 ,\"nbf\":1699999000.25,\"iat\":1699999990 ," + priv + " }\n"},
	}
	var ops []nodeOp
	type signed struct{ name, alg, token string }
	var toks []signed
	for _, ak := range algKeys {
		h, err := jwxHeaders(testKid)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range forms {
			b, err := jws.Sign([]byte(f.payload), jws.WithKey(jwxAlg(ak.alg), ak.key, jws.WithProtectedHeaders(h)))
			if err != nil {
				t.Fatalf("jwx sign %s: %v", f.name, err)
			}
			toks = append(toks, signed{"jwx/jws.Sign " + f.name, ak.alg, string(b)})
			ops = append(ops, nodeOp{Op: "signRaw", Lib: "jose", Alg: ak.alg, Key: b64(ak.key),
				Header: map[string]any{"kid": testKid, "typ": "JWT"}, PayloadB64: b64([]byte(f.payload))})
		}
	}
	for i, res := range runNode(t, ops) {
		if !res.OK {
			t.Fatalf("node jose signRaw: %s", res.Error)
		}
		toks = append(toks, signed{"node/jose CompactSign " + forms[i%len(forms)].name, algKeys[i/len(forms)].alg, res.Token})
	}
	for _, s := range toks {
		var secret []byte
		for _, ak := range algKeys {
			if ak.alg == s.alg {
				secret = ak.key
			}
		}
		checkZerojwtDecodes(t, s.name+" "+s.alg, s.alg, secret, s.token, cs)
	}
}
