package jwt

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

type smokeClaims struct {
	Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

func TestSmoke(t *testing.T) {
	k, err := NewKey(HS256, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	c := smokeClaims{Claims: Claims{Issuer: "https://auth.example.com", Subject: "1234567890", Audience: Audience{"api.example.com"},
		ExpiresAt: NewNumericDate(now.Add(time.Hour)), NotBefore: NewNumericDate(now.Add(-time.Minute)), IssuedAt: NewNumericDate(now), ID: "4f1g23a12aa"},
		Name: "John <Doe>", Admin: true}
	tok, err := k.Encode(&c)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(tok)
	var out smokeClaims
	if err := k.Decode(tok, &out, Expect{Now: func() time.Time { return now }, Issuer: "https://auth.example.com", Audience: []string{"api.example.com"}}); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", out)
	var m map[string]any
	if err := k.Decode(tok, &m, Expect{Now: func() time.Time { return now }}); err != nil {
		t.Fatal(err)
	}
	fmt.Println(m, k, fmt.Sprintf("%#v %x", k, k))
	err = k.Decode(tok, &out, Expect{})
	fmt.Println(err, errors.Is(err, ErrExpired))
	h, raw, err := InspectUnverified(tok)
	fmt.Println(h, string(raw), err)
	a := testing.AllocsPerRun(100, func() { k.Decode(tok, &out, Expect{Now: func() time.Time { return now }}) })
	b := testing.AllocsPerRun(100, func() { k.Encode(&c) })
	fmt.Println("allocs decode", a, "encode", b)
}
