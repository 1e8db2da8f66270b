package jwt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/zerojwt/jwt"
)

// Tests of the reader's nested objects (issue 15: structs and maps with string keys read
// without encoding/json) and of the key's memo of a header of another spelling.

type roleSet struct {
	Roles []string     `json:"roles"`
	Aud   jwt.Audience `json:"g"`
}

type nestedClaims struct {
	jwt.Claims
	Realm   roleSet            `json:"realm_access"`
	Clients map[string]roleSet `json:"resource_access"`
	Tags    []string           `json:"tags"`
}

// decodeBoth decodes payload, signed under secret256, with Decode and (the same text) with
// encoding/json into new values of T, and returns both results.
func decodeBoth[T any](t *testing.T, payload string) (ours, theirs T, errOurs, errTheirs error) {
	t.Helper()
	k := mustKey(t, jwt.HS256, secret256)
	errOurs = k.Decode(tok256(payload), &ours, jwt.Expect{Now: clock(t0)})
	errTheirs = json.Unmarshal([]byte(payload), &theirs)
	return
}

// TestNestedMatchesEncodingJSON checks that nested structs and maps deliver what
// encoding/json delivers for names spelled exactly, null included.
func TestNestedMatchesEncodingJSON(t *testing.T) {
	for _, payload := range []string{
		`{"exp":%d,"realm_access":{"roles":["a","b"]},"resource_access":{"api":{"roles":["x"]},"web":{}}}`,
		`{"exp":%d,"realm_access":null,"resource_access":null}`,
		`{"exp":%d,"resource_access":{"api":null}}`,
		`{"exp":%d,"realm_access":{"roles":null,"other":[1,{"x":2}]}}`,
		`{"exp":%d,"resource_access":{}}`,
		// encoding/json reads a null element of an array of strings as "".
		`{"exp":%d,"tags":["a",null],"realm_access":{"roles":[null]},"resource_access":{"c":{"roles":["r",null]}}}`,
	} {
		payload = fmt.Sprintf(payload, expOK)
		ours, theirs, errOurs, errTheirs := decodeBoth[nestedClaims](t, payload)
		if errOurs != nil || errTheirs != nil {
			t.Errorf("%s: Decode: %v, encoding/json: %v", payload, errOurs, errTheirs)
			continue
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%s:\nours   %+v\ntheirs %+v", payload, ours, theirs)
		}
	}
}

// TestNestedRefusals checks what the nested reader refuses: what encoding/json refuses too
// (an Audience or NumericDate null, a value of the wrong type), and what the strict rules
// refuse at every depth (names equal under folding, duplicates).
func TestNestedRefusals(t *testing.T) {
	for _, payload := range []string{
		`{"exp":%d,"realm_access":{"g":null}}`,
		`{"exp":%d,"resource_access":{"api":{"g":null}}}`,
		`{"exp":%d,"realm_access":{"g":["a",null]}}`,
		`{"exp":%d,"realm_access":5}`,
		`{"exp":%d,"resource_access":{"api":1}}`,
		`{"exp":%d,"resource_access":[]}`,
		`{"exp":%d,"realm_access":{"roles":["a"],"ROLES":["admin"]}}`,
		`{"exp":%d,"resource_access":{"api":{},"API":{}}}`,
		`{"exp":%d,"resource_access":{"api":{},"api":{}}}`,
		`{"exp":%d,"realm_access":{"roles":[1]}}`,
	} {
		payload = fmt.Sprintf(payload, expOK)
		var got nestedClaims
		got.Subject = "untouched"
		err := mustKey(t, jwt.HS256, secret256).Decode(tok256(payload), &got, jwt.Expect{Now: clock(t0)})
		if !errors.Is(err, jwt.ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", payload, err)
		}
		if got.Subject != "untouched" {
			t.Errorf("%s: the destination was written on error", payload)
		}
	}
}

// TestNestedNamesBindExactly checks that a nested member that names a field only under case
// folding is a private claim, which the struct does not hold.
func TestNestedNamesBindExactly(t *testing.T) {
	ours, _, err, _ := decodeBoth[nestedClaims](t, fmt.Sprintf(`{"exp":%d,"realm_access":{"ROLES":["admin"]}}`, expOK))
	if err != nil || ours.Realm.Roles != nil {
		t.Errorf("got %v, %+v; want no error and no roles", err, ours.Realm)
	}
}

