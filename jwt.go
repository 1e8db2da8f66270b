package jwt

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Algorithm names a JWS MAC algorithm (RFC 7518 §3.2). Only the three constants are valid.
type Algorithm string

// The supported algorithms: HMAC with SHA-2.
const (
	HS256 Algorithm = "HS256" // HMAC-SHA-256; key of 32 bytes or more
	HS384 Algorithm = "HS384" // HMAC-SHA-384; key of 48 bytes or more
	HS512 Algorithm = "HS512" // HMAC-SHA-512; key of 64 bytes or more
)

// hashFor returns the hash of alg and the shortest key RFC 7518 §3.2 allows for it.
func hashFor(alg Algorithm) (func() hash.Hash, int) {
	switch alg {
	case HS256:
		return sha256.New, sha256.Size
	case HS384:
		return sha512.New384, sha512.Size384
	case HS512:
		return sha512.New, sha512.Size
	}
	return nil, 0
}

// Key is an HMAC secret bound to one algorithm, with an optional key ID and the typ it
// writes. It signs with Encode and verifies with Decode, and is safe for concurrent use by
// many goroutines. Formatting a Key with any fmt verb shows the algorithm and key ID, never
// the secret. Create keys with NewKey: the zero Key and a nil *Key hold no secret, and
// their Encode, AppendEncode and Decode return ErrInvalidConfig.
type Key struct {
	alg Algorithm
	kid string
	typ string
	// state returns the MAC state. It is a function so that fmt, which prints a func as an
	// address, can never reach the secret, even through a Key held in a struct field.
	state  func() *mac
	header string // the base64url header segment this key writes, without the dot
	// lastPlan is the plan of the struct type this key (and its copies) last decoded into:
	// a service decodes one type per key, and this spares the lookup in plans.
	lastPlan *atomic.Pointer[plan]
	// lastHeader is the last header segment of another spelling than header that this key
	// (not its copies, whose kid or typ may differ) chose and that a MAC then verified under
	// it (see chooseKey).
	lastHeader *atomic.Pointer[headerMemo]
}

// NewKey returns a key for alg holding a copy of secret. It returns ErrAlgorithm for any
// algorithm but HS256, HS384 and HS512, and ErrKeyTooShort when the secret is shorter than
// the hash output (32, 48 or 64 bytes, RFC 7518 §3.2). Use GenerateSecret for a new secret;
// never use a password.
func NewKey(alg Algorithm, secret []byte) (*Key, error) {
	h, minLen := hashFor(alg)
	if h == nil {
		return nil, fmt.Errorf("%w: NewKey supports HS256, HS384 and HS512", ErrAlgorithm)
	}
	if len(secret) < minLen {
		return nil, fmt.Errorf("%w: %s needs a secret of at least %d bytes, got %d: use GenerateSecret(%s), never a password", ErrKeyTooShort, alg, minLen, len(secret), alg)
	}
	m := newMAC(h, secret)
	k := &Key{alg: alg, typ: "JWT", state: func() *mac { return m }, lastPlan: new(atomic.Pointer[plan]), lastHeader: new(atomic.Pointer[headerMemo])}
	if err := k.setHeader(); err != nil {
		return nil, err
	}
	return k, nil
}

// GenerateSecret returns a new random secret as long as the hash output of alg, read from
// crypto/rand. It panics if alg is not one of the package's constants.
func GenerateSecret(alg Algorithm) []byte {
	_, n := hashFor(alg)
	if n == 0 {
		panic("jwt: GenerateSecret: unknown algorithm")
	}
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand in Go 1.24 and later)
	return b
}

// derive returns a key of the same algorithm and ID whose secret is HMAC(k's secret, label):
// a key for another purpose that nothing signed with k, or with another label, verifies
// under.
func (k *Key) derive(label string) *Key {
	m := k.state()
	secret := m.appendSum(make([]byte, 0, m.size()), []byte(label))
	d, err := NewKey(k.alg, secret)
	if err != nil {
		panic("jwt: derive: " + err.Error()) // cannot happen: the MAC is as long as the hash
	}
	clear(secret)
	return d.WithKeyID(k.kid)
}

// usable returns ErrInvalidConfig unless k was made by NewKey (or copied from such a key).
func (k *Key) usable() error {
	if k == nil || k.state == nil || k.lastPlan == nil || k.lastHeader == nil {
		return fmt.Errorf("%w: the key is nil or zero: create keys with NewKey", ErrInvalidConfig)
	}
	return nil
}

