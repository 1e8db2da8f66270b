package jwt

// Tests of the writer's rule: what Encode writes is what encoding/json writes, and Decode reads
// it back to what encoding/json reads; a value for which either fails is refused with
// ErrEncode, never written as a token its own Decode refuses.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// writerKey signs the tokens of the writer tests.
var writerKey = sync.OnceValue(func() *Key {
	k, err := NewKey(HS256, bytes.Repeat([]byte{5}, 32))
	if err != nil {
		panic(err)
	}
	return k
})

// writerExpect decodes the writer tests' tokens: exp not required, every nbf already passed,
// and no size limit in the way.
var writerExpect = Expect{
	skipExpiry:   true,
	Now:          func() time.Time { return time.Unix(maxNumericDate, 0) },
	MaxTokenSize: 1 << 20,
}

// signedPayload returns a token with payload as its claims set, signed by k.
func signedPayload(k *Key, payload []byte) string {
	tok := k.header + "." + string(appendEncode(nil, payload))
	return tok + "." + string(appendEncode(nil, k.state().appendSum(nil, []byte(tok))))
}

// claimsType returns the type Decode fills for claims v: v's own, or what v points to.
func typeOfClaims(v any) reflect.Type {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// stdReadable reports whether encoding/json writes v and Decode reads what it wrote, into
// nothing, into a map[string]any and into a new value of v's type.
func stdReadable(k *Key, v any) bool {
	std, err := json.Marshal(v)
	if err != nil {
		return false
	}
	tok := signedPayload(k, std)
	var m map[string]any
	return k.Decode(tok, nil, writerExpect) == nil && k.Decode(tok, &m, writerExpect) == nil &&
		k.Decode(tok, reflect.New(typeOfClaims(v)).Interface(), writerExpect) == nil
}

// checkEncode holds Encode to its rule on claims v. When Encode accepts v, the claims set is
// exactly what encoding/json writes, and Decode reads the token, into a map[string]any and into
// a new value of v's type, to what encoding/json reads from it. When it refuses, the error is
// ErrEncode alone. It returns whether Encode accepted v and whether Decode reads what
// encoding/json writes for v (see stdReadable).
func checkEncode(t *testing.T, v any) (accepted, readable bool) {
	t.Helper()
	k := writerKey()
	readable = stdReadable(k, v)
	tok, err := k.Encode(v)
	if err != nil {
		if !errors.Is(err, ErrEncode) || !strings.HasPrefix(err.Error(), "jwt: ") {
			t.Fatalf("%T: error %q, want ErrEncode", v, err)
		}
		return false, readable
	}
	std, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: Encode accepted what encoding/json refuses: %v", v, err)
	}
	// Not InspectUnverified: its size limit is Decode's default, and writerExpect lifts it.
	_, seg, _, err := segments(tok)
	if err != nil {
		t.Fatalf("%T: Encode wrote a token of bad segments: %v", v, err)
	}
	payload, err := appendDecode(nil, seg)
	if err != nil {
		t.Fatalf("%T: Encode wrote a payload that is not base64url: %v", v, err)
	}
	if !bytes.Equal(payload, std) {
		t.Fatalf("%T:\nours   %s\ntheirs %s", v, payload, std)
	}
	typ := typeOfClaims(v)
	for _, d := range []struct {
		ours, theirs any
	}{
		{new(map[string]any), new(map[string]any)},
		{reflect.New(typ).Interface(), reflect.New(typ).Interface()},
	} {
		if err := k.Decode(tok, d.ours, writerExpect); err != nil {
			t.Fatalf("%T: Decode into %T refuses what Encode wrote (%s): %v", v, d.ours, payload, err)
		}
		if err := json.Unmarshal(std, d.theirs); err != nil {
			t.Fatalf("%T: encoding/json cannot read %s into %T: %v", v, std, d.theirs, err)
		}
		if !reflect.DeepEqual(d.ours, d.theirs) {
			t.Fatalf("%T: %s read back differently:\nours   %#v\ntheirs %#v", v, payload, d.ours, d.theirs)
		}
	}
	return true, readable
}

