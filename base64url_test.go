package jwt

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

const testAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// rfcBase64Vector is one "base64url" entry of testdata/rfc.json.
type rfcBase64Vector struct {
	ID         string `json:"id"`
	Source     string `json:"source"`
	Valid      bool   `json:"valid"`
	Encoded    string `json:"encoded"`
	EncodedHex string `json:"encoded_hex"`
	DecodedHex string `json:"decoded_hex"`
}

func loadRFCVectors(t testing.TB, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/rfc.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// checkDecodeError asserts that appendDecode rejects src with a base64Error at offset.
func checkDecodeError(t *testing.T, src string, offset int) {
	t.Helper()
	dst := append(make([]byte, 0, 128), "prefix"...)
	got, err := appendDecode(dst, src)
	if err == nil {
		t.Fatalf("appendDecode(%q) = %q, nil; want error at offset %d", src, got[len(dst):], offset)
	}
	var be base64Error
	if !errors.As(err, &be) {
		t.Fatalf("appendDecode(%q) error %T %v; want base64Error", src, err, err)
	}
	if int(be) != offset {
		t.Errorf("appendDecode(%q) error offset %d; want %d", src, int(be), offset)
	}
	if want := "illegal base64url data at offset " + strconv.Itoa(offset); err.Error() != want {
		t.Errorf("appendDecode(%q) error %q; want %q", src, err.Error(), want)
	}
	if string(got) != "prefix" {
		t.Errorf("appendDecode(%q) returned dst %q on error; want %q", src, got, "prefix")
	}
}

func TestBase64URLRFCJSON(t *testing.T) {
	var file struct {
		Base64URL []rfcBase64Vector `json:"base64url"`
	}
	loadRFCVectors(t, &file)
	if len(file.Base64URL) == 0 {
		t.Fatal("testdata/rfc.json has no base64url vectors")
	}
	for _, v := range file.Base64URL {
		t.Run(v.ID, func(t *testing.T) {
			if !v.Valid {
				src := string(mustHex(t, v.EncodedHex))
				if got, err := appendDecode(nil, src); err == nil {
					t.Fatalf("%s: appendDecode(%q) = %x; want error", v.Source, src, got)
				}
				return
			}
			want := mustHex(t, v.DecodedHex)
			got, err := appendDecode(nil, v.Encoded)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: appendDecode(%q) = %x, %v; want %x", v.Source, v.Encoded, got, err, want)
			}
			if enc := appendEncode(nil, want); string(enc) != v.Encoded {
				t.Errorf("%s: appendEncode(%x) = %q; want %q", v.Source, want, enc, v.Encoded)
			}
		})
	}
}

func TestBase64URLRFC4648(t *testing.T) {
	// RFC 4648 §10 test vectors, '=' padding removed as RFC 7515 §2 requires.
	tests := []struct{ decoded, encoded string }{
		{"", ""},
		{"f", "Zg"},
		{"fo", "Zm8"},
		{"foo", "Zm9v"},
		{"foob", "Zm9vYg"},
		{"fooba", "Zm9vYmE"},
		{"foobar", "Zm9vYmFy"},
		// RFC 7515 Appendix C: octets [3, 236, 255, 224, 193].
		{"\x03\xec\xff\xe0\xc1", "A-z_4ME"},
		// Every alphabet character once, in order (values 0..63).
		{"\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51\x55\x97\x61\x96\x9b\x71\xd7\x9f\x82\x18\xa3\x92\x59\xa7\xa2\x9a\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e\xbb\xf3\xdf\xbf", testAlphabet},
	}
	for _, tt := range tests {
		if got := appendEncode(nil, []byte(tt.decoded)); string(got) != tt.encoded {
			t.Errorf("appendEncode(%q) = %q; want %q", tt.decoded, got, tt.encoded)
		}
		got, err := appendDecode(nil, tt.encoded)
		if err != nil || string(got) != tt.decoded {
			t.Errorf("appendDecode(%q) = %q, %v; want %q", tt.encoded, got, err, tt.decoded)
		}
	}
}

