package jwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// diffClaims exercises every kind of the plan-driven reader and writer.
type diffClaims struct {
	Claims
	Name   string            `json:"name"`
	Admin  bool              `json:"admin"`
	N      int32             `json:"n"`
	U      uint8             `json:"u"`
	F      float64           `json:"f"`
	Tags   []string          `json:"tags"`
	Any    any               `json:"any"`
	M      map[string]any    `json:"m"`
	Nested struct{ A int }   `json:"nested"`
	Other  map[string]string `json:"other,omitempty"`
	Skip   string            `json:"-"`
	// Nested objects the reader reads itself, as identity providers write them.
	Access  access            `json:"access"`
	Clients map[string]access `json:"clients"`
	List    []access          `json:"list"`
	Nums    []int16           `json:"nums"`
}

type access struct {
	Roles []string `json:"roles"`
	Level int      `json:"level"`
	G     Audience `json:"g"`
	Inner *struct {
		N NumericDate `json:"n"`
	} `json:"inner"`
}

// readClaims runs the claims-set reader as Decode does, on a fresh value.
func readClaims(s string) (diffClaims, Claims, error) {
	var out diffClaims
	var c Claims
	d := decoder{s: s}
	_, _, err := d.claimsSet(reflect.ValueOf(&out).Elem(), planFor(reflect.TypeFor[diffClaims]()), &c, intoStruct, nil)
	if err == nil {
		err = d.end()
	}
	return out, c, err
}

type roleList []string

// flatClaims has only fields of the kinds a flat plan allows, so Decode checks its members
// first and then fills the destination in place (claimsSet with a tape, then fill), zeroing
// field by field what the claims set does not name. (TestDecodeReplacesStruct covers a flat
// struct with an unexported field, which fill zeroes as a whole.)
type flatClaims struct {
	Claims
	Name  string      `json:"name"`
	Admin bool        `json:"admin"`
	N     int32       `json:"n"`
	U     uint8       `json:"u"`
	F     float64     `json:"f"`
	Tags  []string    `json:"tags"`
	Roles roleList    `json:"roles"`
	When  NumericDate `json:"when"`
}

// flatFilled is what a destination holds before readFlat: every field set, so that a value
// the reader fails to replace shows.
func flatFilled() flatClaims {
	return flatClaims{
		Claims: Claims{Issuer: "old", Audience: Audience{"old"}, ExpiresAt: NewNumericDate(time.Unix(9, 0))},
		Name:   "old", Admin: true, N: -1, U: 1, F: 1, Tags: []string{"old"}, Roles: roleList{"old"},
		When: NewNumericDate(time.Unix(7, 0)),
	}
}

// readFlat runs the reader as Decode does for a flat plan: members checked into a tape,
// then filled into a destination that held other values. On error the destination must be
// untouched.
func readFlat(s string) (flatClaims, error) {
	out := flatFilled()
	p := planFor(reflect.TypeFor[flatClaims]())
	var c Claims
	d := decoder{s: s}
	var buf [4]pending // small, so that larger claims sets take the path that grows it
	tape, _, err := d.claimsSet(reflect.Value{}, p, &c, intoTape, buf[:0])
	if err == nil {
		err = d.end()
	}
	if err != nil {
		if !reflect.DeepEqual(out, flatFilled()) {
			return out, fmt.Errorf("destination written before fill: %w", err)
		}
		return out, err
	}
	err = d.fill(reflect.ValueOf(&out).Elem(), p, &c, tape)
	return out, err
}

// customClaims reads itself, so encoding/json fills it after the strict checks.
type customClaims struct{ Name string }

func (c *customClaims) UnmarshalJSON(b []byte) error { c.Name = string(b); return nil }

func TestPlanFlat(t *testing.T) {
	type withPointer struct {
		*Claims
		Name string `json:"name"`
	}
	type withMap struct {
		Claims
		M map[string]any `json:"m"`
	}
	for _, tc := range []struct {
		t    reflect.Type
		flat bool
	}{
		{reflect.TypeFor[flatClaims](), true},
		{reflect.TypeFor[Claims](), true},
		{reflect.TypeFor[diffClaims](), false},
		{reflect.TypeFor[withPointer](), false},
		{reflect.TypeFor[withMap](), false},
		{reflect.TypeFor[customClaims](), false},
	} {
		if got := planFor(tc.t).flat; got != tc.flat {
			t.Errorf("%v: flat = %v, want %v", tc.t, got, tc.flat)
		}
	}
}

func TestReadFlatMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`,
		`{"iss":"a","sub":"b","aud":"c","exp":1,"nbf":2,"iat":3,"jti":"d","name":"n","admin":true}`,
		`{"admin":false,"name":"\u00e9\n","n":-5,"u":255,"f":1e-7,"tags":["a"],"roles":["r","s"],"when":1.5}`,
		`{"tags":null,"roles":[],"name":null,"unknown":{"deep":[[[]]]},"when":0}`,
		`{"name":"x"}`,
	} {
		matchEncodingJSON(t, in, readFlat)
	}
	for _, in := range []string{`{"name":1}`, `{"n":2147483648}`, `{"u":-1}`, `{"tags":"a"}`, `{"roles":[1]}`,
		`{"when":"1"}`, `{"name":"a","name":"b"}`, `{"admin":true,"f":1e999}`, `{"exp":1,"name":"\ud800"}`} {
		if _, err := readFlat(in); err == nil || strings.Contains(err.Error(), "before fill") {
			t.Errorf("%s: err = %v, want a refusal that left the destination alone", in, err)
		}
	}
}

// TestDigits8 checks the word-at-a-time digit reader against a byte loop, on every byte value
// at every position around digit strings.
func TestDigits8(t *testing.T) {
	slow := func(s string) (uint64, bool) {
		var v uint64
		for i := 0; i < 8; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			v = v*10 + uint64(s[i]-'0')
		}
		return v, true
	}
	for _, base := range []string{"00000000", "12345678", "99999999", "17640036"} {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				s := base[:pos] + string(rune(c))[:1] + base[pos+1:]
				if c >= 0x80 {
					s = base[:pos] + string([]byte{byte(c)}) + base[pos+1:]
				}
				v, ok := digits8(s)
				wv, wok := slow(s)
				if v != wv || ok != wok {
					t.Fatalf("digits8(%q) = %d, %v; want %d, %v", s, v, ok, wv, wok)
				}
			}
		}
	}
}

func TestReadClaimsMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`,
		` {"iss":"a","sub":"b","aud":"c","exp":1,"nbf":2,"iat":3,"jti":"d"} `,
		`{"aud":["x","y"],"exp":1.5,"name":"\u00e9\ud83d\ude00\n","admin":true,"n":-5,"u":255,"f":1e-7}`,
		`{"tags":["a","b"],"any":{"k":[1,"2",null,true]},"m":{"x":{}},"nested":{"A":3},"other":{"p":"q"}}`,
		`{"tags":null,"any":null,"m":null,"name":null,"unknown":{"deep":[[[]]]}}`,
	} {
		matchEncodingJSON(t, in, func(in string) (diffClaims, error) {
			ours, _, err := readClaims(in)
			return ours, err
		})
	}
}

// matchEncodingJSON checks that read accepts in and gives what encoding/json gives.
func matchEncodingJSON[T any](t *testing.T, in string, read func(string) (T, error)) {
	t.Helper()
	ours, err := read(in)
	if err != nil {
		t.Errorf("%s: %v", in, err)
		return
	}
	var theirs T
	if err := json.Unmarshal([]byte(in), &theirs); err != nil {
		t.Errorf("%s: encoding/json: %v", in, err)
		return
	}
	if !reflect.DeepEqual(ours, theirs) {
		t.Errorf("%s:\nours   %#v\ntheirs %#v", in, ours, theirs)
	}
}

// TestReadClaimsStrictness lists every input where the reader is deliberately stricter than
// encoding/json, with the rule that decides it.
func TestReadClaimsStrictness(t *testing.T) {
	for _, tc := range []struct{ rule, in string }{
		{"duplicate member", `{"name":"a","name":"b"}`},
		{"duplicate registered member", `{"exp":1,"exp":2}`},
		{"duplicate unknown member", `{"x":1,"x":1}`},
		{"duplicate nested member", `{"any":{"a":1,"a":2}}`},
		{"duplicate via escape", `{"exp":1,"\u0065xp":2}`},
		{"names equal under folding", `{"name":"a","NAME":"b"}`},
		{"registered names equal under folding", `{"sub":"a","ſub":"b"}`},
		{"unknown names equal under folding", `{"x":1,"X":2}`},
		{"nested names equal under folding", `{"nested":{"A":1,"a":2}}`},
		{"map keys equal under folding", `{"m":{"k":1,"\u212a":2}}`},
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}"},
		{"invalid UTF-8 in unknown member", "{\"x\":\"\xc3\"}"},
		{"unpaired high surrogate", `{"name":"\ud800"}`},
		{"unpaired low surrogate", `{"name":"\udc00x"}`},
		{"registered claim null", `{"iss":null}`},
		{"nesting deeper than 64", `{"any":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`},
	} {
		if _, _, err := readClaims(tc.in); err == nil {
			t.Errorf("%s: %q accepted", tc.rule, tc.in)
		}
		var theirs diffClaims
		if err := json.Unmarshal([]byte(tc.in), &theirs); err != nil {
			t.Errorf("%s: %q: encoding/json rejects it too (%v): not a difference", tc.rule, tc.in, err)
		}
	}
	// Names match exactly: encoding/json would fill Name from "NAME".
	ours, _, err := readClaims(`{"NAME":"x","Admin":true}`)
	if err != nil || ours.Name != "" || ours.Admin {
		t.Errorf("case-variant names: %+v, %v", ours, err)
	}
}

// TestReadClaimsRejects covers inputs both readers refuse.
func TestReadClaimsRejects(t *testing.T) {
	for _, in := range []string{
		``, `[]`, `"x"`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,"a":1}`, `{"a":1}x`, `{"a":1}{}`,
		`{"a":tru}`, `{"a":nul}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`,
		"{\"a\":\"\x01\"}", `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"abc`,
		`{"iss":1}`, `{"sub":true}`, `{"jti":[]}`, `{"aud":1}`, `{"aud":["a",1]}`, `{"aud":{}}`,
		`{"exp":"1"}`, `{"exp":true}`, `{"exp":null}`, `{"exp":-1}`, `{"exp":1e19}`, `{"exp":1e400}`,
		`{"nbf":[1]}`, `{"iat":{}}`, `{"n":1.5}`, `{"n":3000000000}`, `{"u":-1}`, `{"u":256}`,
		`{"f":1e400}`, `{"admin":"true"}`, `{"tags":"a"}`, `{"tags":[1]}`, `{"m":[]}`,
		`{"nested":{"A":"x"}}`, `{"name":1}`,
	} {
		if _, _, err := readClaims(in); err == nil {
			t.Errorf("%q accepted", in)
		} else if strings.Contains(err.Error(), in) && len(in) > 3 {
			t.Errorf("%q: error quotes the input: %v", in, err)
		}
	}
}

func TestParseNumericDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		sec  int64
		nsec int32
		ok   bool
	}{
		{"0", 0, 0, true},
		{"1700000000", 1700000000, 0, true},
		{"1700000000.5", 1700000000, 500000000, true},
		{"1.7e9", 1700000000, 0, true},
		{"17E8", 1700000000, 0, true},
		{"1.5e-1", 0, 150000000, true},
		{"0.000000001", 0, 1, true},
		{"0.0000000009", 0, 0, true},
		{"1e-100000", 0, 0, true},
		{"0e5", 0, 0, true},
		{"1.123456789999", 1, 123456789, true},
		{"9223372036854775807", 0, 0, false},
		{"9223372036854775807.0", 0, 0, false},
		{"253402300799", 253402300799, 0, true}, // the end of the year 9999, the latest accepted
		{"253402300799.999999999", 253402300799, 999999999, true},
		{"2.53402300799e11", 253402300799, 0, true},
		{"253402300800", 0, 0, false}, // the year 10000: milliseconds, most likely
		{"1700003600000", 0, 0, false},
		{"9223371974719179007", 0, 0, false},
		{"1e19", 0, 0, false},
		{"1e400", 0, 0, false},
		{"-1", 0, 0, false},
		{"-0", 0, 0, false},
		{"1.", 0, 0, false},
		{"", 0, 0, false},
		{"\"1\"", 0, 0, false},
		{"1 ", 0, 0, false},
	} {
		d, err := parseNumericDate(tc.in)
		if (err == nil) != tc.ok || tc.ok && (d.sec != tc.sec || d.nsec != tc.nsec || !d.set) {
			t.Errorf("%q: got %+v, %v; want %d.%09d ok=%v", tc.in, d, err, tc.sec, tc.nsec, tc.ok)
		}
	}
}

// writesLikeEncodingJSON checks that the writer writes v exactly as json.Marshal does, and
// returns json.Marshal's output.
func writesLikeEncodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	ours, err := appendClaims(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Errorf("writer:\nours   %s\ntheirs %s", ours, theirs)
	}
	return theirs
}

func TestWriterMatchesEncodingJSON(t *testing.T) {
	c := diffClaims{
		Claims: Claims{Issuer: "<a&b>", Subject: "\u2028\u2029\x00\x1f\"\\/", Audience: Audience{"one"},
			ExpiresAt: NumericDate{sec: 1700000000, set: true}, ID: "é😀"},
		Name: "x", N: -7, U: 200, F: 1e21, Tags: []string{"a"}, Any: map[string]any{"z": 1.5, "a": []any{nil, true}},
		M: map[string]any{"k": "v"}, Other: map[string]string{"b": "2", "a": "1"}, Skip: "never",
	}
	c.Nested.A = 9
	theirs := writesLikeEncodingJSON(t, &c)
	back, _, err := readClaims(string(theirs))
	if err != nil {
		t.Fatal(err)
	}
	c.Skip = ""
	if !reflect.DeepEqual(back, func() diffClaims {
		var want diffClaims
		json.Unmarshal(theirs, &want)
		return want
	}()) {
		t.Errorf("round trip: %+v", back)
	}
}

func TestWriterRejects(t *testing.T) {
	for name, v := range map[string]any{
		"invalid UTF-8":      map[string]any{"a": "\xff"},
		"invalid UTF-8 key":  map[string]any{"\xff": 1},
		"NaN":                map[string]any{"a": math.NaN()},
		"infinity":           &struct{ F float64 }{math.Inf(1)},
		"channel":            map[string]any{"a": make(chan int)},
		"function":           &struct{ F func() }{func() {}},
		"not an object":      []string{"a"},
		"nil":                nil,
		"string":             "claims",
		"bad json.Number":    map[string]any{"a": json.Number("1x")},
		"invalid UTF-8 aud":  &Claims{Audience: Audience{"\xff"}},
		"invalid UTF-8 tags": &diffClaims{Tags: []string{"\xfe"}},
	} {
		if _, err := appendClaims(nil, v); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: got %v, want ErrEncode", name, err)
		}
	}
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	if _, err := appendClaims(nil, cyclic); !errors.Is(err, ErrEncode) {
		t.Errorf("cyclic map: got %v", err)
	}
}