// encodeCase is one claims value and what Encode and Decode must make of it.
type encodeCase struct {
	name     string
	claims   any
	accepted bool // Encode accepts it
	readable bool // Decode reads what encoding/json writes for it (see stdReadable)
}

func runEncodeCases(t *testing.T, cases []encodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			accepted, readable := checkEncode(t, tc.claims)
			if accepted != tc.accepted || readable != tc.readable {
				t.Errorf("Encode accepted %v, Decode reads encoding/json's output %v; want %v, %v",
					accepted, readable, tc.accepted, tc.readable)
			}
		})
	}
}

// nestedNode is a claims set of nested objects, one per node.
type nestedNode struct {
	N *nestedNode `json:"n,omitempty"`
}

// selfSlice, selfMap and selfPointer are types that can hold or point to themselves.
type (
	selfSlice   []selfSlice
	selfMap     map[string]selfMap
	selfPointer *selfPointer
)

// TestEncodeCyclicValue is issue 11 §2: a cyclic []any crashed the process with a stack
// overflow. Every cycle is ErrEncode, as encoding/json refuses them too.
func TestEncodeCyclicValue(t *testing.T) {
	slice := []any{nil}
	slice[0] = slice
	m := map[string]any{}
	m["a"] = []any{m}
	var iface any
	iface = &iface
	node := &nestedNode{}
	node.N = node
	self := selfSlice{nil}
	self[0] = self
	withAny := &struct {
		Claims
		Any any `json:"any"`
	}{}
	withAny.Any = []any{withAny}
	selfM := selfMap{}
	selfM["m"] = selfM
	var selfP selfPointer
	selfP = &selfP
	for _, tc := range []struct {
		name   string
		claims any
	}{
		{"[]any holding itself", map[string]any{"x": slice}},
		{"[]any holding itself in a struct field", &struct{ X any }{slice}},
		{"map through []any", m},
		{"interface pointing to itself", map[string]any{"x": iface}},
		{"struct pointer", node},
		{"typed slice", map[string]any{"x": self}},
		{"struct through []any", withAny},
		{"typed map", selfM},
		{"claims pointing to themselves", selfP},
		{"pointer to itself in a map", map[string]any{"p": selfP}},
	} {
		if _, err := json.Marshal(tc.claims); err == nil {
			t.Errorf("%s: encoding/json writes it; the case tests nothing", tc.name)
		}
		if _, err := writerKey().Encode(tc.claims); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: err = %v, want ErrEncode", tc.name, err)
		}
	}
}

// rawJSON writes its text as its JSON form, and reads any JSON value as its text.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func (r *rawJSON) UnmarshalJSON(b []byte) error { *r = rawJSON(b); return nil }

