package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zerojwt/jwt"
)

// The SimpleJWT-style flow: log in, call the API with the access token, refresh when it has
// expired, log out.
func ExampleSessions() {
	// Use jwt.GenerateSecret once and keep the secret out of the source in real code.
	key, err := jwt.NewKey(jwt.HS256, []byte("example secret, at least 32 bytes long"))
	if err != nil {
		panic(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC) // a fake clock for the example
	sessions, err := jwt.NewSessions(jwt.SessionConfig{
		Key: key,
		Now: func() time.Time { return now },
		// Store: nil means an in-memory store; use a shared one with several instances.
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// Login: after checking the password, start a session with a custom claim.
	pair, err := sessions.Issue(ctx, "42", map[string]any{"role": "admin"})
	if err != nil {
		panic(err)
	}
	fmt.Println("access token expires:", pair.AccessExpiresAt.Format(time.TimeOnly))
	fmt.Println("refresh token expires:", pair.RefreshExpiresAt.Format(time.DateTime))

	// An API call: verify the access token and read its claims.
	var user struct {
		jwt.Claims
		Role string `json:"role"`
	}
	err = sessions.VerifyAccess(ctx, pair.Access, &user)
	fmt.Println("user:", user.Subject, user.Role, err)

	// Six minutes later the access token has expired: exchange the refresh token.
	now = now.Add(6 * time.Minute)
	fmt.Println("api call:", sessions.VerifyAccess(ctx, pair.Access, nil))
	pair, err = sessions.Refresh(ctx, pair.Refresh)
	fmt.Println("refresh:", err, "new access token expires:", pair.AccessExpiresAt.Format(time.TimeOnly))
	fmt.Println("api call:", sessions.VerifyAccess(ctx, pair.Access, nil))

	// Logout revokes the session: its refresh token no longer works.
	fmt.Println("logout:", sessions.Logout(ctx, pair.Refresh))
	_, err = sessions.Refresh(ctx, pair.Refresh)
	fmt.Println("refresh after logout:", err)
	// Output:
	// access token expires: 09:05:00
	// refresh token expires: 2025-03-02 09:00:00
	// user: 42 admin <nil>
	// api call: jwt: token expired: exp
	// refresh: <nil> new access token expires: 09:11:00
	// api call: <nil>
	// logout: <nil>
	// refresh after logout: jwt: session revoked
}

// A refresh token can be exchanged once. Presenting it again means two parties hold it (or
// one client raced itself): the whole session is revoked, so the thief's successor token
// dies too, and the user logs in again (RFC 9700 §4.14.2).
func ExampleSessions_Refresh_reuse() {
	key, err := jwt.NewKey(jwt.HS256, []byte("example secret, at least 32 bytes long"))
	if err != nil {
		panic(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	sessions, err := jwt.NewSessions(jwt.SessionConfig{Key: key, Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	first, _ := sessions.Issue(ctx, "42", nil)
	stolen := first.Refresh

	second, err := sessions.Refresh(ctx, first.Refresh) // the legitimate client rotates
	fmt.Println("client refresh:", err)

	_, err = sessions.Refresh(ctx, stolen) // the thief replays the old token
	fmt.Println("replay:", err, errors.Is(err, jwt.ErrReused))

	_, err = sessions.Refresh(ctx, second.Refresh) // the session is gone for everyone
	fmt.Println("client refresh:", err)
	// Output:
	// client refresh: <nil>
	// replay: jwt: refresh token reused true
	// client refresh: jwt: session revoked
}

// A hook on every refresh can refuse it (a disabled user) or update the custom claims
// (changed roles). It runs only for verified refresh tokens, before any state changes.
func ExampleSessionConfig_onRefresh() {
	key, err := jwt.NewKey(jwt.HS256, []byte("example secret, at least 32 bytes long"))
	if err != nil {
		panic(err)
	}
	disabled := map[string]bool{}
	roles := map[string]string{"42": "admin"}
	sessions, err := jwt.NewSessions(jwt.SessionConfig{
		Key: key,
		Now: func() time.Time { return time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC) },
		OnRefresh: func(ctx context.Context, subject string, claims map[string]any) (map[string]any, error) {
			if disabled[subject] {
				return nil, errors.New("account disabled")
			}
			claims["role"] = roles[subject]
			return claims, nil
		},
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	pair, _ := sessions.Issue(ctx, "42", map[string]any{"role": "user"})
	pair, _ = sessions.Refresh(ctx, pair.Refresh)
	var claims map[string]any
	_ = sessions.VerifyAccess(ctx, pair.Access, &claims)
	fmt.Println("role after refresh:", claims["role"])

	disabled["42"] = true
	_, err = sessions.Refresh(ctx, pair.Refresh)
	fmt.Println(err, errors.Is(err, jwt.ErrRefreshDenied))
	// Output:
	// role after refresh: admin
	// jwt: refresh denied: account disabled true
}

// Rotate the signing key while sessions are live, and nobody is logged out: the new key
// signs, the old one only verifies until its tokens have expired, then it is retired.
func ExampleSessionConfig_previousKeys() {
	// Give keys IDs, so a token names the key that signed it. Load secrets from your
	// secret store in real code (jwt.GenerateSecret makes new ones).
	k1, _ := jwt.NewKey(jwt.HS256, []byte("example secret one, at least 32 bytes"))
	k2, _ := jwt.NewKey(jwt.HS256, []byte("example secret two, at least 32 bytes"))
	k1, k2 = k1.WithKeyID("2025-03"), k2.WithKeyID("2025-04")
	now := time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC)
	store := new(jwt.MemoryStore) // shared by every configuration below
	sessions := func(key *jwt.Key, previous ...*jwt.Key) *jwt.Sessions {
		s, err := jwt.NewSessions(jwt.SessionConfig{
			Key: key, PreviousKeys: previous, Store: store,
			Now: func() time.Time { return now },
		})
		if err != nil {
			panic(err)
		}
		return s
	}
	ctx := context.Background()

	pair, _ := sessions(k1).Issue(ctx, "42", nil) // a user logs in before the rotation

	// The rotation: k2 signs, k1 still verifies.
	rotated := sessions(k2, k1)
	fmt.Println("old access token:", rotated.VerifyAccess(ctx, pair.Access, nil))
	next, err := rotated.Refresh(ctx, pair.Refresh)
	header, _, _ := jwt.InspectUnverified(next.Refresh)
	fmt.Println("old refresh token:", err, "- new tokens signed by", header.KeyID)

	// Once the last k1 tokens have expired (RefreshTTL after the rotation, a day by
	// default), retire k1: a k1 token still held is refused.
	retired := sessions(k2)
	fmt.Println("new access token:", retired.VerifyAccess(ctx, next.Access, nil))
	err = retired.VerifyAccess(ctx, pair.Access, nil)
	fmt.Println("k1 token:", errors.Is(err, jwt.ErrUnknownKey))
	// Output:
	// old access token: <nil>
	// old refresh token: <nil> - new tokens signed by 2025-04
	// new access token: <nil>
	// k1 token: true
}
