package jwt

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"hash"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
)

var testHashes = []struct {
	name string
	new  func() hash.Hash
}{
	{"HMAC-SHA-256", sha256.New},
	{"HMAC-SHA-384", sha512.New384},
	{"HMAC-SHA-512", sha512.New},
}

func hashByName(t testing.TB, name string) func() hash.Hash {
	t.Helper()
	for _, h := range testHashes {
		if h.name == name {
			return h.new
		}
	}
	t.Fatalf("unknown hash %q", name)
	return nil
}

// stdlibMAC is the reference: crypto/hmac.
func stdlibMAC(h func() hash.Hash, key, msg []byte) []byte {
	m := hmac.New(h, key)
	m.Write(msg)
	return m.Sum(nil)
}

type rfcHMACVector struct {
	ID              string `json:"id"`
	Source          string `json:"source"`
	Case            int    `json:"case"`
	Alg             string `json:"alg"`
	KeyHex          string `json:"key_hex"`
	DataHex         string `json:"data_hex"`
	MACHex          string `json:"mac_hex"`
	Truncated       bool   `json:"truncated"`
	TruncatedToBits int    `json:"truncated_to_bits"`
}

// TestMACRFC4231 checks RFC 4231 §4.2-§4.8 test cases 1-7 for SHA-256/384/512 (from
// testdata/rfc.json). Case 5 (§4.6) is truncated to its leftmost 128 bits.
func TestMACRFC4231(t *testing.T) {
	var file struct {
		HMAC []rfcHMACVector `json:"hmac"`
	}
	loadRFCVectors(t, &file)
	if len(file.HMAC) != 21 {
		t.Fatalf("testdata/rfc.json has %d hmac vectors; want 21 (7 cases x 3 hashes)", len(file.HMAC))
	}
	for _, v := range file.HMAC {
		t.Run(v.ID, func(t *testing.T) {
			h := hashByName(t, v.Alg)
			key, data, want := mustHex(t, v.KeyHex), mustHex(t, v.DataHex), mustHex(t, v.MACHex)
			m := newMAC(h, key)
			if m.size() != h().Size() {
				t.Fatalf("size() = %d; want %d", m.size(), h().Size())
			}
			sum := m.appendSum(nil, data)
			if len(sum) != m.size() {
				t.Fatalf("output length %d; want %d", len(sum), m.size())
			}
			if v.Truncated {
				if v.TruncatedToBits != 8*len(want) {
					t.Fatalf("truncated_to_bits %d but mac_hex has %d bits", v.TruncatedToBits, 8*len(want))
				}
				sum = sum[:len(want)]
			} else if !m.equal(string(data), want) {
				t.Errorf("%s: equal() rejected the RFC MAC", v.Source)
			}
			if !bytes.Equal(sum, want) {
				t.Errorf("%s: appendSum = %x; want %x", v.Source, sum, want)
			}
		})
	}
}