// TestEncodeDepthMatchesDecode is issue 11 §2: a []any nested 70 deep encoded, and Decode
// refused the token. Every array and object counts, the claims set itself included, as Decode
// counts them; pointers and interfaces do not.
func TestEncodeDepthMatchesDecode(t *testing.T) {
	// Each builder returns claims with n levels of arrays and objects, counting the claims set.
	builders := map[string]func(n int) any{
		"[]any": func(n int) any {
			var v any = "leaf"
			for range n - 1 {
				v = []any{v}
			}
			return map[string]any{"x": v}
		},
		"map[string]any": func(n int) any {
			v := map[string]any{"x": 1}
			for range n - 1 {
				v = map[string]any{"x": v}
			}
			return v
		},
		"[]string at the bottom": func(n int) any {
			var v any = []string{"a"}
			for range n - 2 {
				v = []any{v}
			}
			return map[string]any{"x": v}
		},
		"Audience at the bottom": func(n int) any {
			var v any = Audience{"a", "b"}
			for range n - 2 {
				v = []any{v}
			}
			return &struct{ X any }{v}
		},
		"structs": func(n int) any {
			v := &nestedNode{}
			for range n - 1 {
				v = &nestedNode{N: v}
			}
			return v
		},
		"typed slices": func(n int) any {
			v := reflect.ValueOf(1)
			for range n - 1 {
				s := reflect.MakeSlice(reflect.SliceOf(v.Type()), 1, 1)
				s.Index(0).Set(v)
				v = s
			}
			return map[string]any{"x": v.Interface()}
		},
		"pointers between arrays": func(n int) any {
			var v any = "leaf"
			for range n - 1 {
				p := new(any)
				*p = v
				v = []any{&p}
			}
			return map[string]any{"x": v}
		},
		"MarshalJSON output": func(n int) any {
			return map[string]any{"x": rawJSON(strings.Repeat("[", n-1) + strings.Repeat("]", n-1))}
		},
	}
	for name, build := range builders {
		for n := maxDepth - 1; n <= maxDepth+2; n++ {
			t.Run(fmt.Sprintf("%s/%d", name, n), func(t *testing.T) {
				accepted, readable := checkEncode(t, build(n))
				if want := n <= maxDepth; accepted != want || readable != want {
					t.Errorf("%d levels: Encode accepted %v, Decode reads encoding/json's output %v; want both %v",
						n, accepted, readable, want)
				}
			})
		}
	}
}

// withNumber has json.Number fields, which encoding/json writes and reads as numbers.
type withNumber struct {
	Claims
	N json.Number   `json:"n"`
	P *json.Number  `json:"p,omitempty"`
	L []json.Number `json:"l,omitempty"`
	A any           `json:"a,omitempty"`
}

// quotedNumber has a json.Number with the ",string" option.
type quotedNumber struct {
	N json.Number `json:"n,string"`
}

func numberPtr(s string) *json.Number { n := json.Number(s); return &n }

// TestEncodeJSONNumber is issue 11 §4: a json.Number field was written as a string, "1e" was
// written, and a json.Number inside an interface came out as a string.
func TestEncodeJSONNumber(t *testing.T) {
	runEncodeCases(t, []encodeCase{
		{"fraction", &withNumber{N: "12.5"}, true, true},
		{"exponent", &withNumber{N: "-1E+3"}, true, true},
		{"empty is 0", &withNumber{N: ""}, true, true},
		{"big integer", &withNumber{N: "123456789012345678901234567890"}, true, true},
		{"pointer", &withNumber{P: numberPtr("4")}, true, true},
		{"slice", &withNumber{L: []json.Number{"1", "", "2e-3"}}, true, true},
		{"in an interface field", &withNumber{A: json.Number("5")}, true, true},
		{"in a map[string]any", map[string]any{"n": json.Number("6"), "z": json.Number("")}, true, true},
		{"in a map of numbers", map[string]json.Number{"n": "7"}, true, true},
		{"in a []any", map[string]any{"l": []any{json.Number("8")}}, true, true},
		{"with the string option", &quotedNumber{N: "12"}, true, true},
		{"by value", withNumber{N: "9"}, true, true},
		// encoding/json refuses these.
		{"incomplete exponent", &withNumber{N: "1e"}, false, false},
		{"not a number", &withNumber{N: "abc"}, false, false},
		{"hexadecimal", &withNumber{N: "0x10"}, false, false},
		{"leading zero", &withNumber{N: "007"}, false, false},
		{"space", &withNumber{N: " 1"}, false, false},
		{"invalid in an interface field", &withNumber{A: json.Number("1x")}, false, false},
		{"invalid in a map[string]any", map[string]any{"n": json.Number("--1")}, false, false},
		{"invalid pointer", &withNumber{P: numberPtr(".5")}, false, false},
		// encoding/json writes it, and Decode cannot read it into a map[string]any.
		{"beyond float64", &withNumber{N: "1e400"}, false, false},
		{"beyond float64 in a map", map[string]any{"n": json.Number("-1e309")}, false, false},
	})
}