// invalidBase64 lists inputs a strict RFC 7515 base64url decoder must reject, with the
// offset our decoder reports: the first byte outside the alphabet, otherwise len(src)
// for a length of 1 mod 4 or non-zero unused trailing bits.
var invalidBase64 = []struct {
	in     string
	offset int
	reason string
}{
	{"=", 0, "padding character"},
	{"Zg==", 2, "padding is not allowed (RFC 7515 §2)"},
	{"Zg=", 2, "padding is not allowed, even partial"},
	{"Zm9=", 3, "padding in place of a data character"},
	{"Zm9v+", 4, "'+' is the standard alphabet, not base64url"},
	{"Zm9v/", 4, "'/' is the standard alphabet, not base64url"},
	{"Zm9v+A", 4, "'+' is the standard alphabet, not base64url"},
	{"Zm9v/w", 4, "'/' is the standard alphabet, not base64url"},
	{"Zm 9v", 2, "space"},
	{"Zm9v\t", 4, "tab"},
	{"Zm9v\n", 4, "line feed"},
	{"Zm\r\n9v", 2, "CR LF"},
	{"Zm9v\r", 4, "carriage return"},
	{"\nZm9v", 0, "leading line feed"},
	{"Z", 1, "length 1 mod 4"},
	{"Zm9vY", 5, "length 1 mod 4"},
	{"QR", 2, "non-canonical: unused trailing bits set ('QQ' is 'A')"},
	{"Zh", 2, "non-canonical: unused trailing bits set ('Zg' is 'f')"},
	{"Zm9", 3, "non-canonical: unused trailing bits set ('Zm8' is 'fo')"},
	{"\x80", 0, "byte 0x80"},
	{"Zm9v\x80AAA", 4, "byte 0x80"},
	{"\xff", 0, "byte 0xff"},
	{"Zm\xff9", 2, "byte 0xff"},
	{"\x00", 0, "NUL"},
	{"Zm9v\x00", 4, "NUL"},
	{"Zm9vYmFy\x00AAA", 8, "NUL"},
	{"Zm9v!@", 4, "first of several bad bytes is reported"},
	{"Zm9vYmFyYmF6.", 12, "dot (JWS segment separator)"},
	{"Zm9vYmFy Zm9v", 8, "space inside a later quantum"},
	{"é", 0, "UTF-8 multi-byte character"},
}

func TestBase64URLInvalid(t *testing.T) {
	for _, tt := range invalidBase64 {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			checkDecodeError(t, tt.in, tt.offset)
		})
	}
}

func TestBase64URLCanonicalQQ(t *testing.T) {
	got, err := appendDecode(nil, "QQ")
	if err != nil || string(got) != "A" {
		t.Fatalf(`appendDecode("QQ") = %q, %v; want "A"`, got, err)
	}
	checkDecodeError(t, "QR", 2)
}

// TestBase64URLEveryByte places every byte value at every position of a quantum and
// checks acceptance against the alphabet, so the decode table is fully covered.
func TestBase64URLEveryByte(t *testing.T) {
	for b := 0; b < 256; b++ {
		valid := strings.IndexByte(testAlphabet, byte(b)) >= 0
		for pos := 0; pos < 8; pos++ {
			in := []byte("AAAAAAAA")
			in[pos] = byte(b)
			got, err := appendDecode(nil, string(in))
			if !valid {
				if be, ok := err.(base64Error); !ok || int(be) != pos {
					t.Errorf("byte %#02x at %d: error %v; want base64Error(%d)", b, pos, err, pos)
				}
				continue
			}
			want, _ := base64.RawURLEncoding.Strict().DecodeString(string(in))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("byte %q at %d: got %x, %v; want %x", b, pos, got, err, want)
			}
		}
	}
}

func TestBase64URLLen(t *testing.T) {
	for n := 0; n < 1000; n++ {
		if got, want := encodedLen(n), base64.RawURLEncoding.EncodedLen(n); got != want {
			t.Errorf("encodedLen(%d) = %d; want %d", n, got, want)
		}
		if got, want := decodedLen(n), n*3/4; got != want {
			t.Errorf("decodedLen(%d) = %d; want %d", n, got, want)
		}
	}
	const big = 1<<62 + 3
	if got, want := decodedLen(big), (1<<62)/4*3+2; got != want {
		t.Errorf("decodedLen(%d) = %d; want %d (no overflow)", big, got, want)
	}
}