// FuzzReadClaims is the differential check of the claims reader against encoding/json, for
// every kind of destination: the reader with a plan (diffClaims), a flat plan filled in
// place (flatClaims), and Decode into a type with a ",string" field, a type with its own
// UnmarshalJSON, a map and *Claims. The reference is encoding/json reading the same text
// under the one documented naming rule, that a member binds to a field only by its exact
// name: every member name that equals a field's only under folding is replaced by "" first
// (exactNames, written on encoding/json's tokens). Where both accept, the values are equal;
// the reader never accepts what the reference refuses, nor anything a strictness rule
// refuses; where only the reference accepts, a documented strictness rule applies.
func FuzzReadClaims(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"iss":"a","aud":["b"],"exp":1.5,"name":"n","admin":true,"n":1,"u":2,"f":3}`,
		`{"any":{"a":[1,{"b":null}]},"m":{"x":"y"},"tags":["t"],"nested":{"A":1}}`,
		`{"name":"a","name":"b"}`, `{"NAME":"x"}`, "{\"name\":\"\xff\"}", `{"name":"\ud800"}`,
		`{"iss":null}`, `{"exp":"1"}`, `{"aud":[1]}`, `{"n":1e2}`, `{"other":{"a":"b","a":"c"}}`,
		// issue 11 §1: names equal under folding, at the top and nested, and alone.
		`{"sub":"alice","exp":2000,"q":"1","SUB":"admin"}`, `{"sub":"alice","ſub":"bob"}`, `{"SUB":"admin","q":"2"}`,
		`{"nested":{"A":1,"a":2}}`, `{"nested":{"a":2}}`, `{"ſ":1,"s":2}`, `{"\u212a":1,"k":2}`, `{"Name":"x","name":"y"}`,
		`{"m":{"k":1,"K":2}}`, `{"any":[{"x":1,"X":2}]}`, `{"s":"x","S":"y"}`, `{"ROLE":"r","tags":["a"]}`,
		// nested structs and maps of them, read by the reader itself
		`{"access":{"roles":["a"],"level":1,"LEVEL":2}}`, `{"access":{"LEVEL":2}}`, `{"access":null,"clients":null}`,
		`{"clients":{"a":{"roles":["x"]},"b":null,"c":{}}}`, `{"clients":{"a":{"ROLES":["x"]}}}`, `{"access":5}`,
		`{"clients":{"a":1}}`, `{"clients":{"a":{},"A":{}}}`, `{"clients":{"a":{},"a":{}}}`, `{"access":{"inner":{"n":1}}}`,
		`{"access":{"inner":null}}`, `{"access":{"inner":{"n":null}}}`, `{"clients":{"\u0061":{"level":-1}}}`,
		`{"access":{"g":null}}`, `{"access":{"g":["a",null]}}`, `{"access":{"g":"x"}}`, `{"tags":["a",null]}`,
		`{"access":{"roles":[null,"x"]}}`, `{"clients":{"a":{"roles":[null]}}}`,
		`{"list":[{"roles":["a"]},null,{}],"nums":[1,null,-3]}`, `{"list":[],"nums":[]}`, `{"list":[{"level":1,"LEVEL":2}]}`,
		`{"nums":[40000]}`, `{"list":[{"g":null}]}`, `{"list":null,"nums":null}`,
	} {
		f.Add(s)
	}
	f.Add(`{"roles":["a"],"when":1,"n":-1,"tags":[],"admin":false,"name":"\u0041"}`)
	k, err := NewKey(HS256, bytes.Repeat([]byte{5}, 32))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ours, _, errOurs := readClaims(in)
		compareWithReference(t, in, ours, errOurs)
		flat, errFlat := readFlat(in)
		if errFlat != nil && strings.Contains(errFlat.Error(), "before fill") {
			t.Fatal(errFlat)
		}
		compareWithReference(t, in, flat, errFlat)
		compareDecoded[quotedOption](t, k, in)
		compareDecoded[selfDecoding](t, k, in)
		compareDecoded[map[string]any](t, k, in)
		compareDecoded[Claims](t, k, in)
	})
}

// selfDecoding has its own UnmarshalJSON, which hands the text to encoding/json on a copy
// without the method, as most such methods do.
type selfDecoding struct {
	Claims
	Name   string          `json:"name"`
	Nested struct{ A int } `json:"nested"`
}

func (s *selfDecoding) UnmarshalJSON(b []byte) error {
	type plain selfDecoding
	return json.Unmarshal(b, (*plain)(s))
}

// compareDecoded decodes in, signed by k, into a new T with Decode and compares the result
// with the reference.
func compareDecoded[T any](t *testing.T, k *Key, in string) {
	t.Helper()
	tok := k.header + "." + string(appendEncode(nil, []byte(in)))
	tok += "." + string(appendEncode(nil, k.state().appendSum(nil, []byte(tok))))
	var ours T
	// Dates never fail the checks: exp is not looked at, and now is the latest instant.
	want := Expect{skipExpiry: true, Now: func() time.Time { return time.Unix(maxNumericDate, 0) }, MaxTokenSize: 1 << 20}
	err := k.Decode(tok, &ours, want)
	if err != nil && !errors.Is(err, ErrMalformed) {
		t.Fatalf("%T: %v", ours, err)
	}
	compareWithReference(t, in, ours, err)
}

// compareWithReference fails t unless the reader's result (ours, errOurs) on in agrees with
// encoding/json reading exactNames(in) into a new T, up to the documented strictness rules.
func compareWithReference[T any](t *testing.T, in string, ours T, errOurs error) {
	t.Helper()
	var theirs T
	errTheirs := errors.New("not JSON")
	if ref, ok := exactNames(in, reflect.TypeFor[T]()); ok {
		errTheirs = json.Unmarshal([]byte(ref), &theirs)
	}
	rule := strictnessRule(in)
	switch {
	case errOurs == nil && errTheirs != nil:
		t.Fatalf("%T: accepted what encoding/json refuses (%v)", ours, errTheirs)
	case errOurs == nil && rule != "":
		t.Fatalf("%T: accepted what the rule %q refuses", ours, rule)
	case errOurs == nil:
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("%T: values differ:\nours   %#v\ntheirs %#v", ours, ours, theirs)
		}
	case errTheirs == nil && rule == "":
		t.Fatalf("%T: refused (%v) for no documented reason", ours, errOurs)
	}
}

// exactNames rewrites the JSON text in, for encoding/json to read into a value of type t,
// so that it binds member names exactly: a member whose name equals a struct field's name
// only under case folding (strings.EqualFold, as encoding/json compares them) gets the name
// "", which no field has. It reports false when in is not valid JSON.
func exactNames(in string, t reflect.Type) (string, bool) {
	if !json.Valid([]byte(in)) {
		return "", false
	}
	dec := json.NewDecoder(strings.NewReader(in))
	dec.UseNumber()
	var out bytes.Buffer
	if err := exactValue(dec, t, &out); err != nil {
		return "", false
	}
	return out.String(), true
}

// exactValue copies the next JSON value of dec to out, for a Go value of type t (nil when
// nothing binds inside it).
func exactValue(dec *json.Decoder, t reflect.Type, out *bytes.Buffer) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok := tok.(type) {
	case json.Delim:
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Map || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		if tok == '[' {
			out.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if err := exactValue(dec, elem, out); err != nil {
					return err
				}
			}
			out.WriteByte(']')
		} else {
			out.WriteByte('{')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				nameTok, err := dec.Token()
				if err != nil {
					return err
				}
				name := nameTok.(string)
				ft := elem
				if t != nil && t.Kind() == reflect.Struct {
					var exact bool
					ft, exact = jsonField(t, name)
					if ft != nil && !exact {
						name, ft = "", nil
					}
				}
				b, _ := json.Marshal(name)
				out.Write(b)
				out.WriteByte(':')
				if err := exactValue(dec, ft, out); err != nil {
					return err
				}
			}
			out.WriteByte('}')
		}
		_, err := dec.Token() // the closing delimiter
		return err
	case json.Number:
		out.WriteString(tok.String())
	default:
		b, _ := json.Marshal(tok)
		out.Write(b)
	}
	return nil
}

// jsonField returns the type of the field of struct type t that encoding/json binds name to,
// and whether the field's name is exactly name; nil when there is none. It knows as much of
// encoding/json's naming as the test types use: tags, "-", untagged names, embedded structs.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	var folded reflect.Type
	for _, sf := range reflect.VisibleFields(t) {
		if !sf.IsExported() || sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("json") == "" {
			continue
		}
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch tag {
		case "-":
			continue
		case "":
			tag = sf.Name
		}
		if tag == name {
			return sf.Type, true
		}
		if folded == nil && strings.EqualFold(tag, name) {
			folded = sf.Type
		}
	}
	return folded, false
}

// strictnessRule names the documented rule that makes the reader refuse in, or "".
func strictnessRule(in string) string {
	if !utf8.ValidString(in) {
		return "invalid UTF-8"
	}
	if !strings.HasPrefix(strings.TrimLeft(in, " \t\r\n"), "{") {
		return "claims set is not an object" // encoding/json reads null into a struct as nothing
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(in), &m) == nil {
		for _, name := range registered {
			if v, ok := m[name]; ok && string(bytes.TrimSpace(v)) == "null" {
				return "registered claim null"
			}
		}
		var c Claims // read with the types of RFC 7519 §4.1, whatever the destination
		if ref, ok := exactNames(in, claimsType); ok && json.Unmarshal([]byte(ref), &c) != nil {
			return "registered claim of the wrong type"
		}
	}
	dec := json.NewDecoder(strings.NewReader(in))
	type level struct {
		object bool
		names  []string
		key    bool // the next token in this object is a name
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ""
		}
		if len(stack) > maxDepth-1 {
			return "nesting deeper than 64"
		}
		top := len(stack) - 1
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				if top >= 0 && stack[top].object {
					stack[top].key = true
				}
				stack = append(stack, level{object: tok == '{', key: true})
			default:
				stack = stack[:top]
			}
			continue
		case string:
			if strings.ContainsRune(tok, utf8.RuneError) && !strings.Contains(in, "\\ufffd") && !strings.Contains(strings.ToLower(in), "\\ufffd") && !strings.ContainsRune(in, utf8.RuneError) {
				return "unpaired surrogate"
			}
			if top >= 0 && stack[top].object && stack[top].key {
				for _, n := range stack[top].names {
					if strings.EqualFold(n, tok) {
						return "duplicate member (names equal under case folding)"
					}
				}
				stack[top].names = append(stack[top].names, tok)
				stack[top].key = false
				continue
			}
		}
		if top >= 0 && stack[top].object {
			stack[top].key = true
		}
	}
	return ""
}

// FuzzWriter checks that what Encode writes for arbitrary strings and numbers is JSON that
// encoding/json and the reader both decode to the same values, and that Encode accepts a
// value made from js and tag exactly when its own Decode reads it (checkEncodeFuzzed), and
// a map with name and tag as keys too (which two names Decode refuses in one object).
func FuzzWriter(f *testing.F) {
	f.Add("a", "<&>\u2028", 1.5, int32(-3), "x", `{"exp":1,"aud":["a"],"x":[1.5e3,{"y":null}]}`, uint8(0))
	f.Add("\x00\x1f\"\\", "é😀", 1e21, int32(7), "", `[[["\ud800",true]]]`, uint8(62))
	f.Add("i", "n", 0.0, int32(0), "1e400", `{"iss":null,"sub":1}`, uint8(63))
	f.Add("i", "n", 0.25, int32(0), "-0.5E-7", `-1e309`, uint8(1))
	f.Add("i", "n", 0.0, int32(0), "", `{"sub":"a","x":{"k":1,"K":2},"SUB":"b"}`, uint8(0))
	f.Fuzz(func(t *testing.T, iss, name string, fl float64, n int32, tag, js string, nest uint8) {
		checkEncodeFuzzed(t, js, tag, nest)
		if utf8.ValidString(iss) && utf8.ValidString(name) && utf8.ValidString(tag) {
			if accepted, readable := checkEncode(t, map[string]any{name: n, tag: iss}); accepted != readable {
				t.Fatalf("names %q, %q: Encode accepted %v, Decode reads encoding/json's output %v", name, tag, accepted, readable)
			}
		}
		c := diffClaims{Claims: Claims{Issuer: iss, Audience: Audience{tag}}, Name: name, F: fl, N: n, Tags: []string{tag, name}}
		out, err := appendClaims(nil, &c)
		valid := utf8.ValidString(iss) && utf8.ValidString(name) && utf8.ValidString(tag) && !math.IsNaN(fl) && !math.IsInf(fl, 0)
		if !valid {
			if !errors.Is(err, ErrEncode) {
				t.Fatalf("invalid input encoded: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		theirs, _ := json.Marshal(&c)
		if !bytes.Equal(out, theirs) {
			t.Fatalf("\nours   %s\ntheirs %s", out, theirs)
		}
		back, _, err := readClaims(string(out))
		if err != nil {
			t.Fatal(err)
		}
		if back.Issuer != iss || back.Name != name || back.F != fl || back.N != n || !reflect.DeepEqual(back.Tags, c.Tags) {
			t.Fatalf("round trip changed values: %+v", back)
		}
	})
}

// FuzzParseHeader checks the header reader against encoding/json: whatever it accepts is a
// JSON object that encoding/json reads to the same alg, typ, kid and cty, without crit or b64
// and without duplicate names; and it never accepts what encoding/json refuses.
func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{
		`{"alg":"HS256","typ":"JWT"}`, `{"typ":"JWT",` + "\r\n" + ` "alg":"HS256"}`,
		`{"alg":"HS256","kid":"k1","cty":"JWT","x5u":"https://x"}`, `{"alg":"none"}`, `{"alg":1}`,
		`{"alg":"HS256","alg":"HS256"}`, `{"alg":"HS256","crit":["exp"]}`, `{"alg":"HS256","b64":false}`,
		`{"alg":"HS256","kid":"a\",\"alg\":\"none"}`, `{"alg":"HS\u0032"}`, `{"typ":"JWT"}`, `[]`, `{"alg":"HS256"}x`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, err := parseHeader(in)
		var ref map[string]any
		refErr := json.Unmarshal([]byte(in), &ref)
		if err != nil {
			return
		}
		if refErr != nil {
			t.Fatalf("accepted what encoding/json refuses (%v)", refErr)
		}
		if !utf8.ValidString(in) {
			t.Fatal("accepted invalid UTF-8")
		}
		if _, ok := ref["crit"]; ok {
			t.Fatal("accepted crit")
		}
		if _, ok := ref["b64"]; ok {
			t.Fatal("accepted b64")
		}
		if rule := strictnessRule(in); strings.HasPrefix(rule, "duplicate member") {
			t.Fatal("accepted members whose names are equal under case folding")
		}
		for name, got := range map[string]string{"alg": h.Algorithm, "typ": h.Type, "kid": h.KeyID, "cty": h.ContentType} {
			want, present := ref[name]
			if name == "alg" && !present {
				t.Fatal("accepted a header without alg")
			}
			if present && want != got || !present && got != "" {
				t.Fatalf("%s: got %q, encoding/json reads %v", name, got, want)
			}
		}
	})
}

type role string

// oddFields has a slice of a named string type and tag names encoding/json does not accept
// (it then uses the Go field name), one of them invalid UTF-8.
type oddFields struct {
	Claims
	Roles   []role `json:"roles"`
	Price   int    `json:"price€"`
	Bad     string "json:\"a\xffb\""
	Allowed string `json:"x-y.z"`
}

// TestOddFieldsMatchEncodingJSON checks the plan against encoding/json for the field types and
// tag names above, in both directions, and that the reader neither panics on nor accepts a
// member spelled as the broken tag would write it.
func TestOddFieldsMatchEncodingJSON(t *testing.T) {
	c := oddFields{Claims: Claims{Subject: "s"}, Roles: []role{"admin", "ops"}, Price: 3, Bad: "b", Allowed: "ok"}
	theirs := writesLikeEncodingJSON(t, &c)
	p := planFor(reflect.TypeFor[oddFields]())
	if p.flat {
		t.Error("a []role field made the plan flat; the reader cannot store it by conversion")
	}
	var back oddFields
	var cl Claims
	d := decoder{s: string(theirs)}
	if _, _, err := d.claimsSet(reflect.ValueOf(&back).Elem(), p, &cl, intoStruct, nil); err != nil {
		t.Fatalf("reader: %v", err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("reader: %+v, want %+v", back, c)
	}
	d = decoder{s: `{"jti":"j",":"v"}`}
	if _, _, err := d.claimsSet(reflect.ValueOf(&back).Elem(), p, &cl, intoStruct, nil); err == nil {
		t.Error(`reader accepted {"jti":"j",":"v"}`)
	}
}