// TestDecodeJSONNumber is issue 11 §4, the reader's side: a number into a json.Number field
// was refused (12.5) and a string that is no number was accepted ("abc").
func TestDecodeJSONNumber(t *testing.T) {
	k := writerKey()
	for _, payload := range []string{
		`{"n":12.5}`, `{"n":-0}`, `{"n":1e400}`, `{"n":"12"}`, `{"n":null}`,
		`{"n":3,"p":4,"l":[1,2.5],"a":5}`,
	} {
		var ours, theirs withNumber
		if err := k.Decode(signedPayload(k, []byte(payload)), &ours, writerExpect); err != nil {
			t.Errorf("%s: %v", payload, err)
			continue
		}
		if err := json.Unmarshal([]byte(payload), &theirs); err != nil {
			t.Errorf("%s: encoding/json: %v", payload, err)
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%s:\nours   %#v\ntheirs %#v", payload, ours, theirs)
		}
	}
	for _, payload := range []string{
		`{"n":"abc"}`, `{"n":"1e"}`, `{"n":true}`, `{"n":[]}`, `{"n":{}}`, `{"p":"x"}`, `{"l":["1",true]}`,
	} {
		ours := withNumber{N: "1"}
		err := k.Decode(signedPayload(k, []byte(payload)), &ours, writerExpect)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", payload, err)
		}
		if ours.N != "1" {
			t.Errorf("%s: destination changed to %#v", payload, ours)
		}
		var theirs withNumber
		if json.Unmarshal([]byte(payload), &theirs) == nil {
			t.Errorf("%s: encoding/json reads it; the case tests nothing", payload)
		}
	}
}

// ptrMarshaled writes and reads itself as "x=N", through pointer methods only.
type ptrMarshaled struct{ N int }

func (p *ptrMarshaled) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, `"x=%d"`, p.N), nil }

func (p *ptrMarshaled) UnmarshalJSON(b []byte) error {
	_, err := fmt.Sscanf(string(b), `"x=%d"`, &p.N)
	return err
}

// ptrTexted writes and reads itself as the text t=N, through pointer methods only.
type ptrTexted struct{ N int }

func (p *ptrTexted) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "t=%d", p.N), nil }

func (p *ptrTexted) UnmarshalText(b []byte) error {
	_, err := fmt.Sscanf(string(b), "t=%d", &p.N)
	return err
}

type withPtrMarshaled struct {
	Claims
	X ptrMarshaled `json:"x"`
	T ptrTexted    `json:"t"`
}

// TestEncodePointerMarshaler is issue 11 §4: a field whose type has a pointer-receiver
// MarshalJSON was written as a plain struct ({"N":7} instead of "x=7"), and the token then
// failed its own Decode. encoding/json calls such a method only on an addressable value:
// Encode does the same, and refuses the value where encoding/json would skip the method.
func TestEncodePointerMarshaler(t *testing.T) {
	runEncodeCases(t, []encodeCase{
		{"claims by pointer", &withPtrMarshaled{X: ptrMarshaled{7}, T: ptrTexted{8}}, true, true},
		{"pointer in a map", map[string]any{"x": &ptrMarshaled{7}, "t": &ptrTexted{8}}, true, true},
		{"slice elements", &struct{ L []ptrMarshaled }{[]ptrMarshaled{{1}, {2}}}, true, true},
		{"slice elements in a map", map[string]any{"l": []ptrTexted{{3}}}, true, true},
		{"array in a struct by pointer", &struct{ A [2]ptrMarshaled }{[2]ptrMarshaled{{1}, {2}}}, true, true},
		{"nil pointer field", &struct{ P *ptrMarshaled }{}, true, true},
		// encoding/json skips the method here and writes {"N":7}, which the type cannot read.
		{"claims by value", withPtrMarshaled{X: ptrMarshaled{7}}, false, false},
		{"map of values", &struct{ M map[string]ptrMarshaled }{map[string]ptrMarshaled{"a": {1}}}, false, false},
		{"array in a map", map[string]any{"a": [1]ptrTexted{{3}}}, false, true},
		// encoding/json writes {"N":7} here, which a map reads; Encode still refuses, as the
		// method the type has for it is not called.
		{"value in a map", map[string]any{"x": ptrMarshaled{7}}, false, true},
		{"value in an interface field", &struct{ X any }{ptrMarshaled{7}}, false, true},
	})
}