// TestBase64URLLengths round-trips random data of every length 0..64 and checks that
// every non-canonical spelling of the last character is rejected.
func TestBase64URLLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 64; n++ {
		x := make([]byte, n)
		for i := range x {
			x[i] = byte(rng.Uint32())
		}
		enc := appendEncode(nil, x)
		if want := base64.RawURLEncoding.EncodeToString(x); string(enc) != want {
			t.Fatalf("n=%d: appendEncode = %q; want %q", n, enc, want)
		}
		if len(enc) != encodedLen(n) || decodedLen(len(enc)) != n {
			t.Fatalf("n=%d: len(enc)=%d encodedLen=%d decodedLen(len(enc))=%d", n, len(enc), encodedLen(n), decodedLen(len(enc)))
		}
		dec, err := appendDecode(nil, string(enc))
		if err != nil || !bytes.Equal(dec, x) {
			t.Fatalf("n=%d: appendDecode(%q) = %x, %v; want %x", n, enc, dec, err, x)
		}
		if n == 0 {
			continue
		}
		// Unused low bits of the last character: 4 when n%3==1, 2 when n%3==2, 0 otherwise.
		unused := [3]byte{0, 0x0f, 0x03}[n%3]
		s := []byte(string(enc))
		last := len(s) - 1
		for v := 0; v < 64; v++ {
			s[last] = testAlphabet[v]
			got, err := appendDecode(nil, string(s))
			if byte(v)&unused != 0 {
				if be, ok := err.(base64Error); !ok || int(be) != len(s) {
					t.Errorf("n=%d: non-canonical %q accepted or wrong error: %x, %v", n, s, got, err)
				}
			} else if err != nil || len(got) != n {
				t.Errorf("n=%d: canonical %q rejected: %v", n, s, err)
			}
		}
		// One more character after a whole number of quanta: length 1 mod 4.
		if len(enc)%4 == 0 {
			checkDecodeError(t, string(enc)+"A", len(enc)+1)
		}
	}
}

func TestAppendDecodeDst(t *testing.T) {
	buf := make([]byte, 3, 64)
	copy(buf, "pre")
	out, err := appendDecode(buf, "Zm9vYmFy")
	if err != nil || string(out) != "prefoobar" {
		t.Fatalf("appendDecode = %q, %v; want %q", out, err, "prefoobar")
	}
	if &out[0] != &buf[0] {
		t.Error("appendDecode reallocated although dst had capacity")
	}
	// Error paths return dst with its original length, for every kind of error,
	// with and without spare capacity.
	for _, src := range []string{"Zm9v+", "Z", "QR", "Zm9vYmFy\n", "Zm9vYmFyAAA="} {
		for _, dst := range [][]byte{buf[:3], []byte("pre")} {
			out, err := appendDecode(dst, src)
			if err == nil {
				t.Fatalf("appendDecode(%q) succeeded", src)
			}
			if string(out) != "pre" || cap(out) != cap(dst) || &out[0] != &dst[0] {
				t.Errorf("appendDecode(%q) on error returned %q (cap %d); want dst %q (cap %d)", src, out, cap(out), dst, cap(dst))
			}
		}
	}
	// nil dst stays nil-length on error.
	if out, err := appendDecode(nil, "="); err == nil || len(out) != 0 {
		t.Errorf("appendDecode(nil, %q) = %q, %v", "=", out, err)
	}
}

// TestAppendNoWritePastResult checks that neither function writes into dst's spare
// capacity beyond the returned length (append semantics).
func TestAppendNoWritePastResult(t *testing.T) {
	for n := 0; n <= 40; n++ {
		x := bytes.Repeat([]byte{0xa5}, n)
		enc := base64.RawURLEncoding.EncodeToString(x)
		for _, tc := range []struct {
			name string
			f    func([]byte) []byte
		}{
			{"encode", func(b []byte) []byte { return appendEncode(b, x) }},
			{"decode", func(b []byte) []byte { b, _ = appendDecode(b, enc); return b }},
		} {
			buf := bytes.Repeat([]byte{'#'}, 128)
			out := tc.f(buf[:1])
			if &out[0] != &buf[0] {
				t.Fatalf("%s n=%d: reallocated", tc.name, n)
			}
			for i := len(out); i < len(buf); i++ {
				if buf[i] != '#' {
					t.Fatalf("%s n=%d: wrote byte %d past the result (len %d)", tc.name, n, i, len(out))
				}
			}
		}
	}
}

func TestAppendEncodeDst(t *testing.T) {
	buf := make([]byte, 3, 64)
	copy(buf, "pre")
	out := appendEncode(buf, []byte("foobar"))
	if string(out) != "preZm9vYmFy" {
		t.Fatalf("appendEncode = %q", out)
	}
	if &out[0] != &buf[0] {
		t.Error("appendEncode reallocated although dst had capacity")
	}
	out = appendEncode([]byte("pre"), []byte("fooba"))
	if string(out) != "preZm9vYmE" {
		t.Fatalf("appendEncode grown = %q", out)
	}
}