// quotedOption has a field with encoding/json's ",string" option, which quotes the value.
type quotedOption struct {
	Claims
	Q int    `json:"q,string"`
	S string `json:"s"`
}

func TestQuotedOptionMatchesEncodingJSON(t *testing.T) {
	c := quotedOption{Claims: Claims{Subject: "s"}, Q: 12, S: "x"}
	writesLikeEncodingJSON(t, &c)
	k, err := NewKey(HS256, bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		payload string
		ok      bool
	}{
		{`{"q":"12","s":"x"}`, true},
		{`{"q":12,"s":"x"}`, false}, // encoding/json refuses an unquoted value too
	} {
		tok := string(k.header) + "." + string(appendEncode(nil, []byte(tc.payload)))
		tok += "." + string(appendEncode(nil, k.state().appendSum(nil, []byte(tok))))
		var got quotedOption
		err := k.Decode(tok, &got, Expect{skipExpiry: true})
		if tc.ok && (err != nil || got.Q != 12 || got.S != "x") {
			t.Errorf("%s: %v, %+v", tc.payload, err, got)
		}
		if !tc.ok && err == nil {
			t.Errorf("%s: accepted", tc.payload)
		}
	}
}

// selfWritten writes itself: as an object when ok, else as a string.
type selfWritten struct{ ok bool }

