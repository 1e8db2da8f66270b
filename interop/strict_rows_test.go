package interop

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"
	"testing"
)

// Hand-built tokens for the strictness table. Every token carries a
// correct MAC over exactly the bytes it contains, so a peer that accepts it
// is not being fooled about the signature, and zerojwt's rejection is proven
// to come from the check the row is about.

var b64url = base64.RawURLEncoding

func hashFor(alg string) func() hash.Hash {
	switch alg {
	case "HS256":
		return sha256.New
	case "HS384":
		return sha512.New384
	case "HS512":
		return sha512.New
	}
	panic("unknown alg " + alg)
}

// macRaw returns the raw HMAC of signingInput.
func macRaw(alg string, key []byte, signingInput string) []byte {
	m := hmac.New(hashFor(alg), key)
	m.Write([]byte(signingInput))
	return m.Sum(nil)
}

// signInput appends "." and the base64url MAC of signingInput, taken over
// the signing input exactly as given (whatever odd bytes it holds).
func signInput(alg string, key []byte, signingInput string) string {
	return signingInput + "." + b64url.EncodeToString(macRaw(alg, key, signingInput))
}

// rawToken signs header and payload (JSON text, used byte for byte).
func rawToken(alg string, key []byte, header, payload string) string {
	return signInput(alg, key, b64url.EncodeToString([]byte(header))+"."+b64url.EncodeToString([]byte(payload)))
}

// The strictness rows use HS256 and this key unless they say otherwise.
var (
	strictAlg = algKeys[0].alg
	strictKey = algKeys[0].key
)

const (
	stdHeader = `{"alg":"HS256","typ":"JWT"}`
	// A valid claims set; each row breaks one thing.
	stdClaims = `{"iss":"https://issuer.example","sub":"42","aud":"api","exp":1893456000,"iat":1699999990`
)

// claims returns stdClaims with extra members appended (a leading comma is
// added when extra is non-empty).
func claims(extra string) string {
	if extra == "" {
		return stdClaims + "}"
	}
	return stdClaims + "," + extra + "}"
}

func std(payload string) string { return rawToken(strictAlg, strictKey, stdHeader, payload) }

func withHeader(header string) string { return rawToken(strictAlg, strictKey, header, claims("")) }

// base64URLPadded is base64url with '=' padding.
func base64URLPadded(s string) string {
	return base64.URLEncoding.EncodeToString([]byte(s))
}

// replaceSig swaps the signature segment of tok for sig.
func replaceSig(tok, sig string) string {
	return tok[:strings.LastIndexByte(tok, '.')+1] + sig
}

// flipTrailingBits changes the last character of an unpadded base64url
// string so that it decodes to the same bytes under a lenient decoder: the
// bits below the last full byte are set.
func flipTrailingBits(t testing.TB, s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var unused uint
	switch len(s) % 4 {
	case 2:
		unused = 4
	case 3:
		unused = 2
	default:
		t.Fatalf("flipTrailingBits: %d characters leave no unused bits", len(s))
	}
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last|(1<<unused-1)])
}

// toStdAlphabet rewrites '-' and '_' to '+' and '/'.
func toStdAlphabet(s string) string {
	return strings.NewReplacer("-", "+", "_", "/").Replace(s)
}

// sigWithURLChars returns a valid token whose signature
// contains '-' or '_', varying a nonce claim until it does.
func sigWithURLChars(t testing.TB) string {
	for n := range 1000 {
		tok := std(claims(`"nonce":` + strconv.Itoa(n)))
		sig := tok[strings.LastIndexByte(tok, '.')+1:]
		if strings.ContainsAny(sig, "-_") {
			return tok
		}
	}
	t.Fatal("no signature with '-' or '_' in 1000 tries")
	return ""
}