// sameSecret reports whether k and o are one HMAC key: the same algorithm and the same
// secret as HMAC uses it (RFC 2104 §2 pads a short secret with zeros and hashes a long one,
// so two spellings can be one key), whatever their IDs and typs. The states derived from
// the secrets are compared in constant time. Both keys must be usable.
func (k *Key) sameSecret(o *Key) bool {
	if k.alg != o.alg {
		return false
	}
	a, b := k.state().keys, o.state().keys
	if a.marshaled != b.marshaled {
		return false
	}
	return subtle.ConstantTimeCompare(a.inner, b.inner)&subtle.ConstantTimeCompare(a.outer, b.outer) == 1
}

func (k *Key) setHeader() error {
	h, err := encodeHeader(k.alg, k.typ, k.kid)
	if err != nil {
		return err
	}
	k.header = string(appendEncode(nil, h))
	return nil
}

// WithKeyID returns a copy of k that writes kid in the header of the tokens it encodes and
// refuses, in the tokens it decodes, another kid (a token without kid is accepted: kid only
// helps a verifier choose its key, RFC 7515 §4.1.4). An empty kid gives a key without ID,
// which ignores the kid of the tokens it decodes. The copy
// shares the secret; the copy of a zero or nil key is a zero key, as unusable. It panics if
// kid is not valid UTF-8.
func (k *Key) WithKeyID(kid string) *Key {
	var c Key
	if k != nil {
		c = *k
	}
	c.kid = kid
	if c.lastHeader != nil {
		c.lastHeader = new(atomic.Pointer[headerMemo])
	}
	if err := c.setHeader(); err != nil {
		panic("jwt: WithKeyID: kid is not valid UTF-8")
	}
	return &c
}

// WithType returns a copy of k whose Encode writes typ as the header's typ instead of "JWT"
// (for example "at+jwt", RFC 9068). An empty typ restores "JWT". Decode checks typ only when
// Expect.Type asks. The copy shares the secret; the copy of a zero or nil key is a zero
// key, as unusable. It panics if typ is not valid UTF-8.
func (k *Key) WithType(typ string) *Key {
	var c Key
	if k != nil {
		c = *k
	}
	if typ == "" {
		typ = "JWT"
	}
	c.typ = typ
	if c.lastHeader != nil {
		c.lastHeader = new(atomic.Pointer[headerMemo])
	}
	if err := c.setHeader(); err != nil {
		panic("jwt: WithType: typ is not valid UTF-8")
	}
	return &c
}

// Algorithm returns the key's algorithm, or "" for a zero or nil key.
func (k *Key) Algorithm() Algorithm {
	if k == nil {
		return ""
	}
	return k.alg
}

// KeyID returns the key KeyID, or "" when the key has none or is nil.
func (k *Key) KeyID() string {
	if k == nil {
		return ""
	}
	return k.kid
}

// String describes the key without its secret.
func (k Key) String() string {
	s := "jwt.Key{" + string(k.alg)
	if k.kid != "" {
		s += " kid=" + strconv.Quote(k.kid)
	}
	return s + "}"
}

// GoString describes the key without its secret.
func (k Key) GoString() string { return k.String() }