type wycheproofFile struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		KeySize int `json:"keySize"`
		TagSize int `json:"tagSize"`
		Tests   []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Key     string   `json:"key"`
			Msg     string   `json:"msg"`
			Tag     string   `json:"tag"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestMACWycheproof runs every vector of Project Wycheproof's HMAC-SHA-256/384/512
// files (testdata/wycheproof, Apache-2.0). A tag shorter than the hash is compared
// with the leftmost tagSize/8 bytes of the MAC.
func TestMACWycheproof(t *testing.T) {
	for _, tc := range []struct {
		file, alg string
		h         func() hash.Hash
	}{
		{"hmac_sha256_test.json", "HMACSHA256", sha256.New},
		{"hmac_sha384_test.json", "HMACSHA384", sha512.New384},
		{"hmac_sha512_test.json", "HMACSHA512", sha512.New},
	} {
		t.Run(tc.alg, func(t *testing.T) {
			b, err := os.ReadFile("testdata/wycheproof/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var f wycheproofFile
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatal(err)
			}
			if f.Algorithm != tc.alg {
				t.Fatalf("algorithm %q; want %q", f.Algorithm, tc.alg)
			}
			var n, valid, invalid int
			for _, g := range f.TestGroups {
				if g.TagSize%8 != 0 || g.TagSize/8 > tc.h().Size() {
					t.Fatalf("unexpected tagSize %d", g.TagSize)
				}
				for _, v := range g.Tests {
					n++
					key, msg, tag := mustHex(t, v.Key), mustHex(t, v.Msg), mustHex(t, v.Tag)
					if 8*len(key) != g.KeySize {
						t.Fatalf("tcId %d: key of %d bits in a %d-bit group", v.TcID, 8*len(key), g.KeySize)
					}
					m := newMAC(tc.h, key)
					full := m.appendSum(nil, msg)
					match := bytes.Equal(full[:g.TagSize/8], tag)
					switch v.Result {
					case "valid":
						valid++
						if !match {
							t.Errorf("tcId %d (%s): MAC %x; want %x", v.TcID, v.Comment, full[:g.TagSize/8], tag)
						}
					case "invalid":
						invalid++
						if match {
							t.Errorf("tcId %d (%s): modified tag %x accepted", v.TcID, v.Comment, tag)
						}
					default:
						t.Fatalf("tcId %d: result %q", v.TcID, v.Result)
					}
					// equal() takes only full-length tags; it must agree with the result.
					if len(tag) == m.size() {
						if got := m.equal(string(msg), tag); got != (v.Result == "valid") {
							t.Errorf("tcId %d (%s): equal() = %v; result %s", v.TcID, v.Comment, got, v.Result)
						}
					} else if m.equal(string(msg), tag) {
						t.Errorf("tcId %d: equal() accepted a truncated tag", v.TcID)
					}
				}
			}
			if n != f.NumberOfTests || n != 174 || valid == 0 || invalid == 0 {
				t.Fatalf("ran %d tests (%d valid, %d invalid); file says %d", n, valid, invalid, f.NumberOfTests)
			}
		})
	}
}

// TestMACDifferential compares with crypto/hmac across key lengths around the block
// size (short keys are zero-padded, longer ones hashed first: RFC 2104 §2) and message
// lengths across the chunk size used for string messages.
func TestMACDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	msgLens := []int{0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 300, 1023, 1024, 2047, 2048, 2049, 4096, 5000, 20000}
	for _, h := range testHashes {
		for klen := 0; klen <= 260; klen++ {
			key := random(klen)
			m := newMAC(h.new, key)
			msg := random(msgLens[klen%len(msgLens)])
			want := stdlibMAC(h.new, key, msg)
			if got := m.appendSum(nil, msg); !bytes.Equal(got, want) {
				t.Fatalf("%s key %d bytes, msg %d bytes: appendSum %x; want %x", h.name, klen, len(msg), got, want)
			}
		}
		key := random(32)
		m := newMAC(h.new, key)
		for _, n := range msgLens {
			msg := random(n)
			want := stdlibMAC(h.new, key, msg)
			if got := m.appendSum([]byte("pre"), msg); string(got[:3]) != "pre" || !bytes.Equal(got[3:], want) {
				t.Errorf("%s msg %d bytes: appendSum %x; want pre+%x", h.name, n, got, want)
			}
			if !m.equal(string(msg), want) {
				t.Errorf("%s msg %d bytes: equal() rejected the crypto/hmac MAC", h.name, n)
			}
		}
	}
}

// TestMACLongKeyHashed: a key longer than the block size acts as its hash (RFC 2104 §2).
func TestMACLongKeyHashed(t *testing.T) {
	for _, h := range testHashes {
		bs := h.new().BlockSize()
		long := bytes.Repeat([]byte{0xaa}, bs+1)
		hk := h.new()
		hk.Write(long)
		a := newMAC(h.new, long).appendSum(nil, []byte("msg"))
		b := newMAC(h.new, hk.Sum(nil)).appendSum(nil, []byte("msg"))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: key of %d bytes not hashed first", h.name, bs+1)
		}
		exact := bytes.Repeat([]byte{0xaa}, bs)
		if bytes.Equal(newMAC(h.new, exact).appendSum(nil, nil), newMAC(h.new, long[:bs+1]).appendSum(nil, nil)) {
			t.Errorf("%s: block-size key and block-size+1 key agree", h.name)
		}
	}
}

func TestMACCopiesSecret(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	m := newMAC(sha256.New, key)
	want := stdlibMAC(sha256.New, []byte("0123456789abcdef0123456789abcdef"), []byte("x"))
	for i := range key {
		key[i] = 0
	}
	if got := m.appendSum(nil, []byte("x")); !bytes.Equal(got, want) {
		t.Fatal("changing the secret after newMAC changed the MAC")
	}
}

func TestMACEqual(t *testing.T) {
	for _, h := range testHashes {
		t.Run(h.name, func(t *testing.T) {
			key := bytes.Repeat([]byte{7}, 64)
			msg := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9"
			m := newMAC(h.new, key)
			sig := stdlibMAC(h.new, key, []byte(msg))
			if !m.equal(msg, sig) {
				t.Fatal("correct MAC rejected")
			}
			if m.equal(msg+"x", sig) || m.equal(msg[:len(msg)-1], sig) {
				t.Error("MAC accepted for a different message")
			}
			for i := 0; i < 8*len(sig); i++ {
				bad := bytes.Clone(sig)
				bad[i/8] ^= 1 << (i % 8)
				if m.equal(msg, bad) {
					t.Fatalf("MAC with bit %d flipped accepted", i)
				}
			}
			for n := 0; n < len(sig); n++ {
				if m.equal(msg, sig[:n]) {
					t.Fatalf("MAC truncated to %d bytes accepted", n)
				}
			}
			if m.equal(msg, append(bytes.Clone(sig), 0)) || m.equal(msg, append(bytes.Clone(sig), sig...)) {
				t.Error("extended MAC accepted")
			}
			if m.equal(msg, nil) || m.equal(msg, []byte{}) {
				t.Error("empty MAC accepted")
			}
			other := newMAC(h.new, bytes.Repeat([]byte{8}, 64))
			if other.equal(msg, sig) {
				t.Error("MAC accepted under a different key")
			}
			if !m.equal(msg, sig) {
				t.Fatal("correct MAC rejected after failures")
			}
		})
	}
}

// TestMACConcurrent shares one mac between 16 goroutines (run with -race).
func TestMACConcurrent(t *testing.T) {
	for _, h := range testHashes {
		key := []byte(strings.Repeat("k", 48))
		m := newMAC(h.new, key)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ref := hmac.New(h.new, key)
				buf := make([]byte, 0, 64)
				for i := 0; i < 1000; i++ {
					msg := fmt.Sprintf("goroutine %d op %d %s", g, i, strings.Repeat("m", (g*i)%300))
					ref.Reset()
					ref.Write([]byte(msg))
					want := ref.Sum(nil)
					var ok bool
					if i%2 == 0 {
						buf = m.appendSum(buf[:0], []byte(msg))
						ok = bytes.Equal(buf, want)
					} else {
						ok = m.equal(msg, want)
					}
					if !ok {
						errs <- fmt.Errorf("%s: goroutine %d op %d disagrees with crypto/hmac", h.name, g, i)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

// TestMACNotPrintable: fmt must not reveal key-derived bytes through a *mac.
func TestMACNotPrintable(t *testing.T) {
	a := newMAC(sha256.New, bytes.Repeat([]byte{0x11}, 32))
	b := newMAC(sha256.New, bytes.Repeat([]byte{0x22}, 32))
	a.appendSum(nil, []byte("warm the pool"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q", "%T"} {
		sa, sb := fmt.Sprintf(verb, a), fmt.Sprintf(verb, b)
		if sa != sb {
			t.Errorf("%s differs between keys: %q vs %q", verb, sa, sb)
		}
		if strings.Contains(sa, "11111111") || strings.Contains(sa, "17 17 17") || strings.Contains(sa, "[") {
			t.Errorf("%s prints key material or contents: %q", verb, sa)
		}
		// Nested in a struct as an unexported and an exported field.
		for _, v := range []any{struct{ m *mac }{a}, struct{ M *mac }{a}} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "[") || strings.Contains(s, "11111111") {
				t.Errorf("%s of a struct holding a *mac prints contents: %q", verb, s)
			}
		}
	}
}

// noMarshalHash hides the BinaryMarshaler methods of the wrapped hash, forcing newMAC
// onto the path that re-hashes the pad blocks for every operation.
type noMarshalHash struct{ hash.Hash }

func TestMACWithoutMarshaler(t *testing.T) {
	for _, h := range testHashes {
		wrapped := func() hash.Hash { return noMarshalHash{h.new()} }
		for _, klen := range []int{0, 20, 64, 200} {
			key := bytes.Repeat([]byte{0x5a}, klen)
			m := newMAC(wrapped, key)
			for _, msg := range []string{"", "abc", strings.Repeat("z", 3000)} {
				want := stdlibMAC(h.new, key, []byte(msg))
				if got := m.appendSum(nil, []byte(msg)); !bytes.Equal(got, want) {
					t.Errorf("%s key %d: appendSum %x; want %x", h.name, klen, got, want)
				}
				if !m.equal(msg, want) {
					t.Errorf("%s key %d: equal() rejected", h.name, klen)
				}
			}
		}
	}
}

func FuzzMAC(f *testing.F) {
	f.Add(uint8(0), []byte("key"), []byte("The quick brown fox jumps over the lazy dog"))
	f.Add(uint8(1), []byte{}, []byte{})
	f.Add(uint8(2), bytes.Repeat([]byte{0xaa}, 131), []byte("Test Using Larger Than Block-Size Key - Hash Key First"))
	f.Add(uint8(0), bytes.Repeat([]byte{0x0b}, 20), []byte("Hi There"))
	f.Fuzz(func(t *testing.T, which uint8, key, msg []byte) {
		h := testHashes[int(which)%len(testHashes)]
		want := stdlibMAC(h.new, key, msg)
		m := newMAC(h.new, key)
		if got := m.appendSum(nil, msg); !bytes.Equal(got, want) {
			t.Fatalf("%s: appendSum %x; want %x", h.name, got, want)
		}
		if !m.equal(string(msg), want) {
			t.Fatalf("%s: equal() rejected the crypto/hmac MAC", h.name)
		}
		bad := bytes.Clone(want)
		bad[len(msg)%len(bad)] ^= 1 << (len(key) % 8)
		if m.equal(string(msg), bad) {
			t.Fatalf("%s: equal() accepted a flipped bit", h.name)
		}
	})
}

// BenchmarkMACvsStdlib compares this package's HMAC with crypto/hmac (one hmac.New,
// then Reset+Write+Sum per op) on 300-byte messages.
func BenchmarkMACvsStdlib(b *testing.B) {
	msg := bytes.Repeat([]byte{'m'}, 300)
	smsg := string(msg)
	for _, h := range testHashes {
		key := bytes.Repeat([]byte{3}, h.new().Size())
		b.Run(h.name+"/stdlib", func(b *testing.B) {
			m := hmac.New(h.new, key)
			buf := make([]byte, 0, 64)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				m.Reset()
				m.Write(msg)
				buf = m.Sum(buf[:0])
			}
		})
		m := newMAC(h.new, key)
		sig := m.appendSum(nil, msg)
		b.Run(h.name+"/appendSum", func(b *testing.B) {
			buf := make([]byte, 0, 64)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				buf = m.appendSum(buf[:0], msg)
			}
		})
		b.Run(h.name+"/equal", func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if !m.equal(smsg, sig) {
					b.Fatal("mismatch")
				}
			}
		})
		// The re-hash-the-pads strategy, for comparison with restoring marshaled states.
		b.Run(h.name+"/rehashPads", func(b *testing.B) {
			m := newMAC(func() hash.Hash { return noMarshalHash{h.new()} }, key)
			buf := make([]byte, 0, 64)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				buf = m.appendSum(buf[:0], msg)
			}
		})
	}
}

func BenchmarkMACParallel(b *testing.B) {
	m := newMAC(sha256.New, bytes.Repeat([]byte{3}, 32))
	msg := bytes.Repeat([]byte{'m'}, 300)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 0, 64)
		for pb.Next() {
			buf = m.appendSum(buf[:0], msg)
		}
	})
}

// TestConstantTimeEqual covers lengths that are not whole words, which the MACs never have.
func TestConstantTimeEqual(t *testing.T) {
	for n := 0; n <= 70; n++ {
		a := make([]byte, n)
		for i := range a {
			a[i] = byte(i*7 + n)
		}
		if !constantTimeEqual(bytes.Clone(a), a) {
			t.Fatalf("%d bytes: equal slices reported different", n)
		}
		for i := 0; i < n; i++ {
			b := bytes.Clone(a)
			b[i] ^= 0x80
			if constantTimeEqual(bytes.Clone(a), b) {
				t.Fatalf("%d bytes: difference at %d missed", n, i)
			}
		}
	}
}