type withExtraAudience struct {
	Claims
	Extra Audience `json:"extra"`
	Opt   Audience `json:"opt,omitempty"`
}

// TestEncodeNilAudienceField is issue 11 §4: a nil Audience in a field other than aud was
// written as null, where encoding/json (through Audience.MarshalJSON) writes [].
func TestEncodeNilAudienceField(t *testing.T) {
	runEncodeCases(t, []encodeCase{
		{"nil", &withExtraAudience{}, true, true},
		{"nil by value", withExtraAudience{}, true, true},
		{"empty", &withExtraAudience{Extra: Audience{}}, true, true},
		{"one", &withExtraAudience{Extra: Audience{"a"}, Opt: Audience{"b"}}, true, true},
		{"two", &withExtraAudience{Extra: Audience{"a", "b"}}, true, true},
		{"nil in a map", map[string]any{"extra": Audience(nil)}, true, true},
		{"nil aud in a map", map[string]any{"aud": Audience(nil)}, true, true},
	})
	tok, err := writerKey().Encode(&withExtraAudience{})
	if err != nil {
		t.Fatal(err)
	}
	if _, payload, _ := InspectUnverified(tok); string(payload) != `{"extra":[]}` {
		t.Errorf("payload %s, want {\"extra\":[]}", payload)
	}
}

// TestEncodeRegisteredClaimTypes: Decode reads the registered claims strictly, so Encode
// refuses a value of another JSON type under their names (issue 11 §4: no token Encode writes
// may fail its own Decode).
func TestEncodeRegisteredClaimTypes(t *testing.T) {
	runEncodeCases(t, []encodeCase{
		{"exp integer", map[string]any{"exp": 1}, true, true},
		{"exp fraction", map[string]any{"exp": 1.5}, true, true},
		{"exp json.Number", map[string]any{"exp": json.Number("2e3")}, true, true},
		{"exp NumericDate", map[string]any{"exp": NewNumericDate(time.Unix(3, 0))}, true, true},
		{"aud string", map[string]any{"aud": "a"}, true, true},
		{"aud []any", map[string]any{"aud": []any{"a", "b"}}, true, true},
		{"aud empty", map[string]any{"aud": []string{}}, true, true},
		{"strings", map[string]string{"iss": "i", "sub": "s", "jti": "j", "aud": "a"}, true, true},
		{"int64 field", &struct {
			Exp int64 `json:"exp"`
		}{5}, true, true},
		{"[]string field", &struct {
			Aud []string `json:"aud"`
		}{[]string{"a"}}, true, true},
		{"nested names are not claims", map[string]any{"x": map[string]any{"exp": "soon", "iss": nil}}, true, true},

		{"exp string", map[string]any{"exp": "1"}, false, false},
		{"exp negative", map[string]any{"exp": -1}, false, false},
		{"exp beyond range", map[string]any{"exp": 1e19}, false, false},
		{"exp absent NumericDate", map[string]any{"exp": NumericDate{}}, false, false},
		{"nbf bool", map[string]any{"nbf": true}, false, false},
		{"iss null", map[string]any{"iss": nil}, false, false},
		{"sub number", map[string]any{"sub": 1}, false, false},
		{"jti array", map[string]any{"jti": []string{"j"}}, false, false},
		{"aud number", map[string]any{"aud": 5}, false, false},
		{"aud mixed array", map[string]any{"aud": []any{"a", 1}}, false, false},
		{"exp in a map of strings", map[string]string{"exp": "1"}, false, false},
		{"exp string field", &struct {
			Exp string `json:"exp"`
		}{"soon"}, false, false},
		{"iss nil pointer field", &struct {
			Iss *string `json:"iss"`
		}{}, false, false},
		{"aud nil []string field", &struct {
			Aud []string `json:"aud"`
		}{}, false, false},
		{"iat from MarshalJSON", &struct {
			Iat rawJSON `json:"iat"`
		}{`"now"`}, false, false},
	})
}