func TestBase64URLAllocs(t *testing.T) {
	src := bytes.Repeat([]byte("zerojwt!"), 40)
	enc := base64.RawURLEncoding.EncodeToString(src)
	buf := make([]byte, 0, 1024)
	var sink []byte
	if n := testing.AllocsPerRun(100, func() { sink = appendEncode(buf[:0], src) }); n != 0 {
		t.Errorf("appendEncode: %v allocs/op; want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		var err error
		sink, err = appendDecode(buf[:0], enc)
		if err != nil {
			panic(err)
		}
	}); n != 0 {
		t.Errorf("appendDecode: %v allocs/op; want 0", n)
	}
	bad := enc + "="
	if n := testing.AllocsPerRun(100, func() { sink, _ = appendDecode(buf[:0], bad) }); n > 1 {
		t.Errorf("appendDecode error path: %v allocs/op; want at most 1 (boxing the offset)", n)
	}
	_ = sink
}

func addBase64Seeds(f *testing.F) {
	for _, s := range []string{"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy", "A-z_4ME", "QQ", "QR", testAlphabet} {
		f.Add(s)
	}
	for _, tt := range invalidBase64 {
		f.Add(tt.in)
	}
}

// FuzzBase64URLDecode is differential against the stdlib strict decoder, which ignores
// CR and LF; ours must reject them. Whenever ours accepts, the input is the canonical
// (only) spelling of its decoding.
func FuzzBase64URLDecode(f *testing.F) {
	addBase64Seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		dst := append(make([]byte, 0, 8), "xy"...)
		got, err := appendDecode(dst, s)
		if err != nil {
			if string(got) != "xy" {
				t.Fatalf("appendDecode(%q) error %v but dst changed to %q", s, err, got)
			}
			be, ok := err.(base64Error)
			if !ok || int(be) < 0 || int(be) > len(s) {
				t.Fatalf("appendDecode(%q) error %#v not a base64Error within the input", s, err)
			}
		}
		if strings.ContainsAny(s, "\r\n") {
			if err == nil {
				t.Fatalf("appendDecode(%q) accepted CR/LF", s)
			}
			return
		}
		want, werr := base64.RawURLEncoding.Strict().DecodeString(s)
		if (err == nil) != (werr == nil) {
			t.Fatalf("appendDecode(%q) err=%v; stdlib err=%v", s, err, werr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(got[2:], want) {
			t.Fatalf("appendDecode(%q) = %x; stdlib %x", s, got[2:], want)
		}
		if enc := appendEncode(nil, got[2:]); string(enc) != s {
			t.Fatalf("appendDecode(%q) accepted a non-canonical spelling of %q", s, enc)
		}
	})
}

// FuzzBase64URLRoundTrip: any bytes encode like the stdlib and decode back.
func FuzzBase64URLRoundTrip(f *testing.F) {
	for _, s := range []string{"", "f", "fo", "foo", "foob", "fooba", "foobar", "\x03\xec\xff\xe0\xc1", "\x00", "\xff\xff\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, x []byte) {
		enc := appendEncode(nil, x)
		if want := base64.RawURLEncoding.EncodeToString(x); string(enc) != want {
			t.Fatalf("appendEncode(%x) = %q; want %q", x, enc, want)
		}
		if len(enc) != encodedLen(len(x)) || decodedLen(len(enc)) != len(x) {
			t.Fatalf("length mismatch for %d bytes: %d", len(x), len(enc))
		}
		dec, err := appendDecode(nil, string(enc))
		if err != nil || !bytes.Equal(dec, x) {
			t.Fatalf("appendDecode(%q) = %x, %v; want %x", enc, dec, err, x)
		}
	})
}

var benchB64 = bytes.Repeat([]byte("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}"), 6)

func BenchmarkBase64URLEncode(b *testing.B) {
	buf := make([]byte, 0, encodedLen(len(benchB64)))
	b.SetBytes(int64(len(benchB64)))
	for b.Loop() {
		buf = appendEncode(buf[:0], benchB64)
	}
}

func BenchmarkBase64URLEncodeStdlib(b *testing.B) {
	buf := make([]byte, 0, encodedLen(len(benchB64)))
	b.SetBytes(int64(len(benchB64)))
	for b.Loop() {
		buf = base64.RawURLEncoding.AppendEncode(buf[:0], benchB64)
	}
}

func BenchmarkBase64URLDecode(b *testing.B) {
	enc := base64.RawURLEncoding.EncodeToString(benchB64)
	buf := make([]byte, 0, len(benchB64))
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		buf, _ = appendDecode(buf[:0], enc)
	}
}

func BenchmarkBase64URLDecodeStdlib(b *testing.B) {
	enc := base64.RawURLEncoding.EncodeToString(benchB64)
	buf := make([]byte, 0, len(benchB64))
	b.SetBytes(int64(len(enc)))
	strict := base64.RawURLEncoding.Strict()
	for b.Loop() {
		buf, _ = strict.AppendDecode(buf[:0], []byte(enc))
	}
}
