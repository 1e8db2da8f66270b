package jwt

// Temporary stand-ins until the hand-written primitives land.

import (
	"crypto/hmac"
	"encoding/base64"
	"hash"
	"strings"
)

type base64Error int

func (e base64Error) Error() string { return "illegal base64url data" }

func encodedLen(n int) int { return base64.RawURLEncoding.EncodedLen(n) }
func decodedLen(n int) int { return n * 3 / 4 }
func appendEncode(dst, src []byte) []byte {
	return base64.RawURLEncoding.AppendEncode(dst, src)
}
func appendDecode(dst []byte, src string) ([]byte, error) {
	if strings.ContainsAny(src, "\r\n") {
		return dst, base64Error(0)
	}
	out, err := base64.RawURLEncoding.Strict().AppendDecode(dst, []byte(src))
	if err != nil {
		return dst, base64Error(0)
	}
	return out, nil
}

type mac struct {
	h      func() hash.Hash
	secret []byte
}

func newMAC(h func() hash.Hash, secret []byte) *mac {
	return &mac{h, append([]byte(nil), secret...)}
}
func (m *mac) size() int { return m.h().Size() }
func (m *mac) appendSum(dst, msg []byte) []byte {
	x := hmac.New(m.h, m.secret)
	x.Write(msg)
	return x.Sum(dst)
}
func (m *mac) equal(msg string, sig []byte) bool {
	return hmac.Equal(m.appendSum(nil, []byte(msg)), sig)
}