// TestEncodeDateAfterYear9999 is issue 14 §4: `"exp": time.Now().Add(time.Hour).UnixMilli()`
// encoded and verified, a token valid for 57,000 years. A NumericDate counts seconds, and
// Decode refuses one after 9999-12-31T23:59:59Z, so Encode refuses to write it: as a
// NumericDate anywhere, and as a plain number in exp, nbf or iat of the claims set.
func TestEncodeDateAfterYear9999(t *testing.T) {
	ms := time.Unix(1_700_000_000, 0).Add(time.Hour).UnixMilli()
	last, first := time.Unix(253402300799, 0), time.Unix(253402300800, 0)
	runEncodeCases(t, []encodeCase{
		{"Claims exp at the end of 9999", &Claims{ExpiresAt: NewNumericDate(last)}, true, true},
		{"map exp at the end of 9999", map[string]any{"exp": int64(253402300799)}, true, true},
		{"private NumericDate at the end of 9999", map[string]any{"when": NewNumericDate(last)}, true, true},
		{"private number in milliseconds", map[string]any{"when": ms}, true, true},
		{"exp nested in an object", map[string]any{"x": map[string]any{"exp": ms}}, true, true},

		{"Claims exp in 10000", &Claims{ExpiresAt: NewNumericDate(first)}, false, false},
		{"Claims exp in milliseconds", &Claims{ExpiresAt: NewNumericDate(time.Unix(ms, 0))}, false, false},
		{"Claims nbf in milliseconds", &Claims{NotBefore: NewNumericDate(time.Unix(ms, 0))}, false, false},
		{"Claims iat in milliseconds", &Claims{IssuedAt: NewNumericDate(time.Unix(ms, 0))}, false, false},
		{"Claims by value", Claims{ExpiresAt: NewNumericDate(time.Unix(ms, 0))}, false, false},
		{"embedded Claims", &struct {
			Claims
			Name string `json:"name"`
		}{Claims: Claims{ExpiresAt: NewNumericDate(time.Unix(ms, 0))}, Name: "n"}, false, false},
		{"NumericDate field", &struct {
			Exp NumericDate `json:"exp"`
		}{NewNumericDate(time.Unix(ms, 0))}, false, false},
		{"int64 field", &struct {
			Exp int64 `json:"exp"`
		}{ms}, false, false},
		{"map exp int64", map[string]any{"exp": ms}, false, false},
		{"map exp int", map[string]any{"exp": int(ms)}, false, false},
		{"map exp float64", map[string]any{"exp": float64(ms)}, false, false},
		{"map exp json.Number", map[string]any{"exp": json.Number("1.7e12")}, false, false},
		{"map nbf", map[string]any{"nbf": ms}, false, false},
		{"map iat", map[string]any{"iat": ms}, false, false},
		{"map of int64", map[string]int64{"exp": ms}, false, false},
		{"map exp NumericDate", map[string]any{"exp": NewNumericDate(time.Unix(ms, 0))}, false, false},
		// encoding/json fails too: NumericDate.MarshalJSON refuses it.
		{"private NumericDate in milliseconds", map[string]any{"when": NewNumericDate(time.Unix(ms, 0))}, false, false},
	})
}

