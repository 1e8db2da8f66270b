package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/redisstore"
	"github.com/zerojwt/jwt/storetest"
)

func TestConformance(t *testing.T) {
	c := sharedClient(t)
	storetest.Run(t, func(t *testing.T) jwt.Store { return newStore(t, c) })
}

func TestNewRejectsBadConfig(t *testing.T) {
	ctx := context.Background()
	if _, err := redisstore.New(ctx, nil, redisstore.Options{}); !errors.Is(err, jwt.ErrInvalidConfig) {
		t.Errorf("New(nil): %v, want ErrInvalidConfig", err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}) // nothing listens
	defer c.Close()
	for _, p := range []string{"a{", "}", "a*", "x?", "[x]", `a\`} {
		if _, err := redisstore.New(ctx, c, redisstore.Options{Prefix: p}); !errors.Is(err, jwt.ErrInvalidConfig) {
			t.Errorf("New with Prefix %q: %v, want ErrInvalidConfig", p, err)
		}
	}
	if _, err := redisstore.New(ctx, c, redisstore.Options{MaxSessionsPerSubject: -1}); !errors.Is(err, jwt.ErrInvalidConfig) {
		t.Errorf("New with MaxSessionsPerSubject -1: %v, want ErrInvalidConfig", err)
	}
	// With AllowEviction, New does not contact the server.
	st, err := redisstore.New(ctx, c, redisstore.Options{AllowEviction: true})
	if err != nil || st.Prefix() != redisstore.DefaultPrefix {
		t.Fatalf("New with no prefix: %v, prefix %q", err, st.Prefix())
	}
}

func TestNewUnreachableServer(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}) // nothing listens
	defer c.Close()
	st, err := redisstore.New(context.Background(), c, redisstore.Options{})
	if !errors.Is(err, jwt.ErrStore) || errors.Is(err, jwt.ErrInvalidConfig) || st != nil {
		t.Fatalf("New with an unreachable server: %v, want ErrStore only and no store", err)
	}
}

// TestTwoInstances runs two independent Sessions, each with its own client and Store value,
// on one Redis, as two instances of a service would.
func TestTwoInstances(t *testing.T) {
	sharedClient(t) // skip or fail early without Redis
	twoInstances(t, func(t *testing.T) redis.UniversalClient { return sharedClient(t) })
}

// twoInstances is TestTwoInstances on the clients newClient returns.
func twoInstances(t *testing.T, newClient func(t *testing.T) redis.UniversalClient) {
	instances := func(t *testing.T) (a, b *jwt.Sessions) {
		ctx := context.Background()
		prefix := freshPrefix()
		for _, s := range []**jwt.Sessions{&a, &b} {
			st, err := redisstore.New(ctx, newClient(t), redisstore.Options{Prefix: prefix})
			if err != nil {
				t.Fatal(err)
			}
			*s = newSessions(t, st, jwt.SessionConfig{})
		}
		t.Cleanup(func() { deleteUnder(context.Background(), newClient(t), prefix) })
		return a, b
	}
	ctx := context.Background()

	t.Run("RotationSeenByOther", func(t *testing.T) {
		a, b := instances(t)
		p1, err := a.Issue(ctx, "user-1", map[string]any{"role": "admin"})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := b.Refresh(ctx, p1.Refresh) // B sees the session A created
		if err != nil {
			t.Fatalf("refresh on B of A's pair: %v", err)
		}
		p3, err := a.Refresh(ctx, p2.Refresh) // A sees the rotation B did
		if err != nil {
			t.Fatalf("refresh on A of B's pair: %v", err)
		}
		if _, err := b.Refresh(ctx, p3.Refresh); err != nil {
			t.Fatalf("refresh on B of A's second pair: %v", err)
		}
	})

	t.Run("ReuseOnEitherRevokesOnBoth", func(t *testing.T) {
		for _, reuseOnA := range []bool{true, false} {
			a, b := instances(t)
			p1, err := a.Issue(ctx, "user-1", nil)
			if err != nil {
				t.Fatal(err)
			}
			p2, err := a.Refresh(ctx, p1.Refresh)
			if err != nil {
				t.Fatal(err)
			}
			reuser := b
			if reuseOnA {
				reuser = a
			}
			if _, err := reuser.Refresh(ctx, p1.Refresh); !errors.Is(err, jwt.ErrReused) {
				t.Fatalf("reuse of the rotated token: %v, want ErrReused", err)
			}
			for name, s := range map[string]*jwt.Sessions{"A": a, "B": b} {
				if p, err := s.Refresh(ctx, p2.Refresh); !errors.Is(err, jwt.ErrRevoked) || p != (jwt.Pair{}) {
					t.Fatalf("refresh of the current token on %s after reuse: %v, want ErrRevoked and no pair", name, err)
				}
			}
		}
	})

	t.Run("ConcurrentRefreshOneWinner", func(t *testing.T) {
		a, b := instances(t)
		const n, rounds = 64, 20
		for round := range rounds {
			p, err := a.Issue(ctx, fmt.Sprint("user-", round), nil)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			pairs := make([]jwt.Pair, n)
			errs := make([]error, n)
			for i := range n {
				s := a
				if i%2 == 1 {
					s = b
				}
				wg.Go(func() {
					<-start
					pairs[i], errs[i] = s.Refresh(ctx, p.Refresh)
				})
			}
			close(start)
			wg.Wait()
			winners := 0
			var next jwt.Pair
			for i, err := range errs {
				switch {
				case err == nil:
					winners++
					next = pairs[i]
				case errors.Is(err, jwt.ErrReused) || errors.Is(err, jwt.ErrRevoked):
					if pairs[i] != (jwt.Pair{}) {
						t.Fatalf("round %d: a pair came with %v", round, err)
					}
				default:
					t.Fatalf("round %d: goroutine %d: %v", round, i, err)
				}
			}
			if winners != 1 {
				t.Fatalf("round %d: %d winners, want exactly 1", round, winners)
			}
			// Reuse was detected, so the winner's pair is revoked too, on both instances.
			for _, s := range []*jwt.Sessions{a, b} {
				if _, err := s.Refresh(ctx, next.Refresh); !errors.Is(err, jwt.ErrRevoked) {
					t.Fatalf("round %d: the winner's token after the race: %v, want ErrRevoked", round, err)
				}
			}
		}
	})
}

// TestTwoInstancesGrace: with a grace window, concurrent refreshes of one token split across
// two instances all receive the same successor refresh token.
func TestTwoInstancesGrace(t *testing.T) {
	prefix := freshPrefix()
	var inst [2]*jwt.Sessions
	for i := range inst {
		st, err := redisstore.New(context.Background(), sharedClient(t), redisstore.Options{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		inst[i] = newSessions(t, st, jwt.SessionConfig{ReuseGrace: 10 * time.Second})
	}
	t.Cleanup(func() { deleteUnder(context.Background(), sharedClient(t), prefix) })
	ctx := context.Background()
	p, err := inst[0].Issue(ctx, "user-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	refresh := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			q, err := inst[i%2].Refresh(ctx, p.Refresh)
			refresh[i], errs[i] = q.Refresh, err
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || refresh[i] != refresh[0] {
			t.Fatalf("goroutine %d: %v, same successor %v", i, errs[i], refresh[i] == refresh[0])
		}
	}
	if _, err := inst[1].Refresh(ctx, refresh[0]); err != nil {
		t.Fatalf("refresh of the shared successor: %v", err)
	}
}

// TestRedisKilled stops the Redis server in the middle of a test: every call must fail closed
// with ErrStore, and after a fresh, empty server takes its place the old refresh tokens get
// ErrUnknownSession.
func TestRedisKilled(t *testing.T) {
	srv := ownServer(t)
	c := redis.NewClient(&redis.Options{Addr: srv.addr, DialTimeout: time.Second, MaxRetries: 1})
	t.Cleanup(func() { c.Close() })
	st := newStore(t, c)
	s := newSessions(t, st, jwt.SessionConfig{CheckSessionOnAccess: true})
	ctx := context.Background()

	old, err := s.Issue(ctx, "user-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := s.Refresh(ctx, old.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.Issue(ctx, "user-2", nil)
	if err != nil {
		t.Fatal(err)
	}

	srv.kill()

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	calls := map[string]func() (jwt.Pair, error){
		"Issue":           func() (jwt.Pair, error) { return s.Issue(ctx, "user-3", nil) },
		"Refresh":         func() (jwt.Pair, error) { return s.Refresh(ctx, rotated.Refresh) },
		"Refresh(reused)": func() (jwt.Pair, error) { return s.Refresh(ctx, old.Refresh) },
		"Refresh(other)":  func() (jwt.Pair, error) { return s.Refresh(ctx, other.Refresh) },
		"VerifyAccess":    func() (jwt.Pair, error) { return jwt.Pair{}, s.VerifyAccess(ctx, rotated.Access, nil) },
		"Logout":          func() (jwt.Pair, error) { return jwt.Pair{}, s.Logout(ctx, rotated.Refresh) },
		"RevokeSession":   func() (jwt.Pair, error) { return jwt.Pair{}, s.RevokeSession(ctx, "user-2", other.SessionID) },
		"RevokeSubject":   func() (jwt.Pair, error) { return jwt.Pair{}, s.RevokeSubject(ctx, "user-1") },
	}
	for name, call := range calls {
		p, err := call()
		if !errors.Is(err, jwt.ErrStore) || p != (jwt.Pair{}) {
			t.Errorf("%s with Redis down: pair %v, error %v; want no pair and ErrStore", name, p != (jwt.Pair{}), err)
		}
		if isState(err) {
			t.Errorf("%s with Redis down reported a session state: %v", name, err)
		}
	}

	srv.restart(t) // empty: the sessions are lost

	for name, tok := range map[string]string{"rotated": rotated.Refresh, "old": old.Refresh, "other": other.Refresh} {
		if p, err := s.Refresh(ctx, tok); !errors.Is(err, jwt.ErrUnknownSession) || p != (jwt.Pair{}) {
			t.Errorf("refresh of the %s token after restart: %v, want ErrUnknownSession and no pair", name, err)
		}
	}
	if err := s.VerifyAccess(ctx, rotated.Access, nil); !errors.Is(err, jwt.ErrUnknownSession) {
		t.Errorf("VerifyAccess (with store check) after restart: %v, want ErrUnknownSession", err)
	}
	if err := s.Logout(ctx, rotated.Refresh); err != nil {
		t.Errorf("Logout after restart: %v", err)
	}
	if keys, err := keysUnder(ctx, c, st.Prefix()); err != nil || len(keys) != 0 {
		t.Errorf("keys after restart and logout: %q, %v; want none", keys, err)
	}
	// The store works again.
	p, err := s.Issue(ctx, "user-1", nil)
	if err != nil {
		t.Fatalf("Issue after restart: %v", err)
	}
	if _, err := s.Refresh(ctx, p.Refresh); err != nil {
		t.Fatalf("Refresh after restart: %v", err)
	}
}

func TestRevokeMissingCreatesNoKey(t *testing.T) {
	c := sharedClient(t)
	st := newStore(t, c)
	ctx := context.Background()
	if err := st.RevokeSession(ctx, "nobody", "no-session"); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeSubject(ctx, "nobody"); err != nil {
		t.Fatal(err)
	}
	s := newSessions(t, st, jwt.SessionConfig{})
	if err := s.RevokeSession(ctx, "nobody", "other-session"); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Exists(ctx, st.SessionKey("nobody", "no-session"), st.SubjectKey("nobody")).Result(); err != nil || n != 0 {
		t.Fatalf("EXISTS after revoking missing sessions: %d, %v; want 0", n, err)
	}
	if keys, err := keysUnder(ctx, c, st.Prefix()); err != nil || len(keys) != 0 {
		t.Fatalf("keys under the prefix: %q, %v; want none", keys, err)
	}
	// Revoking a session of a subject that has others creates nothing either.
	p, err := s.Issue(ctx, "user-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeSession(ctx, "user-1", "not-"+p.SessionID); err != nil {
		t.Fatal(err)
	}
	if keys, _ := keysUnder(ctx, c, st.Prefix()); len(keys) != 2 {
		t.Fatalf("keys after one login and a missing revoke: %q, want the session and the index", keys)
	}
}

// hashTag returns the part of key Redis Cluster hashes: the text between the first '{' and
// the first '}' after it, when that is not empty; else the whole key.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}

func TestKeysExpireAndShareASlot(t *testing.T) {
	c := sharedClient(t)
	st := newStore(t, c)
	ctx := context.Background()
	now := time.Now()
	s := newSessions(t, st, jwt.SessionConfig{Now: func() time.Time { return now }})
	const subject = "{weird}:user:{"
	p, err := s.Issue(ctx, subject, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, idx := st.SessionKey(subject, p.SessionID), st.SubjectKey(subject)
	keys, err := keysUnder(ctx, c, st.Prefix())
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys after one login: %q, %v", keys, err)
	}
	for _, k := range keys {
		if k != key && k != idx {
			t.Errorf("unexpected key %q", k)
		}
		if tag := hashTag(k); tag != hashTag(key) || strings.ContainsAny(tag, "{}:") || tag == k {
			t.Errorf("key %q: hash tag %q, want the subject hash %q", k, tag, hashTag(key))
		}
	}
	ttl := func(k string) time.Duration {
		t.Helper()
		d, err := c.PTTL(ctx, k).Result()
		if err != nil || d <= 0 {
			t.Fatalf("PTTL %q = %v, %v; want > 0", k, d, err)
		}
		return d
	}
	before := ttl(key)
	if before > 24*time.Hour || before < 23*time.Hour {
		t.Errorf("session TTL %v, want about the refresh TTL of 24h", before)
	}
	ttl(idx)

	now = now.Add(3 * time.Hour) // the rotation moves the expiry 3 hours on
	if _, err := s.Refresh(ctx, p.Refresh); err != nil {
		t.Fatal(err)
	}
	if after := ttl(key); after < before+2*time.Hour {
		t.Errorf("session TTL %v after a rotation 3h later, was %v: not moved forward", after, before)
	}
	if after := ttl(idx); after < before+2*time.Hour {
		t.Errorf("index TTL %v after a rotation 3h later: not moved forward", after)
	}
}

// TestUnusualIDs runs the whole flow for subjects made of the characters of the key layout.
func TestUnusualIDs(t *testing.T) {
	c := sharedClient(t)
	st := newStore(t, c)
	ctx := context.Background()
	s := newSessions(t, st, jwt.SessionConfig{})
	subjects := []string{"{", "}", ":", "{}", "a{b}c", "}:s:{", "x}:subj", "user:42{", "ünï{cödé}"}
	pairs := make([]jwt.Pair, len(subjects))
	for i, sub := range subjects {
		p, err := s.Issue(ctx, sub, nil)
		if err != nil {
			t.Fatalf("Issue(%q): %v", sub, err)
		}
		if pairs[i], err = s.Refresh(ctx, p.Refresh); err != nil {
			t.Fatalf("Refresh for %q: %v", sub, err)
		}
	}
	if err := s.RevokeSubject(ctx, "{"); err != nil {
		t.Fatal(err)
	}
	for i, sub := range subjects {
		_, err := s.Refresh(ctx, pairs[i].Refresh)
		if sub == "{" && !errors.Is(err, jwt.ErrRevoked) || sub != "{" && err != nil {
			t.Errorf("Refresh for %q after RevokeSubject(%q): %v", sub, "{", err)
		}
	}
	// Session ids with the same characters, through the Store directly.
	for _, id := range []string{"{", "}", ":", "a}:subj", "x:s:{y}"} {
		err := st.Create(ctx, jwt.SessionState{Subject: "u", SessionID: id, Head: "h", Created: time.Now(), Expires: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatalf("Create id %q: %v", id, err)
		}
	}
	if err := st.RevokeSession(ctx, "u", "a}:subj"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"{", "}", ":", "a}:subj", "x:s:{y}"} {
		got, err := st.Lookup(ctx, "u", id)
		if err != nil || got.Revoked != (id == "a}:subj") || got.SessionID != id {
			t.Errorf("Lookup id %q: %+v, %v", id, got, err)
		}
	}
}

// TestContextDeadline pauses the server, so that a call can only end by its deadline.
func TestContextDeadline(t *testing.T) {
	c := sharedClient(t)
	st := newStore(t, c)
	ctx := context.Background()
	now := time.Now()
	if err := st.Create(ctx, jwt.SessionState{Subject: "u", SessionID: "s", Head: "j1", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	admin := sharedClient(t)
	if err := admin.Do(ctx, "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	defer admin.Do(ctx, "CLIENT", "UNPAUSE")
	calls := map[string]func(context.Context) error{
		"Create": func(ctx context.Context) error {
			return st.Create(ctx, jwt.SessionState{Subject: "u", SessionID: "s2", Head: "j1", Created: now, Expires: now.Add(time.Hour)})
		},
		"Rotate": func(ctx context.Context) error {
			_, err := st.Rotate(ctx, jwt.RotateRequest{Subject: "u", SessionID: "s", Presented: "j1", Next: "j2", Now: now, Expires: now.Add(time.Hour)})
			return err
		},
		"Lookup":        func(ctx context.Context) error { _, err := st.Lookup(ctx, "u", "s"); return err },
		"RevokeSession": func(ctx context.Context) error { return st.RevokeSession(ctx, "u", "s") },
		"RevokeSubject": func(ctx context.Context) error { return st.RevokeSubject(ctx, "u") },
	}
	for name, call := range calls {
		dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		start := time.Now()
		err := call(dctx)
		took := time.Since(start)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s on a paused server with a 100ms deadline: %v, want context.DeadlineExceeded", name, err)
		}
		if took > 600*time.Millisecond {
			t.Errorf("%s returned %v after its 100ms deadline", name, took)
		}
	}
	// Through Sessions the deadline is a store failure.
	s := newSessions(t, st, jwt.SessionConfig{})
	dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := s.Issue(dctx, "u", nil); !errors.Is(err, jwt.ErrStore) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Issue with a deadline on a paused server: %v, want ErrStore wrapping DeadlineExceeded", err)
	}
}

// TestScriptCacheFlushed checks that the scripts are loaded again after SCRIPT FLUSH (or a
// restart) empties the server's script cache.
func TestScriptCacheFlushed(t *testing.T) {
	c := sharedClient(t)
	st := newStore(t, c)
	ctx := context.Background()
	now := time.Now()
	if err := st.Create(ctx, jwt.SessionState{Subject: "u", SessionID: "s", Head: "j1", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Rotate(ctx, jwt.RotateRequest{Subject: "u", SessionID: "s", Presented: "j1", Next: "j2", Now: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatalf("Rotate after SCRIPT FLUSH: %v", err)
	}
	if got, err := st.Lookup(ctx, "u", "s"); err != nil || got.Head != "j2" {
		t.Fatalf("after rotation: %+v, %v", got, err)
	}
}