// Format writes the description of String whatever the verb, so that no fmt verb (%x, %#v,
// %+v, ...) reaches the secret.
func (k Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// buffers holds the scratch space of one Encode call.
type buffers struct{ json, token []byte }

var bufferPool = sync.Pool{New: func() any { return new(buffers) }}

// maxPooled caps the buffers kept for reuse, so one huge claims set does not pin memory.
const maxPooled = 64 << 10

// Encode signs claims and returns the compact token. claims is a struct, a pointer to one
// (typically embedding Claims), or a map with string keys; struct fields follow the
// encoding/json rules (tags, omitempty, omitzero, embedding). Absent NumericDate fields are left
// out. A struct with its own MarshalJSON or MarshalText, or with a ",string" field, is
// written by encoding/json and must come out as a JSON object. A json.Number is written as
// the number it holds. Encode returns ErrEncode for a value it cannot write as a JSON object:
// another type, a string that is not valid UTF-8, a NaN or infinite number, a channel or
// function; and for one that would give a token Decode refuses: arrays and objects nested
// more than 64 deep (a cyclic value), iss/sub/jti/aud/exp/nbf/iat of another JSON type than
// Decode requires, a json.Number that is no JSON number or is beyond float64, MarshalJSON
// output Decode refuses, an absent NumericDate outside a struct field, and a value whose
// MarshalJSON or MarshalText has a pointer receiver where it is not addressable (pass the
// claims by pointer: encoding/json would skip the method there).
// A zero or nil key gives ErrInvalidConfig.
func (k *Key) Encode(claims any) (string, error) {
	if err := k.usable(); err != nil {
		return "", err
	}
	b := bufferPool.Get().(*buffers)
	tok, err := k.appendEncode(b, b.token[:0], claims)
	s := string(tok)
	if cap(tok) <= maxPooled {
		b.token = tok
	}
	bufferPool.Put(b)
	if err != nil {
		return "", err
	}
	return s, nil
}

// AppendEncode is Encode appending the token to dst. On error it returns dst unchanged.
func (k *Key) AppendEncode(dst []byte, claims any) ([]byte, error) {
	if err := k.usable(); err != nil {
		return dst, err
	}
	b := bufferPool.Get().(*buffers)
	dst, err := k.appendEncode(b, dst, claims)
	bufferPool.Put(b)
	return dst, err
}

// appendEncode signs claims into dst, with b.json as scratch space.
func (k *Key) appendEncode(b *buffers, dst []byte, claims any) ([]byte, error) {
	js, err := appendClaims(b.json[:0], claims)
	if cap(js) <= maxPooled {
		b.json = js
	}
	if err != nil {
		return dst, err
	}
	start := len(dst)
	m := k.state()
	size := m.size()
	// Room for the token and, past its end, for the MAC before it is encoded.
	if need := len(k.header) + 2 + encodedLen(len(js)) + encodedLen(size) + size; cap(dst)-len(dst) < need {
		dst = append(make([]byte, 0, len(dst)+need), dst...)
	}
	dst = append(dst, k.header...)
	dst = append(dst, '.')
	dst = appendEncode(dst, js)
	scratch := dst[len(dst)+1+encodedLen(size) : len(dst)+1+encodedLen(size)]
	mac := m.appendSum(scratch, dst[start:])
	dst = append(dst, '.')
	return appendEncode(dst, mac), nil
}

// Decode verifies token and decodes its claims set into dst, which must be a non-nil pointer
// to a struct (typically embedding Claims), to a map (map[string]any is read directly, other
// maps through encoding/json after the strict checks), or to an interface; a nil dst only
// verifies. dst is written only when every check
// passed, and then replaced as a whole; on any error it is left exactly as it was.
//
// The checks, in this order, grouped by the stage of the pipeline that makes them, each
// with the error it returns (each segment is decoded by its stage as strict base64url, RFC
// 7515 §2: no padding, no white space, canonical trailing bits, or ErrMalformed):
//   - size and shape: the token is at most want.MaxTokenSize bytes (ErrTooLarge) and has
//     exactly three non-empty segments (ErrMalformed);
//   - header and key choice: the header is at most MaxHeaderSize bytes, a JSON object
//     without crit or b64, and without two members of one object whose names are equal,
//     exactly or under case folding ("kid" and "KID") (ErrMalformed); its kid, when both
//     the token and the key have one, is the key's ID, and a token without kid is the
//     key's, since the caller chose the key (ErrUnknownKey; KeySet.Decode chooses the key
//     by kid instead); its alg is exactly the chosen key's algorithm (ErrAlgorithm; the
//     algorithm is never taken from the token, so "none" or any other algorithm fails);
//   - MAC: the MAC matches, compared in constant time (ErrSignature);
//   - typ: typ matches want.Type when set (ErrTokenType);
//   - claims: the claims set is a JSON object in valid UTF-8, with registered claims of the
//     right types, and without two members of one object, at any depth, whose names are
//     equal exactly or under the case folding encoding/json matches names with ("sub",
//     "SUB", "ſub"), since a destination read by encoding/json would take another of them
//     than the checks did; when the destination's own UnmarshalJSON (or encoding/json, see
//     below) stored registered claims, they are the ones checked, or were left zero
//     (ErrMalformed);
//   - checks: the registered claims satisfy want (ErrExpired, ErrNotYetValid,
//     ErrIssuedInFuture, ErrMissingClaim, ErrIssuer, ErrSubject, ErrAudience).
//
// Only then is dst written (the commit stage).
//
// Member names bind to fields exactly: "SUB" is not sub but a private claim, which a struct
// destination does not hold, at every depth. The reader fills these field types itself:
// strings, numbers, booleans, Audience, NumericDate, interfaces, structs, slices (but of
// bytes) and maps whose key type is string itself, nested in any way. Where encoding/json
// fills the destination (a type with its own UnmarshalJSON or UnmarshalText, a struct with a
// field with the ",string" option, a map of another key type, or any other type the reader
// does not read itself, such as a pointer, an array or a []byte), it is given the claims set with
// each name it would bind to a field by case folding alone replaced by "". As with
// encoding/json, a null element of a slice of strings is read as "", and null for an
// Audience or a NumericDate value is refused (a pointer to one, filled by encoding/json, takes
// null as nil).
//
// A zero or nil key, a negative want.Leeway or want.MaxTokenSize, or a dst that is not such a
// pointer, gives ErrInvalidConfig before the token is looked at.
func (k *Key) Decode(token string, dst any, want Expect) error {
	if err := k.usable(); err != nil {
		return err
	}
	return decodeToken(token, dst, &want, k)
}

// KeySet is a set of keys told apart by their IDs: Decode picks the key named by the token's
// kid, and that key fixes the algorithm. It lets a service rotate keys without downtime:
// sign with the new key while the old one still verifies, and remove the old one once its
// tokens have expired. One key of the set may have no ID: it verifies the tokens without
// kid, the migration path of a deployment whose tokens carry none. A KeySet is immutable and
// safe for concurrent use.
type KeySet struct {
	byID       map[string]*Key
	byHeader   map[string]*Key // by the exact header segment each key writes
	noKid      *Key            // the key without ID, for tokens without kid; may be nil
	lastHeader *atomic.Pointer[headerMemo]
}

// NewKeySet returns a set of keys. It returns ErrInvalidConfig when there are no keys, a key
// is nil or zero (not made by NewKey), two keys share an ID, or more than one key has no
// ID. Create key sets with NewKeySet: Decode of a zero or nil *KeySet returns
// ErrInvalidConfig.
func NewKeySet(keys ...*Key) (*KeySet, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: a key set needs at least one key", ErrInvalidConfig)
	}
	s := &KeySet{byID: make(map[string]*Key, len(keys)), byHeader: make(map[string]*Key, len(keys)), lastHeader: new(atomic.Pointer[headerMemo])}
	for i, k := range keys {
		switch {
		case k.usable() != nil:
			return nil, fmt.Errorf("%w: key %d is nil or zero: create keys with NewKey", ErrInvalidConfig, i)
		case k.kid == "" && s.noKid != nil:
			return nil, fmt.Errorf("%w: key %d is a second key without ID: only one key may verify the tokens without kid, give the others IDs with WithKeyID", ErrInvalidConfig, i)
		case k.kid == "":
			s.noKid = k
		case s.byID[k.kid] != nil:
			return nil, fmt.Errorf("%w: key %d repeats an ID: give each key its own", ErrInvalidConfig, i)
		default:
			s.byID[k.kid] = k
		}
		s.byHeader[k.header] = k
	}
	return s, nil
}