// rawClaims writes its text as its JSON form, as a whole claims set.
type rawClaims struct{ raw string }

func (r rawClaims) MarshalJSON() ([]byte, error) { return []byte(r.raw), nil }

// TestEncodeAbsentNumericDate: an absent NumericDate is left out as a struct field; anywhere
// else encoding/json writes null, which Decode refuses for a date, so Encode refuses it.
func TestEncodeAbsentNumericDate(t *testing.T) {
	date := NewNumericDate(time.Unix(10, 0))
	runEncodeCases(t, []encodeCase{
		{"set, in a map", map[string]any{"when": date}, true, true},
		{"set, in a slice", &struct{ L []NumericDate }{[]NumericDate{date}}, true, true},

		{"absent, in a slice", &struct{ L []NumericDate }{[]NumericDate{{}}}, false, false},
		{"absent, in a map of dates", &struct{ M map[string]NumericDate }{map[string]NumericDate{"a": {}}}, false, false},
		// A map reads null, but a struct modelling the claims set would not.
		{"absent, in a map", map[string]any{"when": NumericDate{}}, false, true},
	})
}

// withRaw has a field that writes its text as JSON.
type withRaw struct {
	Claims
	R rawJSON `json:"r"`
}

// TestEncodeChecksMarshalerOutput: what a MarshalJSON method writes goes into the token as it
// is, so Encode refuses output Decode would refuse (issue 11 §4).
func TestEncodeChecksMarshalerOutput(t *testing.T) {
	runEncodeCases(t, []encodeCase{
		{"object", &withRaw{R: `{"b":[1,"x",null,true]}`}, true, true},
		{"whole claims set", rawClaims{`{"sub":"s","x":[1]}`}, true, true},

		{"duplicate member", &withRaw{R: `{"a":1,"a":2}`}, false, false},
		{"unpaired surrogate", &withRaw{R: `"\ud800"`}, false, false},
		{"number beyond float64", &withRaw{R: `1e400`}, false, false},
		{"whole claims set with a duplicate", rawClaims{`{"a":1,"a":2}`}, false, false},
		{"whole claims set with exp a string", rawClaims{`{"exp":"x"}`}, false, false},
	})
}

// nestedQuoted is a nested struct with a ",string" field, which encoding/json writes quoted.
type nestedQuoted struct {
	Claims
	In struct {
		Q int `json:"q,string"`
	} `json:"in"`
}

// TestEncodeNestedQuotedOption: a nested struct with a ",string" field was written unquoted,
// and Decode (through encoding/json) then refused the token.
func TestEncodeNestedQuotedOption(t *testing.T) {
	c := &nestedQuoted{}
	c.In.Q = 12
	runEncodeCases(t, []encodeCase{{"nested", c, true, true}})
}

// fuzzedClaims holds values FuzzWriter makes up, in the kinds of field they can take.
type fuzzedClaims struct {
	Claims
	N   json.Number `json:"n"`
	Any any         `json:"any"`
	Aud Audience    `json:"aud2"`
}

// checkEncodeFuzzed holds Encode to its rule (see checkEncode) on the value encoding/json
// reads from js, with numbers as json.Number, under nest more arrays: as a claims set when
// it is an object, in a map and in a struct field, and num as a json.Number field. Encode must
// accept exactly what Decode reads when encoding/json writes it.
func checkEncodeFuzzed(t *testing.T, js, num string, nest uint8) {
	t.Helper()
	var claims []any
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		for range nest % (maxDepth + 8) {
			v = []any{v}
		}
		if m, ok := v.(map[string]any); ok {
			claims = append(claims, m)
		}
		claims = append(claims, map[string]any{"v": v}, &fuzzedClaims{Any: v})
	}
	claims = append(claims, &fuzzedClaims{N: json.Number(num), Aud: Audience{num}})
	for _, c := range claims {
		if accepted, readable := checkEncode(t, c); accepted != readable {
			t.Fatalf("%s under %d arrays: Encode accepted %v, Decode reads encoding/json's output %v",
				js, nest, accepted, readable)
		}
	}
}