func (s selfWritten) MarshalJSON() ([]byte, error) {
	if s.ok {
		return []byte(`{"sub":"self"}`), nil
	}
	return []byte(`"not an object"`), nil
}

func TestWriterCustomTypes(t *testing.T) {
	for _, c := range []any{selfWritten{ok: true}, &selfWritten{ok: true}} {
		if out, err := appendClaims(nil, c); err != nil || string(out) != `{"sub":"self"}` {
			t.Errorf("%T: %s, %v", c, out, err)
		}
	}
	if _, err := appendClaims(nil, selfWritten{}); !errors.Is(err, ErrEncode) {
		t.Errorf("a type written as a JSON string: err %v, want ErrEncode", err)
	}
}

// TestFoldRune checks the fast paths of foldRune (pages without case, the table below
// U+0800) against unicode.SimpleFold on every rune, and that every rune of a folding orbit
// folds, and hashes, alike.
func TestFoldRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := foldRune(r), slowFoldRune(r); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
		if o := unicode.SimpleFold(r); o != r && utf8.ValidRune(r) {
			a, b := string(r), string(o)
			if !sameFold(a, b) || foldHash(a) != foldHash(b) || !bytes.Equal(appendFolded(nil, a), appendFolded(nil, b)) ||
				foldSig(a) != foldSig(b) || foldSig("k"+a+"z") != foldSig("K"+b+"Z") {
				t.Fatalf("%U and %U: not the same under folding", r, o)
			}
		}
	}
}