// TestExpectClaimsTopLevelOnly checks that Expect.Claims names top-level claims only: a
// nested member of the same name neither satisfies the requirement nor fails it.
func TestExpectClaimsTopLevelOnly(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	want := jwt.Expect{Now: clock(t0), Claims: map[string]string{"role": "admin"}}
	var got map[string]any
	err := k.Decode(tok256(fmt.Sprintf(`{"exp":%d,"nested":{"role":"admin"}}`, expOK)), &got, want)
	if !errors.Is(err, jwt.ErrMissingClaim) {
		t.Errorf("nested role only: got %v, want ErrMissingClaim", err)
	}
	var c nestedClaims
	err = k.Decode(tok256(fmt.Sprintf(`{"exp":%d,"role":"admin","realm_access":{"role":"user"}}`, expOK)), &c, want)
	if err != nil {
		t.Errorf("top-level role admin, nested role user: %v", err)
	}
}

// TestStringArraysDoNotAlias checks that the arrays of strings of one destination, which
// share one allocation, do not share capacity: appending to one leaves the others alone.
func TestStringArraysDoNotAlias(t *testing.T) {
	payload := fmt.Sprintf(`{"exp":%d,"aud":["a1","a2"],"realm_access":{"roles":["r1"]},"resource_access":{"x":{"roles":["x1","x2"]}}}`, expOK)
	ours, _, err, _ := decodeBoth[nestedClaims](t, payload)
	if err != nil {
		t.Fatal(err)
	}
	aud, roles, x := ours.Audience, ours.Realm.Roles, ours.Clients["x"].Roles
	if cap(aud) != len(aud) || cap(roles) != len(roles) || cap(x) != len(x) {
		t.Fatalf("capacities %d, %d, %d exceed lengths %d, %d, %d", cap(aud), cap(roles), cap(x), len(aud), len(roles), len(x))
	}
	_ = append(aud, "new")
	_ = append(roles, "new")
	if roles[0] != "r1" || x[0] != "x1" || x[1] != "x2" {
		t.Errorf("an append wrote into another array: %v %v", roles, x)
	}
}

// recursive and RecursiveInner (exported: encoding/json cannot set an embedded pointer to an
// unexported struct) refer to each other through an embedded pointer, so a
// promoted field of recursive has recursive's own type.
type recursive struct {
	jwt.Claims
	*RecursiveInner
}

type RecursiveInner struct {
	Parent recursive `json:"parent"`
}

// TestRecursiveType checks that a type that holds itself through an embedded pointer
// encodes and decodes as with encoding/json (its plan was built without end, a stack
// overflow, in review).
func TestRecursiveType(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	in := recursive{Claims: jwt.Claims{Subject: "a", ExpiresAt: jwt.NewNumericDate(t0.Add(60e9))},
		RecursiveInner: &RecursiveInner{Parent: recursive{Claims: jwt.Claims{Subject: "b"}}}}
	tok, err := k.Encode(&in)
	if err != nil {
		t.Fatal(err)
	}
	var out recursive
	if err := k.Decode(tok, &out, jwt.Expect{Now: clock(t0)}); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(&in)
	got, _ := json.Marshal(&out)
	if string(got) != string(want) {
		t.Errorf("round trip:\ngot  %s\nwant %s", got, want)
	}
}

// TestHeaderMemo checks the key's memo of the last header of another spelling that verified:
// a token nobody signed with that header still fails, another kid under a copy of the key
// is still refused, and typ comes from the token's own header.
func TestHeaderMemo(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256).WithKeyID("k1")
	payload := fmt.Sprintf(`{"exp":%d}`, expOK)
	foreign := craft("HS256", secret256, `{"alg":"HS256","kid":"k1","typ":"at+jwt"}`, payload)
	at := jwt.Expect{Now: clock(t0), Type: "at+jwt"}
	for range 3 { // the second and third use the memo
		if err := k.Decode(foreign, nil, at); err != nil {
			t.Fatalf("foreign header: %v", err)
		}
	}
	if err := k.Decode(foreign, nil, jwt.Expect{Now: clock(t0), Type: "JWT"}); !errors.Is(err, jwt.ErrTokenType) {
		t.Errorf("typ from the memo: got %v, want ErrTokenType", err)
	}
	forged := craft("HS256", testSecret("other", 32), `{"alg":"HS256","kid":"k1","typ":"at+jwt"}`, payload)
	if err := k.Decode(forged, nil, at); !errors.Is(err, jwt.ErrSignature) {
		t.Errorf("remembered header, other secret: got %v, want ErrSignature", err)
	}
	// A copy with another ID must not take the memo of k: the token names k1.
	if err := k.WithKeyID("k2").Decode(foreign, nil, at); !errors.Is(err, jwt.ErrUnknownKey) {
		t.Errorf("copy with kid k2: got %v, want ErrUnknownKey", err)
	}
	// A key set with the same key under k2 refuses it too, and its own memo serves k1.
	set := mustKeySet(t, k, mustKey(t, jwt.HS256, testSecret("k2", 32)).WithKeyID("k2"))
	for range 2 {
		if err := set.Decode(foreign, nil, at); err != nil {
			t.Fatalf("key set: %v", err)
		}
	}
	other := craft("HS256", testSecret("k2", 32), `{"alg":"HS256","kid":"k1","typ":"at+jwt"}`, payload)
	if err := set.Decode(other, nil, at); !errors.Is(err, jwt.ErrSignature) {
		t.Errorf("key set, k1's header under k2's secret: got %v, want ErrSignature", err)
	}
}

