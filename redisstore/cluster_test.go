package redisstore_test

// The cluster tests run against the Redis Cluster named by REDIS_CLUSTER (comma-separated
// host:port of its nodes), which test.sh starts on loopback: three masters with a replica
// each. Without it they skip, unless CI is set, when they fail.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/storetest"
)

// clusterClient returns a new client of the test cluster, closed when tb ends, with the
// settings the package documentation asks for.
func clusterClient(tb testing.TB) *redis.ClusterClient {
	tb.Helper()
	addrs := os.Getenv("REDIS_CLUSTER")
	if addrs == "" {
		unavailable(tb, "REDIS_CLUSTER is not set (redisstore/test.sh starts a cluster and sets it)")
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: strings.Split(addrs, ","),
		DialTimeout: 2 * time.Second, ClusterStateReloadInterval: time.Second})
	tb.Cleanup(func() { c.Close() })
	return c
}

func TestClusterConformance(t *testing.T) {
	c := clusterClient(t)
	storetest.Run(t, func(t *testing.T) jwt.Store { return newStore(t, c) })
}

func TestClusterTwoInstances(t *testing.T) {
	clusterClient(t) // skip or fail early without a cluster
	twoInstances(t, func(t *testing.T) redis.UniversalClient { return clusterClient(t) })
}

// TestClusterSlots logs in 100 subjects: the keys of each subject share one slot, the
// subjects spread over every master, and login, refresh, reuse detection and RevokeSubject
// work for each (a script touching keys of two slots would fail with CROSSSLOT).
func TestClusterSlots(t *testing.T) {
	c := clusterClient(t)
	st := newStore(t, c)
	s := newSessions(t, st, jwt.SessionConfig{})
	ctx := context.Background()
	masters := map[string]int{}
	for i := range 100 {
		sub := fmt.Sprint("user-", i)
		p, err := s.Issue(ctx, sub, nil)
		if err != nil {
			t.Fatalf("Issue(%q): %v", sub, err)
		}
		slot, err := c.ClusterKeySlot(ctx, st.SessionKey(sub, p.SessionID)).Result()
		if err != nil {
			t.Fatal(err)
		}
		if idx, err := c.ClusterKeySlot(ctx, st.SubjectKey(sub)).Result(); err != nil || idx != slot {
			t.Fatalf("subject %q: index in slot %d, session in slot %d (%v)", sub, idx, slot, err)
		}
		master, err := c.MasterForKey(ctx, st.SessionKey(sub, p.SessionID))
		if err != nil {
			t.Fatal(err)
		}
		masters[master.Options().Addr]++
		q, err := s.Refresh(ctx, p.Refresh)
		if err != nil {
			t.Fatalf("Refresh for %q: %v", sub, err)
		}
		if i%2 == 0 {
			if _, err := s.Refresh(ctx, p.Refresh); !errors.Is(err, jwt.ErrReused) {
				t.Fatalf("reuse for %q: %v, want ErrReused", sub, err)
			}
			continue
		}
		if err := s.RevokeSubject(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refresh(ctx, q.Refresh); !errors.Is(err, jwt.ErrRevoked) {
			t.Fatalf("refresh for %q after RevokeSubject: %v, want ErrRevoked", sub, err)
		}
	}
	if len(masters) != 3 {
		t.Fatalf("100 subjects landed on %d masters (%v), want all 3", len(masters), masters)
	}
}

// TestClusterFailover shuts down the master holding a session's slot and keeps refreshing
// until its replica has taken over: the session goes on (no reuse, no unknown session), with
// ErrStore only while no master serves the slot. It stops a node, so it runs only on a
// cluster test.sh started for this run (REDIS_CLUSTER_DISPOSABLE=1), and comes last.
func TestClusterFailover(t *testing.T) {
	c := clusterClient(t)
	if os.Getenv("REDIS_CLUSTER_DISPOSABLE") != "1" {
		t.Skip("skipping: stops a node; runs on the cluster test.sh starts (REDIS_CLUSTER_DISPOSABLE=1)")
	}
	ctx := context.Background()
	st := newStore(t, c)
	s := newSessions(t, st, jwt.SessionConfig{ReuseGrace: 10 * time.Second})
	p, err := s.Issue(ctx, "failover-user", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = s.Refresh(ctx, p.Refresh); err != nil {
		t.Fatal(err)
	}
	master, err := c.MasterForKey(ctx, st.SessionKey("failover-user", p.SessionID))
	if err != nil {
		t.Fatal(err)
	}
	// The replica must hold the rotation before its master goes.
	if n, err := master.Do(ctx, "WAIT", 1, 2000).Int(); err != nil || n < 1 {
		t.Fatalf("WAIT for the replica: %d, %v", n, err)
	}
	master.Do(ctx, "SHUTDOWN", "NOSAVE") // its connection closes: no reply to check
	start := time.Now()
	for {
		q, err := s.Refresh(ctx, p.Refresh)
		if err == nil {
			t.Logf("refresh served again %v after the master stopped", time.Since(start).Round(100*time.Millisecond))
			if _, err := s.Refresh(ctx, q.Refresh); err != nil {
				t.Fatalf("refresh after the failover: %v", err)
			}
			return
		}
		if !errors.Is(err, jwt.ErrStore) || isState(err) {
			t.Fatalf("refresh during the failover: %v, want success or ErrStore", err)
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("no refresh served 30 s after the master stopped: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