// TestSameFoldMatchesEqualFold checks sameFold, foldHash, foldSig and smallSig against strings.EqualFold, which
// encoding/json's folding equals.
func TestSameFoldMatchesEqualFold(t *testing.T) {
	words := []string{
		"", "s", "S", "ſ", "k", "K", "\u212a", "sub", "SUB", "Sub", "ſub", "ſUB", "subs", "su", "ß", "ss", "SS",
		"ǅ", "ǆ", "Ǆ", "ω", "Ω", "\u2126", "ϴ", "θ", "Θ", "ϑ", "i", "I", "İ", "ı", "[", "{", "@", "`", "é", "É",
		"ж", "Ж", "\u1e9e", "a\x00", "a", "\u00b5", "\u03bc", "\u039c", strings.Repeat("ж", 40), strings.Repeat("Ж", 40),
		strings.Repeat("x", 63) + "ſ", strings.Repeat("X", 63) + "s", strings.Repeat("ab", 50) + "ſ", strings.Repeat("AB", 50) + "S",
	}
	for _, a := range words {
		for _, b := range words {
			want := strings.EqualFold(a, b)
			if got := sameFold(a, b); got != want {
				t.Errorf("sameFold(%q, %q) = %v, want %v", a, b, got, want)
			}
			if want && foldHash(a) != foldHash(b) {
				t.Errorf("foldHash(%q) != foldHash(%q)", a, b)
			}
			if want && (foldSig(a) != foldSig(b) || smallSig(a) != smallSig(b)) {
				t.Errorf("foldSig or smallSig of %q and %q differ", a, b)
			}
		}
	}
}