// Decode is Key.Decode with the key chosen by the token's kid: the key of that ID, or for a
// token without kid the set's key without ID. A kid of no key in the set (an unknown or
// retired key), and a token without kid when every key has an ID, give ErrUnknownKey; a
// zero or nil set, ErrInvalidConfig.
func (s *KeySet) Decode(token string, dst any, want Expect) error {
	if s == nil || s.byHeader == nil {
		return fmt.Errorf("%w: the key set is nil or zero: create key sets with NewKeySet", ErrInvalidConfig)
	}
	return decodeToken(token, dst, &want, s)
}

// keySource is what the key-choosing step asks of a Key or a KeySet.
type keySource interface {
	// keyWriting returns the key whose own header segment is exactly hseg, or nil: the
	// common case, a token written by one of the keys, needs no header parsing.
	keyWriting(hseg string) *Key
	// keyFor returns the key for a token whose header has kid ("" when it has none), or
	// ErrUnknownKey.
	keyFor(kid string) (*Key, error)
	// memo holds the source's last header segment of another spelling (see chooseKey).
	memo() *atomic.Pointer[headerMemo]
}

// headerMemo is a header segment that chooseKey parsed, with the key it chose and the typ it
// read, kept once a MAC verified under that key. A token written by another library carries
// the same header on every token ({"alg":"HS256"}, say), and the memo spares parsing it each
// time; as the result depends on the segment and the key source alone, reusing it changes
// no outcome.
type headerMemo struct {
	seg string
	key *Key
	typ string
}

func (k *Key) memo() *atomic.Pointer[headerMemo] { return k.lastHeader }

func (s *KeySet) memo() *atomic.Pointer[headerMemo] { return s.lastHeader }

func (k *Key) keyWriting(hseg string) *Key {
	if hseg == k.header {
		return k
	}
	return nil
}