// foldedFields has two fields whose names are equal under case folding: encoding/json
// writes both, and Decode refuses an object that names both.
type foldedFields struct {
	Low string `json:"role,omitempty"`
	Up  string `json:"ROLE,omitempty"`
}

// foldedWithClaims has a field whose name folds to the embedded Claims' sub.
type foldedWithClaims struct {
	Claims
	Sub string `json:"SUB,omitempty"`
}

// manyFolded returns a pointer to a new struct with n fields named f0 … f(n-1) and one more
// named upper-case like the last, all set: more fold classes than the 64 of a bitmask.
func manyFolded(n int) any {
	fields := make([]reflect.StructField, n+1)
	for i := range n {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: stringType, Tag: reflect.StructTag(fmt.Sprintf(`json:"f%d"`, i))}
	}
	fields[n] = reflect.StructField{Name: "Last", Type: stringType, Tag: reflect.StructTag(fmt.Sprintf(`json:"F%d"`, n-1))}
	v := reflect.New(reflect.StructOf(fields))
	for i := range n + 1 {
		v.Elem().Field(i).SetString("x")
	}
	return v.Interface()
}

// TestEncodeFoldedDuplicateNames: Decode refuses an object with two members whose names are
// equal under encoding/json's case folding, but Encode wrote such a claims set, from a map or
// from a struct, and its own Decode then refused the token.
func TestEncodeFoldedDuplicateNames(t *testing.T) {
	nineKeys := map[string]any{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9}
	nineKeysFolded := maps.Clone(nineKeys)
	nineKeysFolded["I"] = 10
	runEncodeCases(t, []encodeCase{
		{"distinct names", map[string]any{"sub": "a", "sib": "b", "exp": 4000000000}, true, true},
		{"names equal only under full folding (ß, SS)", map[string]any{"ß": 1, "SS": 2}, true, true},
		{"one of two folded fields written", &foldedFields{Low: "a"}, true, true},
		{"embedded Claims, folded field empty", &foldedWithClaims{Claims: Claims{Subject: "s"}}, true, true},

		{"top-level map", map[string]any{"sub": "a", "SUB": "b", "exp": 4000000000}, false, false},
		{"map in a map", map[string]any{"x": map[string]any{"k": 1, "K": 2}}, false, false},
		{"map in an array", map[string]any{"x": []any{map[string]any{"role": 1, "Role": 2}}}, false, false},
		{"map in an interface field", &fuzzedClaims{Any: map[string]any{"a": 1, "A": 2}}, false, false},
		{"map of strings", &struct {
			M map[string]string `json:"m"`
		}{map[string]string{"name": "", "NAME": ""}}, false, false},
		{"map as the claims set", map[string]int{"nbf": 1, "NBF": 2}, false, false},
		{"non-ASCII folding (long s)", map[string]any{"sub": "a", "ſub": "b"}, false, false},
		{"non-ASCII folding (Kelvin sign)", map[string]any{"kid": 1, "\u212aid": 2}, false, false},
		{"non-ASCII folding (ß, ẞ)", map[string]any{"ß": 1, "ẞ": 2}, false, false},
		{"more keys than the small set", nineKeysFolded, false, false},
		{"two folded fields written", &foldedFields{Low: "a", Up: "b"}, false, false},
		{"more fold classes than a bitmask holds", manyFolded(70), false, false},
		{"embedded Claims and a folded field", &foldedWithClaims{Claims: Claims{Subject: "s"}, Sub: "t"}, false, false},
		{"folded fields in a nested struct", &struct {
			In foldedFields `json:"in"`
		}{foldedFields{Low: "a", Up: "b"}}, false, false},
	})
}