// TestMemberSet checks the detector across its growth, with distinct names, with names that
// share a hash (forced here) without being equal, and with a name equal to an earlier one.
func TestMemberSet(t *testing.T) {
	for _, n := range []int{1, 8, 9, 33, 200, 5000} {
		for _, sameHash := range []bool{false, true} {
			if sameHash && n > 1000 {
				continue // quadratic by construction
			}
			var text strings.Builder
			text.WriteString("{")
			var offs []int
			var names []string
			for i := range n {
				if i > 0 {
					text.WriteString(",")
				}
				offs = append(offs, text.Len())
				name := fmt.Sprintf("n%dſ", i)
				names = append(names, name)
				fmt.Fprintf(&text, "%q:0", name)
			}
			dupOff := text.Len() + 1
			text.WriteString(`,"N0S":0}`)
			d := decoder{s: text.String()}
			hash := func(name string) uint64 {
				if sameHash {
					return 42 << 32
				}
				return foldHash(name)
			}
			// The names as the reader finds them (offsets in the text), and as the writer
			// has them (positions in a slice, from 1).
			written := append(slices.Clip(names), "N0S")
			for _, src := range []struct {
				nameSource
				ref func(i int) int
			}{
				{nameSource{d: &d}, func(i int) int {
					if i == len(names) {
						return dupOff
					}
					return offs[i]
				}},
				{nameSource{names: written}, func(i int) int { return i + 1 }},
			} {
				var s memberSet
				for i, name := range names {
					if s.addHashed(src.nameSource, src.ref(i), name, hash) {
						t.Fatalf("n=%d sameHash=%v: %q reported as a duplicate", n, sameHash, name)
					}
				}
				if !s.addHashed(src.nameSource, src.ref(len(names)), "N0S", hash) {
					t.Errorf("n=%d sameHash=%v: N0S (n0ſ) not found", n, sameHash)
				}
				s.release()
			}
		}
	}
}

// TestClaimsPlanOrder checks what claimsSet relies on without a destination plan: the fields
// of claimsPlan are the registered claims in the order of registered, so registeredIndex
// gives a field's index.
func TestClaimsPlanOrder(t *testing.T) {
	if len(claimsPlan.fields) != len(registered) {
		t.Fatalf("claimsPlan has %d fields", len(claimsPlan.fields))
	}
	for i, f := range claimsPlan.fields {
		if f.name != registered[i] || registeredIndex(f.name) != i || f.class != i {
			t.Errorf("field %d is %q (class %d), want %q", i, f.name, f.class, registered[i])
		}
	}
}

// TestPlainRun checks the word-at-a-time scan of plainRun against plainByte, and TestSafeRun
// that of safeRun against safeASCII.
func TestPlainRun(t *testing.T) {
	checkScan(t, "plainRun", plainRun, func(c byte) bool { return plainByte[c] }, 0)
}

func TestSafeRun(t *testing.T) {
	checkScan(t, "safeRun", safeRun, func(c byte) bool { return c < utf8.RuneSelf && safeASCII[c] }, '&')
}

// checkScan checks scan, which returns the offset of the first byte at or after i that is not
// ok, for every byte value at every position of strings up to 20 bytes, after runs of bytes
// that are ok (among them 0x20, the smallest, which borrows), with the stop byte next just
// above it.
func checkScan(t *testing.T, name string, scan func(string, int) int, ok func(byte) bool, next byte) {
	naive := func(s string, i int) int {
		for i < len(s) && ok(s[i]) {
			i++
		}
		return i
	}
	for _, fill := range []byte{'a', 0x20, '~'} {
		for n := 0; n <= 20; n++ {
			for pos := 0; pos < n; pos++ {
				for c := 0; c < 256; c++ {
					b := bytes.Repeat([]byte{fill}, n)
					b[pos] = byte(c)
					if pos+1 < n {
						b[pos+1] = next
					}
					for start := 0; start <= 2 && start <= n; start++ {
						if got, want := scan(string(b), start), naive(string(b), start); got != want {
							t.Fatalf("%s(%q, %d) = %d, want %d", name, b, start, got, want)
						}
					}
				}
			}
		}
	}
}

// TestPlanLookup checks lookup through plan.byShape: names of one shape (axb, ayb), of a
// shape no field has, and names that only share a field's shape.
func TestPlanLookup(t *testing.T) {
	type shapes struct {
		A string `json:"axb"`
		B string `json:"ayb"`
		C string `json:"c"`
		D string `json:"sub"`
	}
	p := planFor(reflect.TypeFor[shapes]())
	for name, want := range map[string]int{"axb": 0, "ayb": 1, "c": 2, "sub": 3, "azb": -1, "d": -1, "sUb": -1, "": -1, "subs": -1} {
		if got := p.lookup(name); got != want {
			t.Errorf("lookup(%q) = %d, want %d", name, got, want)
		}
	}
	if p.byShape[nameShape("axb")] != shapeShared || p.byShape[nameShape("c")] != 2 {
		t.Errorf("byShape does not hold the shared and the lone shapes")
	}
}

// TestFoldHashInvalidUTF8 checks that foldHash ends, and agrees with strings.EqualFold, on
// names that are not valid UTF-8 (the reader and writer never hand it one, but it must not
// loop: a run of continuation bytes longer than its buffer did).
func TestFoldHashInvalidUTF8(t *testing.T) {
	for _, pair := range [][2]string{
		{"a" + strings.Repeat("\x80", 200), "A" + strings.Repeat("\x80", 200)},
		{"\xc3A" + strings.Repeat("b", 130), "\xc4A" + strings.Repeat("B", 130)},
		{"\xc3A", "\xc4a"},
		{strings.Repeat("x", 127) + "\xe2\x82\xac", strings.Repeat("X", 127) + "\xe2\x82\xac"},
	} {
		a, b := pair[0], pair[1]
		if !strings.EqualFold(a, b) || !sameFold(a, b) {
			t.Fatalf("%q and %q: not equal under folding", a, b)
		}
		if foldHash(a) != foldHash(b) || smallSig(a) != smallSig(b) {
			t.Errorf("%q and %q: hashes or signatures differ", a, b)
		}
	}
}
