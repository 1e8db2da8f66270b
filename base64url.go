package jwt

import (
	"encoding/binary"
	"slices"
	"strconv"
)

// Base64url without padding (RFC 4648 §5, as RFC 7515 §2 requires for JWS).
//
// The decoder is strict so that a byte string has exactly one accepted spelling: only
// the 64 alphabet characters are accepted (no '=', '+', '/', whitespace, CR/LF, NUL or
// non-ASCII), a length of 1 mod 4 is rejected, and the unused low bits of the last
// character must be zero (RFC 4648 §3.5).

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// b64Invalid marks a byte outside the alphabet in b64Decode. Valid entries are 0..63,
// so OR-ing several entries has a bit of b64Invalid set iff one of them is invalid.
const b64Invalid = 0xff

// b64Decode maps a character to its 6-bit value, or to b64Invalid.
var b64Decode = func() (t [256]byte) {
	for i := range t {
		t[i] = b64Invalid
	}
	for i := 0; i < len(b64Alphabet); i++ {
		t[b64Alphabet[i]] = byte(i)
	}
	return t
}()

// b64Dec[k] maps the k-th character of a group of four to its 6 bits already shifted into
// place in a 24-bit group, or to b64DecInvalid, so that a group decodes with four lookups
// OR-ed together.
var b64Dec = func() (t [4][256]uint32) {
	for k := range t {
		for c := range t[k] {
			if v := b64Decode[c]; v == b64Invalid {
				t[k][c] = b64DecInvalid
			} else {
				t[k][c] = uint32(v) << (18 - 6*k)
			}
		}
	}
	return t
}()

const b64DecInvalid = 1 << 31

// base64Error is the offset in the input of the first byte outside the alphabet, or
// the input length when the length is 1 mod 4 or the last character has unused bits set.
type base64Error int

func (e base64Error) Error() string {
	return "illegal base64url data at offset " + strconv.Itoa(int(e))
}

// encodedLen returns the length of the unpadded encoding of n bytes.
func encodedLen(n int) int {
	return n/3*4 + (n%3*8+5)/6
}

// decodedLen returns the number of bytes that n valid encoded characters decode to.
func decodedLen(n int) int {
	return n/4*3 + n%4*3/4
}

// b64Pairs maps 12 bits to their two characters, the first in the low byte.
var b64Pairs = func() (t [4096]uint16) {
	for v := range t {
		t[v] = uint16(b64Alphabet[v>>6]) | uint16(b64Alphabet[v&0x3f])<<8
	}
	return t
}()

// appendEncode appends the base64url encoding of src to dst. It allocates only when
// dst lacks the capacity.

func appendEncode(dst, src []byte) []byte {
	n := encodedLen(len(src))
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	// 6 bytes -> 8 characters, reading 8 bytes at once while the input has them, and
	// looking up two characters (12 bits) at a time.
	for len(src) >= 8 && len(out) >= 8 {
		v := binary.BigEndian.Uint64(src)
		binary.LittleEndian.PutUint64(out, uint64(b64Pairs[v>>52&0xfff])|
			uint64(b64Pairs[v>>40&0xfff])<<16|uint64(b64Pairs[v>>28&0xfff])<<32|
			uint64(b64Pairs[v>>16&0xfff])<<48)
		src = src[6:]
		out = out[8:]
	}
	for len(src) >= 3 && len(out) >= 4 {
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		out[0] = b64Alphabet[v>>18&0x3f]
		out[1] = b64Alphabet[v>>12&0x3f]
		out[2] = b64Alphabet[v>>6&0x3f]
		out[3] = b64Alphabet[v&0x3f]
		src = src[3:]
		out = out[4:]
	}
	switch len(src) {
	case 2:
		v := uint(src[0])<<16 | uint(src[1])<<8
		_ = out[2]
		out[0] = b64Alphabet[v>>18&0x3f]
		out[1] = b64Alphabet[v>>12&0x3f]
		out[2] = b64Alphabet[v>>6&0x3f]
	case 1:
		v := uint(src[0]) << 16
		_ = out[1]
		out[0] = b64Alphabet[v>>18&0x3f]
		out[1] = b64Alphabet[v>>12&0x3f]
	}
	return dst[:len(dst)+n]
}

// appendDecode appends the decoding of src to dst. On error it returns dst unchanged
// (with its original length) and a base64Error. It allocates only when dst lacks the
// capacity.
func appendDecode(dst []byte, src string) ([]byte, error) {
	n := decodedLen(len(src))
	buf := slices.Grow(dst, n)
	out := buf[len(dst) : len(dst)+n]
	k := decodeGroups(out, src)
	s := src[k:]
	out = out[k/8*6:]
	for len(s) >= 4 && len(out) >= 3 {
		a, b, c, d := b64Decode[s[0]], b64Decode[s[1]], b64Decode[s[2]], b64Decode[s[3]]
		if (a|b|c|d)&0xc0 != 0 {
			return dst, badByte(src, len(src)-len(s))
		}
		v := uint(a)<<18 | uint(b)<<12 | uint(c)<<6 | uint(d)
		out[0] = byte(v >> 16)
		out[1] = byte(v >> 8)
		out[2] = byte(v)
		out = out[3:]
		s = s[4:]
	}
	switch len(s) {
	case 0:
	case 1:
		if b64Decode[s[0]] == b64Invalid {
			return dst, base64Error(len(src) - 1)
		}
		return dst, base64Error(len(src))
	case 2:
		a, b := b64Decode[s[0]], b64Decode[s[1]]
		if (a|b)&0xc0 != 0 {
			return dst, badByte(src, len(src)-2)
		}
		if b&0x0f != 0 {
			return dst, base64Error(len(src))
		}
		out[0] = a<<2 | b>>4
	case 3:
		a, b, c := b64Decode[s[0]], b64Decode[s[1]], b64Decode[s[2]]
		if (a|b|c)&0xc0 != 0 {
			return dst, badByte(src, len(src)-3)
		}
		if c&0x03 != 0 {
			return dst, base64Error(len(src))
		}
		_ = out[1]
		out[0] = a<<2 | b>>4
		out[1] = b<<4 | c>>2
	}
	return buf[:len(dst)+n], nil
}

// decodeGroups decodes src into out eight characters (six bytes) at a time, each group
// stored as one 8-byte write while out has room for it (so never past the decoded length:
// spare capacity after the result is untouched), and returns the number of characters it
// decoded. It stops before a group with a byte outside the alphabet, which appendDecode then
// reports. It is a function of its own so that its loop keeps everything in registers.
func decodeGroups(out []byte, src string) int {
	t0, t1, t2, t3 := &b64Dec[0], &b64Dec[1], &b64Dec[2], &b64Dec[3]
	i := 0
	for len(src)-i >= 8 && len(out) >= 8 {
		s := src[i : i+8]
		x := t0[s[0]] | t1[s[1]] | t2[s[2]] | t3[s[3]]
		y := t0[s[4]] | t1[s[5]] | t2[s[6]] | t3[s[7]]
		if (x|y)&b64DecInvalid != 0 {
			break
		}
		binary.BigEndian.PutUint64(out, uint64(x)<<40|uint64(y)<<16)
		out = out[6:]
		i += 8
	}
	return i
}

// badByte returns the error for the first byte at or after i outside the alphabet.
func badByte(src string, i int) error {
	for ; i < len(src); i++ {
		if b64Decode[src[i]] == b64Invalid {
			return base64Error(i)
		}
	}
	return base64Error(len(src)) // unreachable: called only when a bad byte exists
}