type sliceClaims struct {
	jwt.Claims
	Groups []roleSet        `json:"groups"`
	Nums   []int8           `json:"nums"`
	Grid   [][]string       `json:"grid"`
	Ptrs   []*roleSet       `json:"ptrs"`
	Raw    []byte           `json:"raw"`
	Any    []any            `json:"any"`
	ByName []map[string]int `json:"by_name"`
}

// TestSlicesMatchEncodingJSON checks slices of other element types than string, read by the
// reader itself (and, for pointers and bytes, by encoding/json), against encoding/json.
func TestSlicesMatchEncodingJSON(t *testing.T) {
	for _, payload := range []string{
		`{"exp":%d,"groups":[{"roles":["a"]},{},null],"nums":[1,-2,null],"grid":[["x"],[],null]}`,
		`{"exp":%d,"groups":[],"nums":[],"grid":[],"ptrs":[],"any":[],"by_name":[]}`,
		`{"exp":%d,"groups":null,"ptrs":[{"roles":["p"]},null],"raw":"aGk=","any":[1,"a",null,[2]]}`,
		`{"exp":%d,"by_name":[{"a":1},null,{}]}`,
	} {
		payload = fmt.Sprintf(payload, expOK)
		ours, theirs, errOurs, errTheirs := decodeBoth[sliceClaims](t, payload)
		if errOurs != nil || errTheirs != nil {
			t.Errorf("%s: Decode: %v, encoding/json: %v", payload, errOurs, errTheirs)
			continue
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%s:\nours   %+v\ntheirs %+v", payload, ours, theirs)
		}
	}
	for _, payload := range []string{
		`{"exp":%d,"nums":[128]}`,
		`{"exp":%d,"nums":{}}`,
		`{"exp":%d,"groups":[{"roles":["a"],"ROLES":[]}]}`,
		`{"exp":%d,"groups":[1]}`,
		`{"exp":%d,"groups":[{"g":null}]}`,
	} {
		payload = fmt.Sprintf(payload, expOK)
		if _, _, err, _ := decodeBoth[sliceClaims](t, payload); !errors.Is(err, jwt.ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", payload, err)
		}
	}
}

// optional has its own UnmarshalJSON, which encoding/json calls for null too.
type optional struct {
	Set bool
	V   int
}

func (o *optional) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// strictOptional refuses null in its UnmarshalJSON.
type strictOptional struct{ V int }

func (o *strictOptional) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return errors.New("null")
	}
	return json.Unmarshal(b, &o.V)
}

type optionalClaims struct {
	jwt.Claims
	One    optional            `json:"one"`
	List   []optional          `json:"list"`
	ByName map[string]optional `json:"by_name"`
	Strict []strictOptional    `json:"strict"`
}

// TestNullToOwnUnmarshalJSON checks that null for a value with its own UnmarshalJSON goes to
// that method, as encoding/json sends it, as a field, a slice element or a map value (it was
// zeroed without the call, in review).
func TestNullToOwnUnmarshalJSON(t *testing.T) {
	payload := fmt.Sprintf(`{"exp":%d,"one":null,"list":[null,2],"by_name":{"a":null}}`, expOK)
	ours, theirs, errOurs, errTheirs := decodeBoth[optionalClaims](t, payload)
	if errOurs != nil || errTheirs != nil || !reflect.DeepEqual(ours, theirs) {
		t.Errorf("Decode: %v %+v\nencoding/json: %v %+v", errOurs, ours, errTheirs, theirs)
	}
	if !ours.One.Set || !ours.List[0].Set || !ours.ByName["a"].Set {
		t.Errorf("UnmarshalJSON not called for null: %+v", ours)
	}
	payload = fmt.Sprintf(`{"exp":%d,"strict":[null]}`, expOK)
	if _, _, err, _ := decodeBoth[optionalClaims](t, payload); !errors.Is(err, jwt.ErrMalformed) {
		t.Errorf("a null its UnmarshalJSON refuses: got %v, want ErrMalformed", err)
	}
}
