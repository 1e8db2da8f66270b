package jwt_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zerojwt/jwt"
)

// A Go service verifies the access tokens of a Django service that uses REST framework
// SimpleJWT, which signs access and refresh tokens with the same key and tells them apart
// only by the token_type claim: Expect.Claims refuses the refresh tokens.
func ExampleExpect_claims() {
	key, err := jwt.NewKey(jwt.HS256, []byte("the SIGNING_KEY shared with Django"))
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	sign := func(kind string, life time.Duration) string {
		token, err := key.Encode(map[string]any{
			"token_type": kind,
			"exp":        jwt.NewNumericDate(now.Add(life)),
			"user_id":    "42",
		})
		if err != nil {
			log.Fatal(err)
		}
		return token
	}
	access, refresh := sign("access", 5*time.Minute), sign("refresh", 24*time.Hour)

	want := jwt.Expect{
		Claims: map[string]string{"token_type": "access"},
		Now:    func() time.Time { return now },
	}
	var user struct {
		UserID string `json:"user_id"`
	}
	err = key.Decode(access, &user, want)
	fmt.Println(err, user.UserID)

	// The refresh token is genuine and unexpired, but of the other kind.
	err = key.Decode(refresh, nil, want)
	fmt.Println(errors.Is(err, jwt.ErrClaimValue))
	// Output:
	// <nil> 42
	// true
}
