package jwt_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zerojwt/jwt"
)

// A service signs a session and later verifies it. The secret and the clock
// are fixed here so the output is reproducible; a real service loads 32 or
// more random bytes (see GenerateSecret) and leaves Expect.Now nil.
func Example() {
	key, err := jwt.NewKey(jwt.HS256, []byte("an example secret of 32+ bytes!!"))
	if err != nil {
		log.Fatal(err)
	}

	type Session struct {
		jwt.Claims
		Name  string `json:"name"`
		Admin bool   `json:"admin"`
	}
	token, err := key.Encode(&Session{
		Claims: jwt.Claims{
			Subject:   "42",
			Audience:  jwt.Audience{"api"},
			ExpiresAt: jwt.NewNumericDate(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
		},
		Name: "Ann",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token)

	var s Session
	err = key.Decode(token, &s, jwt.Expect{
		Audience: []string{"api"},
		Leeway:   30 * time.Second,
		Now:      func() time.Time { return time.Date(2029, 12, 31, 23, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Subject, s.Name, s.Admin, s.ExpiresAt.Time().UTC())
	// Output:
	// eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImF1ZCI6ImFwaSIsImV4cCI6MTg5MzQ1NjAwMCwibmFtZSI6IkFubiIsImFkbWluIjpmYWxzZX0.qnFTRVVjw7bz6qd7Mx_do_S3reXzhkz8ChnGqPqIDYs
	// 42 Ann false 2030-01-01 00:00:00 +0000 UTC
}

func ExampleNewKey() {
	_, err := jwt.NewKey(jwt.HS256, []byte("too short"))
	fmt.Println(errors.Is(err, jwt.ErrKeyTooShort))

	key, err := jwt.NewKey(jwt.HS512, jwt.GenerateSecret(jwt.HS512))
	if err != nil {
		log.Fatal(err)
	}
	key = key.WithKeyID("2025-06")
	fmt.Println(key.Algorithm(), key.KeyID())
	// Output:
	// true
	// HS512 2025-06
}

func ExampleKey_Decode() {
	key, err := jwt.NewKey(jwt.HS256, []byte("an example secret of 32+ bytes!!"))
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	token, err := key.Encode(jwt.Claims{
		Issuer:    "auth.example",
		Subject:   "42",
		Audience:  jwt.Audience{"api", "billing"},
		ExpiresAt: jwt.NewNumericDate(now.Add(15 * time.Minute)),
	})
	if err != nil {
		log.Fatal(err)
	}

	var c jwt.Claims
	err = key.Decode(token, &c, jwt.Expect{
		Issuer:   "auth.example",
		Audience: []string{"billing"},
		Now:      func() time.Time { return now },
	})
	fmt.Println(err, c.Subject, c.Audience, c.ExpiresAt.Time().UTC())

	// A token for other services is refused, and the destination is left as it was.
	var other jwt.Claims
	err = key.Decode(token, &other, jwt.Expect{
		Audience: []string{"admin"},
		Now:      func() time.Time { return now },
	})
	fmt.Println(errors.Is(err, jwt.ErrAudience), other.Subject == "")
	// Output:
	// <nil> 42 [api billing] 2025-06-01 12:15:00 +0000 UTC
	// true true
}

func ExampleKey_Decode_expired() {
	key, err := jwt.NewKey(jwt.HS256, []byte("an example secret of 32+ bytes!!"))
	if err != nil {
		log.Fatal(err)
	}
	issued := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	token, err := key.Encode(jwt.Claims{
		Subject:   "42",
		ExpiresAt: jwt.NewNumericDate(issued.Add(15 * time.Minute)),
	})
	if err != nil {
		log.Fatal(err)
	}

	var c jwt.Claims
	err = key.Decode(token, &c, jwt.Expect{
		Now: func() time.Time { return issued.Add(time.Hour) },
	})
	switch {
	case errors.Is(err, jwt.ErrExpired):
		fmt.Println("expired: ask the client to refresh")
	case err != nil:
		fmt.Println("rejected")
	default:
		fmt.Println("valid for subject", c.Subject)
	}
	fmt.Printf("subject after the error: %q\n", c.Subject)
	// Output:
	// expired: ask the client to refresh
	// subject after the error: ""
}

func ExampleKeySet_Decode() {
	oldKey, err := jwt.NewKey(jwt.HS256, []byte("the retiring example secret (32)"))
	if err != nil {
		log.Fatal(err)
	}
	newKey, err := jwt.NewKey(jwt.HS256, []byte("the current example secret  (32)"))
	if err != nil {
		log.Fatal(err)
	}
	oldKey, newKey = oldKey.WithKeyID("2025-05"), newKey.WithKeyID("2025-06")

	// During the rotation both keys verify; the token's kid picks the key.
	keys, err := jwt.NewKeySet(oldKey, newKey)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	want := jwt.Expect{Now: func() time.Time { return now }}
	claims := jwt.Claims{Subject: "42", ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}

	fromOld, err := oldKey.Encode(claims)
	if err != nil {
		log.Fatal(err)
	}
	fromNew, err := newKey.Encode(claims)
	if err != nil {
		log.Fatal(err)
	}
	for _, token := range []string{fromOld, fromNew} {
		var c jwt.Claims
		err := keys.Decode(token, &c, want)
		fmt.Println(c.Subject, err)
	}

	// Once the old key is retired, its tokens name an unknown key.
	keys, err = jwt.NewKeySet(newKey)
	if err != nil {
		log.Fatal(err)
	}
	err = keys.Decode(fromOld, nil, want)
	fmt.Println(errors.Is(err, jwt.ErrUnknownKey))
	// Output:
	// 42 <nil>
	// 42 <nil>
	// true
}

func ExampleInspectUnverified() {
	key, err := jwt.NewKey(jwt.HS256, []byte("an example secret of 32+ bytes!!"))
	if err != nil {
		log.Fatal(err)
	}
	token, err := key.WithKeyID("2025-06").Encode(jwt.Claims{
		Subject:   "42",
		ExpiresAt: jwt.NewNumericDate(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
	})
	if err != nil {
		log.Fatal(err)
	}

	// For logs and debugging only: nothing here has been verified.
	header, payload, err := jwt.InspectUnverified(token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(header.Algorithm, header.Type, header.KeyID)
	fmt.Println(string(payload))
	// Output:
	// HS256 JWT 2025-06
	// {"sub":"42","exp":1893456000}
}
