package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/redisstore"
)

// TestNewRefusesEvictingServer sets each maxmemory-policy on a server of the test's own:
// New accepts noeviction only, unless AllowEviction says so. Every key the store writes has
// a TTL, so the volatile-* policies count as evicting too.
func TestNewRefusesEvictingServer(t *testing.T) {
	srv := ownServer(t)
	c := newClient(t, srv.addr)
	ctx := context.Background()
	policies := []string{"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
		"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}
	for _, policy := range policies {
		t.Run(policy, func(t *testing.T) {
			if err := c.ConfigSet(ctx, "maxmemory-policy", policy).Err(); err != nil {
				t.Fatal(err)
			}
			st, err := redisstore.New(ctx, c, redisstore.Options{Prefix: freshPrefix()})
			if policy == "noeviction" {
				if err != nil || st == nil {
					t.Fatalf("New on a noeviction server: %v", err)
				}
				return
			}
			if !errors.Is(err, jwt.ErrInvalidConfig) || errors.Is(err, jwt.ErrStore) || st != nil {
				t.Fatalf("New on a server with maxmemory-policy %s: %v, want ErrInvalidConfig and no store", policy, err)
			}
			st, err = redisstore.New(ctx, c, redisstore.Options{Prefix: freshPrefix(), AllowEviction: true})
			if err != nil {
				t.Fatalf("New with AllowEviction on %s: %v", policy, err)
			}
			flow(t, st)
		})
	}
}

// TestNewWithoutConfigCommand runs against a server whose CONFIG command is disabled, as on
// managed Redis: New cannot read the policy and says so (ErrInvalidConfig, not ErrStore);
// with AllowEviction the store works.
func TestNewWithoutConfigCommand(t *testing.T) {
	srv := ownServer(t, "--rename-command", "CONFIG", "")
	c := newClient(t, srv.addr)
	ctx := context.Background()
	if err := c.ConfigGet(ctx, "maxmemory-policy").Err(); err == nil {
		t.Fatal("CONFIG GET works on the server started without CONFIG")
	}
	st, err := redisstore.New(ctx, c, redisstore.Options{})
	if !errors.Is(err, jwt.ErrInvalidConfig) || errors.Is(err, jwt.ErrStore) || st != nil {
		t.Fatalf("New on a server without CONFIG: %v, want ErrInvalidConfig and no store", err)
	}
	st, err = redisstore.New(ctx, c, redisstore.Options{AllowEviction: true})
	if err != nil {
		t.Fatalf("New with AllowEviction on a server without CONFIG: %v", err)
	}
	flow(t, st)
}

// flow runs login, refresh, reuse and logout on st.
func flow(t *testing.T, st jwt.Store) {
	t.Helper()
	s := newSessions(t, st, jwt.SessionConfig{})
	ctx := context.Background()
	p, err := s.Issue(ctx, "user-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Refresh(ctx, p.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refresh(ctx, p.Refresh); !errors.Is(err, jwt.ErrReused) {
		t.Fatalf("reuse: %v, want ErrReused", err)
	}
	if _, err := s.Refresh(ctx, q.Refresh); !errors.Is(err, jwt.ErrRevoked) {
		t.Fatalf("refresh after reuse: %v, want ErrRevoked", err)
	}
}

// TestSubjectIndexBounded logs one subject in many times: the store keeps the cap's worth of
// sessions, the newest, and RevokeSubject reaches every one of them.
func TestSubjectIndexBounded(t *testing.T) {
	c := sharedClient(t)
	ctx := context.Background()
	for _, limit := range []int{0, 7} {
		t.Run(fmt.Sprint("MaxSessionsPerSubject=", limit), func(t *testing.T) {
			st, err := redisstore.New(ctx, c, redisstore.Options{Prefix: freshPrefix(), MaxSessionsPerSubject: limit})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { deleteUnder(ctx, c, st.Prefix()) })
			want := limit
			if want == 0 {
				want = jwt.DefaultMaxSessionsPerSubject
			}
			now := time.Now()
			s := newSessions(t, st, jwt.SessionConfig{Now: func() time.Time { return now }})
			pairs := make([]jwt.Pair, 3*want)
			for i := range pairs {
				now = now.Add(time.Second) // each login expires a second after the one before
				if pairs[i], err = s.Issue(ctx, "spammed", nil); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := c.ZCard(ctx, st.SubjectKey("spammed")).Result(); err != nil || n != int64(want) {
				t.Fatalf("index holds %d sessions, %v; want %d", n, err, want)
			}
			if keys, err := keysUnder(ctx, c, st.Prefix()); err != nil || len(keys) != want+1 {
				t.Fatalf("%d keys, %v; want %d sessions and the index", len(keys), err, want)
			}
			if err := s.RevokeSubject(ctx, "spammed"); err != nil {
				t.Fatal(err)
			}
			for i, p := range pairs {
				_, err := s.Refresh(ctx, p.Refresh)
				wantErr := jwt.ErrRevoked // the newest sessions, kept
				if i < len(pairs)-want {
					wantErr = jwt.ErrUnknownSession // ended by the cap
				}
				if !errors.Is(err, wantErr) {
					t.Fatalf("login %d after RevokeSubject: %v, want %v", i, err, wantErr)
				}
			}
		})
	}
}