// keyFor returns k for a token with its kid or without kid: the caller chose the key, so a
// kid is only a hint (RFC 7515 §4.1.4). A key without ID ignores the token's kid.
func (k *Key) keyFor(kid string) (*Key, error) {
	if kid != "" && k.kid != "" && kid != k.kid {
		return nil, fmt.Errorf("%w: the token's kid names another key than this one: verify with a KeySet holding every key in use", ErrUnknownKey)
	}
	return k, nil
}

func (s *KeySet) keyWriting(hseg string) *Key { return s.byHeader[hseg] }

func (s *KeySet) keyFor(kid string) (*Key, error) {
	if kid == "" {
		if s.noKid == nil {
			return nil, fmt.Errorf("%w: the token has no kid and every key of the set has an ID: to verify tokens without kid, add their key to the set without ID", ErrUnknownKey)
		}
		return s.noKid, nil
	}
	if k := s.byID[kid]; k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w: the token's kid names no key of the set (unknown or retired); keep a replaced key in the set until its tokens expire", ErrUnknownKey)
}

// chooseKey is the header stage of the pipeline: it picks the key for the token's header
// segment from src and returns it with the token's typ. The token's own header segment is
// compared with the ones the keys write, then with the one src.memo holds; only another
// spelling is decoded and parsed, and then parsed reports true, for remember.
func chooseKey(src keySource, hseg string) (k *Key, typ string, parsed bool, err error) {
	if k := src.keyWriting(hseg); k != nil {
		return k, k.typ, false, nil
	}
	if m := src.memo().Load(); m != nil && m.seg == hseg {
		return m.key, m.typ, false, nil
	}
	h, err := decodeHeader(hseg)
	if err != nil {
		return nil, "", false, err
	}
	if k, err = src.keyFor(h.KeyID); err != nil {
		return nil, "", false, err
	}
	if h.Algorithm != string(k.alg) {
		return nil, "", false, fmt.Errorf("%w: header alg %s, the key's %q: a token of a replaced key needs that key, in a KeySet, until its tokens expire", ErrAlgorithm, nameAlg(h.Algorithm), k.alg)
	}
	return k, h.Type, true, nil
}

// remember keeps the header segment that chooseKey parsed into k and typ as src's memo, once
// a MAC verified under k: only then, so that tokens nobody signed cannot replace it. The
// segment is copied, so the memo does not hold on to the token.
func remember(src keySource, hseg string, k *Key, typ string) {
	if len(hseg) <= maxReparsedHeader {
		src.memo().Store(&headerMemo{seg: strings.Clone(hseg), key: k, typ: typ})
	}
}

// nameAlg quotes a header's alg for an error text when it is a JWS algorithm name of RFC
// 7518 §3.1 (or EdDSA, RFC 8037), and describes it otherwise: the text never carries
// arbitrary token content.
func nameAlg(alg string) string {
	switch alg {
	case "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
		"PS256", "PS384", "PS512", "EdDSA", "none":
		return strconv.Quote(alg)
	}
	return "of no registered algorithm"
}

// segments splits a compact token into its three segments, without allocating.
func segments(token string) (header, payload, sig string, err error) {
	h := strings.IndexByte(token, '.')
	if h < 0 {
		return "", "", "", fmt.Errorf("%w: want three segments", ErrMalformed)
	}
	p := strings.IndexByte(token[h+1:], '.')
	if p < 0 {
		return "", "", "", fmt.Errorf("%w: want three segments", ErrMalformed)
	}
	p += h + 1
	if strings.IndexByte(token[p+1:], '.') >= 0 {
		return "", "", "", fmt.Errorf("%w: want three segments", ErrMalformed)
	}
	header, payload, sig = token[:h], token[h+1:p], token[p+1:]
	if header == "" || payload == "" || sig == "" {
		return "", "", "", fmt.Errorf("%w: empty segment", ErrMalformed)
	}
	return header, payload, sig, nil
}

// decodePayload decodes a payload segment into a new string, through a stack buffer sized
// for it: Go zeroes a buffer before use, and zeroing 1 KiB for a 200-byte claims set cost
// about a tenth of the time the decoding itself takes; a payload on the heap would be
// allocated twice, as the bytes and as the string.
func decodePayload(seg string) (string, error) {
	var raw []byte
	var err error
	switch n := decodedLen(len(seg)); {
	case n <= 256:
		var buf [256]byte
		raw, err = appendDecode(buf[:0], seg)
	case n <= 2048:
		var buf [2048]byte
		raw, err = appendDecode(buf[:0], seg)
	case n <= 8192:
		return decodeLargePayload(seg)
	default:
		raw, err = appendDecode(nil, seg)
	}
	return string(raw), err
}

