package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/redisstore"
)

// replyDropper is a TCP proxy on loopback between a client and Redis. Once armed, it lets the
// next EVALSHA command through to the server, swallows the server's reply and closes the
// client's connection: the script ran, but the client never hears of it.
type replyDropper struct {
	ln      net.Listener
	target  string
	armed   atomic.Bool
	dropped atomic.Int32
}

func newReplyDropper(tb testing.TB, target string) *replyDropper {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &replyDropper{ln: ln, target: target}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { p.relay(c) })
		}
	})
	tb.Cleanup(func() { ln.Close(); wg.Wait() })
	return p
}

func (p *replyDropper) addr() string { return p.ln.Addr().String() }

// relay copies one client connection to the server and back.
func (p *replyDropper) relay(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	var drop atomic.Bool
	go func() {
		defer server.Close()
		defer client.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				// Decide before the command reaches the server, so before its reply exists.
				if bytes.Contains(bytes.ToUpper(buf[:n]), []byte("EVALSHA")) && p.armed.CompareAndSwap(true, false) {
					drop.Store(true)
				}
				if _, err := server.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			if drop.Load() {
				p.dropped.Add(1)
				return // the reply is lost and the connection closed
			}
			if _, err := client.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestLostReplyToRotation drops the reply to the rotation script once, after Redis ran it.
// go-redis sends the script again (MaxRetries, 3 by default); the repeat must not count as
// reuse. Without a client retry the call fails with ErrStore and the session stays alive:
// with grace the client's own retry gets the successor, without grace it is reuse, as
// documented.
func TestLostReplyToRotation(t *testing.T) {
	sharedClient(t) // skip or fail early without Redis
	cases := []struct {
		name       string
		maxRetries int // go-redis MaxRetries: 0 is its default of 3, -1 none
		grace      time.Duration
	}{
		{"go-redis retries", 0, 0},
		{"go-redis retries, grace", 0, 10 * time.Second},
		{"no retry, grace", -1, 10 * time.Second},
		{"no retry, no grace", -1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			proxy := newReplyDropper(t, shared.addr)
			c := redis.NewClient(&redis.Options{Addr: proxy.addr(), MaxRetries: tc.maxRetries, DialTimeout: time.Second})
			t.Cleanup(func() { c.Close() })
			st := newStore(t, c)
			s := newSessions(t, st, jwt.SessionConfig{ReuseGrace: tc.grace})
			direct, err := redisstore.New(ctx, sharedClient(t), redisstore.Options{Prefix: st.Prefix()})
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.Issue(ctx, "user-1", nil)
			if err != nil {
				t.Fatal(err)
			}
			if p, err = s.Refresh(ctx, p.Refresh); err != nil { // the script is cached from here on
				t.Fatal(err)
			}
			proxy.armed.Store(true)
			q, err := s.Refresh(ctx, p.Refresh)
			if proxy.dropped.Load() != 1 {
				t.Fatalf("the proxy dropped %d replies, want 1", proxy.dropped.Load())
			}
			if state, lerr := direct.Lookup(ctx, "user-1", p.SessionID); lerr != nil || state.Revoked || state.Prev == "" {
				t.Fatalf("session after the lost reply: %+v, %v; want rotated and live", state, lerr)
			}
			switch {
			case tc.maxRetries >= 0:
				if err != nil {
					t.Fatalf("Refresh whose reply was lost once: %v, want success through go-redis's retry", err)
				}
			case !errors.Is(err, jwt.ErrStore) || q != (jwt.Pair{}):
				t.Fatalf("Refresh whose reply was lost, without retry: %v, want ErrStore and no pair", err)
			case tc.grace > 0:
				if q, err = s.Refresh(ctx, p.Refresh); err != nil {
					t.Fatalf("the client's retry within grace: %v", err)
				}
			default:
				if _, err := s.Refresh(ctx, p.Refresh); !errors.Is(err, jwt.ErrReused) {
					t.Fatalf("the client's retry without grace: %v, want ErrReused", err)
				}
				return
			}
			if _, err := s.Refresh(ctx, q.Refresh); err != nil {
				t.Fatalf("refresh of the successor: %v", err)
			}
		})
	}
}

// TestStalledServer stalls Redis for 1.5 s (CLIENT PAUSE, or SIGSTOP on the process) while
// eight sessions refresh through a client with a short ReadTimeout, which re-sends each
// script several times. When Redis resumes it runs every copy it received: none of them may
// revoke a session. Each Refresh succeeds or fails with ErrStore.
func TestStalledServer(t *testing.T) {
	const pause = 1500 * time.Millisecond
	// Each stall starts Redis's pause and returns when it ends. On Redis 7.0, CLIENT PAUSE
	// drops the postponed commands of clients that hung up, so only the SIGSTOP stall shows
	// the repeats; both must leave every session alive.
	stalls := map[string]func(t *testing.T, srv *server, admin *redis.Client) (resumesAt time.Time){
		"CLIENT PAUSE": func(t *testing.T, _ *server, admin *redis.Client) time.Time {
			end := time.Now().Add(pause)
			if err := admin.Do(context.Background(), "CLIENT", "PAUSE", pause.Milliseconds(), "WRITE").Err(); err != nil {
				t.Fatal(err)
			}
			return end
		},
		"SIGSTOP": func(t *testing.T, srv *server, _ *redis.Client) time.Time {
			if err := srv.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			end := time.Now().Add(pause)
			resume := time.AfterFunc(pause, func() { srv.cmd.Process.Signal(syscall.SIGCONT) })
			t.Cleanup(func() { resume.Stop(); srv.cmd.Process.Signal(syscall.SIGCONT) })
			return end
		},
	}
	for name, stall := range stalls {
		t.Run(name, func(t *testing.T) {
			srv := ownServer(t)
			admin := newClient(t, srv.addr)
			c := redis.NewClient(&redis.Options{Addr: srv.addr, DialTimeout: 300 * time.Millisecond,
				ReadTimeout: 250 * time.Millisecond, WriteTimeout: 250 * time.Millisecond,
				MaxRetries: 8, MinRetryBackoff: 50 * time.Millisecond, MaxRetryBackoff: 200 * time.Millisecond,
				PoolSize: 80})
			t.Cleanup(func() { c.Close() })
			warmPool(t, c, 80)
			st := newStore(t, c)
			s := newSessions(t, st, jwt.SessionConfig{})
			ctx := context.Background()
			const n = 8
			pairs := make([]jwt.Pair, n)
			for i := range pairs {
				p, err := s.Issue(ctx, fmt.Sprint("user-", i), nil)
				if err != nil {
					t.Fatal(err)
				}
				if pairs[i], err = s.Refresh(ctx, p.Refresh); err != nil { // the script is cached from here on
					t.Fatal(err)
				}
			}
			resumesAt := stall(t, srv, admin)
			next := make([]jwt.Pair, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { next[i], errs[i] = s.Refresh(ctx, pairs[i].Refresh) })
			}
			wg.Wait()
			time.Sleep(time.Until(resumesAt) + 300*time.Millisecond) // and let Redis run what it buffered
			direct, err := redisstore.New(ctx, admin, redisstore.Options{Prefix: st.Prefix()})
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				if err := errs[i]; err != nil && (!errors.Is(err, jwt.ErrStore) || isState(err)) {
					t.Errorf("session %d: Refresh during the stall: %v, want success or ErrStore", i, err)
				}
				state, err := direct.Lookup(ctx, fmt.Sprint("user-", i), pairs[i].SessionID)
				if err != nil || state.Revoked {
					t.Errorf("session %d after the stall: revoked %v, %v", i, state.Revoked, err)
					continue
				}
				if errs[i] == nil {
					if _, err := s.Refresh(ctx, next[i].Refresh); err != nil {
						t.Errorf("session %d: refresh of the pair got during the stall: %v", i, err)
					}
				}
			}
		})
	}
}

// warmPool makes c open and set up n connections, by holding n at once with a short BLPOP,
// so that retries during a stall go out on ready connections: one dialled during a SIGSTOP
// cannot finish its handshake, and go-redis gives up on the call.
func warmPool(t *testing.T, c *redis.Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = c.BLPop(context.Background(), 300*time.Millisecond, "zjwt-test:nothing").Err()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, redis.Nil) {
			t.Fatal(err)
		}
	}
}