// decodeLargePayload is decodePayload for up to 8 KiB, the payload of a token of
// DefaultMaxTokenSize, in a function of its own: the frame of decodePayload stays at 2.3 KiB
// rather than 10.5, so a request's goroutine grows its stack less for an ordinary token.
//
//go:noinline
func decodeLargePayload(seg string) (string, error) {
	var buf [8192]byte
	raw, err := appendDecode(buf[:0], seg)
	return string(raw), err
}

// MaxHeaderSize is the size limit of a token's JOSE header, in bytes of JSON: a header of
// alg, typ and a kid of a hundred bytes takes under 150, and this package reads no other
// member (keys are never taken from the header, so jwk and x5c are of no use). The header is
// read before the MAC is checked, for anyone's token, and the limit keeps that work below
// the MAC's over a token of DefaultMaxTokenSize; a larger header is ErrMalformed.
const MaxHeaderSize = 512

// decodeHeader decodes and parses a header segment of at most MaxHeaderSize bytes.
func decodeHeader(seg string) (Header, error) {
	if n := decodedLen(len(seg)); n > MaxHeaderSize {
		return Header{}, fmt.Errorf("%w: header of %d bytes, over MaxHeaderSize (%d)", ErrMalformed, n, MaxHeaderSize)
	}
	var buf [256]byte
	raw, err := appendDecode(buf[:0], seg)
	if err != nil {
		return Header{}, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	h, err := parseHeader(string(raw))
	switch {
	case err == errNoAlg:
		return h, fmt.Errorf("%w: header: alg missing", ErrAlgorithm)
	case err != nil:
		return h, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	return h, nil
}

// decodeToken runs the verify pipeline of Key.Decode and KeySet.Decode: one stage per group
// of checks of Key.Decode's list, in that order, each returning the first failure. Nothing
// is written into dst before the last stage.
func decodeToken(token string, dst any, want *Expect, src keySource) error {
	out, err := checkCall(dst, want)
	if err != nil {
		return err
	}
	hseg, pseg, sseg, err := checkShape(token, want)
	if err != nil {
		return spaceHint(token, err)
	}
	k, typ, parsed, err := chooseKey(src, hseg)
	if err != nil {
		return spaceHint(token, err)
	}
	if err := checkMAC(k, token[:len(hseg)+1+len(pseg)], sseg); err != nil {
		return spaceHint(token, err)
	}
	if parsed {
		remember(src, hseg, k, typ)
	}
	if err := checkType(typ, want); err != nil {
		return err
	}
	r := claimsRead{d: decoder{required: want.Claims}}
	var tapeBuf [32]pending // the tape of a flat struct, on the stack
	tape, err := r.read(k, pseg, dst, out, tapeBuf[:0])
	if err != nil {
		return err
	}
	if err := checkClaims(&r.c, &r.d, want); err != nil {
		return err
	}
	return r.commit(dst, out, tape)
}

// checkCall is the stage before the token is looked at: dst must be nil or a non-nil pointer
// to a struct, a map or an interface, and want's limits must not be negative
// (ErrInvalidConfig). It returns dst as a reflect.Value for the destinations read through
// reflection, and the zero Value for nil, *Claims and *map[string]any.
func checkCall(dst any, want *Expect) (reflect.Value, error) {
	var out reflect.Value
	switch dst := dst.(type) {
	case nil:
	case *Claims:
		if dst == nil {
			return out, fmt.Errorf("%w: Decode needs a non-nil pointer", ErrInvalidConfig)
		}
	case *map[string]any:
		if dst == nil {
			return out, fmt.Errorf("%w: Decode needs a non-nil pointer", ErrInvalidConfig)
		}
	default:
		out = reflect.ValueOf(dst)
		if out.Kind() != reflect.Pointer || out.IsNil() {
			return out, fmt.Errorf("%w: Decode needs a non-nil pointer", ErrInvalidConfig)
		}
		switch out.Type().Elem().Kind() {
		case reflect.Struct, reflect.Map, reflect.Interface:
		default:
			return out, fmt.Errorf("%w: a claims set cannot be decoded into %s", ErrInvalidConfig, out.Type().Elem())
		}
	}
	if want.Leeway < 0 {
		return out, fmt.Errorf("%w: negative leeway", ErrInvalidConfig)
	}
	if want.MaxTokenSize < 0 {
		return out, fmt.Errorf("%w: negative MaxTokenSize", ErrInvalidConfig)
	}
	return out, nil
}

// checkShape is the size and shape stage: the token is at most want.MaxTokenSize bytes
// (ErrTooLarge) and has three non-empty segments (ErrMalformed), which it returns. Nothing
// is decoded here: each later stage decodes its segment strictly.
func checkShape(token string, want *Expect) (header, payload, sig string, err error) {
	limit := want.MaxTokenSize
	if limit == 0 {
		limit = DefaultMaxTokenSize
	}
	if len(token) > limit {
		return "", "", "", fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(token), limit)
	}
	return segments(token)
}

// spaceHint returns err, the ErrMalformed of a token that starts with an HTTP authentication
// scheme ("Bearer ", in any case) or holds white space, as an ErrMalformed that says to pass
// the token alone: "illegal base64url data at offset 6" does not. It runs on the error path
// only, and names no part of the token but the scheme.
func spaceHint(token string, err error) error {
	if !errors.Is(err, ErrMalformed) {
		return err
	}
	i := strings.IndexAny(token, " \t\r\n")
	switch {
	case i < 0:
		return err
	case i == len("Bearer") && equalFoldASCII(token[:i], "Bearer"):
		return fmt.Errorf("%w: the token starts with the \"Bearer \" of an Authorization header: pass the token alone (jwthttp.BearerToken takes it from a request)", ErrMalformed)
	}
	return fmt.Errorf("%w: white space at offset %d: pass the token alone, without spaces, line breaks or an Authorization scheme", ErrMalformed, i)
}

// checkMAC is the MAC stage: sseg is strict base64url (ErrMalformed) of the MAC of
// signingInput, the received text of header and payload, under k, compared in constant time
// (ErrSignature).
func checkMAC(k *Key, signingInput, sseg string) error {
	var sigBuf [64]byte
	sig, err := appendDecode(sigBuf[:0], sseg)
	if err != nil {
		return fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	if m := k.state(); len(sig) != m.size() || !m.equal(signingInput, sig) {
		return ErrSignature
	}
	return nil
}

// checkType is the typ stage: when want.Type is set, the header's typ is that media type
// (ErrTokenType).
func checkType(typ string, want *Expect) error {
	if want.Type != "" && !sameMediaType(typ, want.Type) {
		return fmt.Errorf("%w: typ", ErrTokenType)
	}
	return nil
}

// checkClaims is the checks stage: the registered claims c, and the claims d captured for
// want.Claims, satisfy want at want's now.
func checkClaims(c *Claims, d *decoder, want *Expect) error {
	now := time.Now
	if want.Now != nil {
		now = want.Now
	}
	return want.validate(c, d, now())
}

// claimsRead is what the claims stage read, for the checks and the commit stages. The claims
// are checked in full before dst is written: a flat struct is checked member by member and
// then filled in place from a tape; other structs and maps are decoded into a fresh value
// that replaces dst only once everything passed.
type claimsRead struct {
	c       Claims         // the registered claims
	m       map[string]any // the claims, for a *map[string]any destination
	p       *plan          // the plan of a struct destination
	fresh   reflect.Value  // a new value the claims are read into before dst
	viaJSON bool           // encoding/json fills fresh from the payload
	d       decoder        // the payload reader, which fills a flat struct from the tape
}

// read is the claims stage: it decodes the payload segment pseg and reads the claims set
// for dst (out is dst as checkCall returned it), refusing what Key.Decode's list refuses
// with ErrMalformed. For a flat struct it returns tape, the members to fill, grown from the
// given one.
func (r *claimsRead) read(k *Key, pseg string, dst any, out reflect.Value, tape []pending) ([]pending, error) {
	payload, err := decodePayload(pseg)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	r.d.s = payload
	var blank []int // names encoding/json must not see (see blankNames)
	switch dst.(type) {
	case nil, *Claims:
		_, _, err = r.d.claimsSet(reflect.Value{}, nil, &r.c, checkOnly, nil) // r.c is the result
	case *map[string]any:
		r.m, err = r.d.claimsMap(&r.c)
	default:
		tape, blank, err = r.readValue(k, out.Type().Elem(), tape)
	}
	if err == nil {
		err = r.d.end()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if r.viaJSON && json.Unmarshal(blankNames(payload, 0, blank), r.fresh.Addr().Interface()) != nil {
		return nil, fmt.Errorf("%w: payload: claims do not fit %s", ErrMalformed, r.fresh.Type())
	}
	if r.p != nil && r.p.checkDelivered && r.fresh.IsValid() && !checkDelivered(r.fresh, r.p, &r.c) {
		return nil, fmt.Errorf("%w: payload: the registered claims %s stores are not the ones in the token; let its own decoding keep them as they are", ErrMalformed, r.fresh.Type())
	}
	return tape, nil
}

// readValue reads the claims set for a destination of type t read through reflection,
// choosing how from its plan: onto the tape (a flat struct), into a fresh struct or map, or
// checked only and then left to encoding/json (r.viaJSON). It returns the tape and, for
// encoding/json, the names to blank.
func (r *claimsRead) readValue(k *Key, t reflect.Type, tape []pending) ([]pending, []int, error) {
	if t.Kind() == reflect.Struct {
		r.p = k.cachedPlan(t)
	}
	var blank []int
	var err error
	switch p := r.p; {
	case p != nil && p.flat:
		tape, _, err = r.d.claimsSet(reflect.Value{}, p, &r.c, intoTape, tape)
	case p != nil && !p.custom:
		r.fresh = reflect.New(t).Elem()
		r.d.shared = true // nested objects: most often several arrays of strings
		_, _, err = r.d.claimsSet(r.fresh, p, &r.c, intoStruct, nil)
	case t == mapType:
		r.fresh = reflect.New(t).Elem()
		_, _, err = r.d.claimsSet(r.fresh, nil, &r.c, intoMap, nil)
	default:
		// Checked strictly here; encoding/json then fills the value.
		r.fresh, r.viaJSON = reflect.New(t).Elem(), true
		_, blank, err = r.d.claimsSet(reflect.Value{}, p, &r.c, checkOnly, nil)
		if err == nil && p == nil {
			// A map or interface that encoding/json fills binds the names of the structs
			// among its values by folding: blank those, as claimsSet does for a struct.
			again := decoder{s: r.d.s}
			again.skipSpace()
			blank, err = again.checkBound(t, nil)
		}
	}
	return tape, blank, err
}

// cachedPlan returns the plan of struct type t, through the key's cache of the last one.
func (k *Key) cachedPlan(t reflect.Type) *plan {
	p := k.lastPlan.Load()
	if p == nil || p.t != t {
		p = planFor(t)
		k.lastPlan.Store(p)
	}
	return p
}

// commit is the last stage, reached only when every check passed: it writes the claims into
// dst, replacing its value as a whole. Filling a flat struct from the tape rereads values
// the claims stage checked, so it cannot fail; an error there is a bug, reported as
// ErrMalformed rather than risked as a panic.
func (r *claimsRead) commit(dst any, out reflect.Value, tape []pending) error {
	switch dst := dst.(type) {
	case nil:
	case *Claims:
		*dst = r.c
	case *map[string]any:
		*dst = r.m
	default:
		if r.fresh.IsValid() {
			out.Elem().Set(r.fresh)
		} else if err := r.d.fill(out.Elem(), r.p, &r.c, tape); err != nil {
			return fmt.Errorf("%w: payload: %v", ErrMalformed, err)
		}
	}
	return nil
}

// InspectUnverified returns the header and the raw claims set of token WITHOUT checking the
// signature or any claim: for debugging and for logs, never for decisions. It applies the
// default size limit and the same strict parsing as Decode (three base64url segments, a
// header of at most MaxHeaderSize bytes with alg and without crit, b64 or members whose
// names are equal exactly or under case folding, a claims set that is a JSON object without
// such members either), returning ErrTooLarge, ErrMalformed or ErrAlgorithm (no alg).
func InspectUnverified(token string) (Header, []byte, error) {
	if len(token) > DefaultMaxTokenSize {
		return Header{}, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(token), DefaultMaxTokenSize)
	}
	hseg, pseg, sseg, err := segments(token)
	if err != nil {
		return Header{}, nil, spaceHint(token, err)
	}
	h, err := decodeHeader(hseg)
	if err != nil {
		return Header{}, nil, spaceHint(token, err)
	}
	if _, err := appendDecode(nil, sseg); err != nil {
		return Header{}, nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	raw, err := appendDecode(nil, pseg)
	if err != nil {
		return Header{}, nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	d := decoder{s: string(raw)}
	if err := d.openObject(); err == nil {
		d.i--
		d.depth--
		if err = d.skipValue(); err == nil {
			err = d.end()
		}
		if err != nil {
			return Header{}, nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
		}
	} else {
		return Header{}, nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	return h, raw, nil
}
