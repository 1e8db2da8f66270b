package redisstore_test

// The tests run against a real Redis: the server at REDIS_ADDR when it is set, or else a
// redis-server from PATH that TestMain starts on a free loopback port, without persistence,
// and stops when the tests end. Without either, the tests skip, unless CI is set, when they
// fail.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/redisstore"
)

// shared is the Redis the tests use, or why there is none.
var shared struct {
	addr     string
	external bool   // from REDIS_ADDR
	why      string // why addr is empty
}

func TestMain(m *testing.M) {
	os.Exit(func() int {
		if addr := os.Getenv("REDIS_ADDR"); addr != "" {
			shared.addr, shared.external = addr, true
			return m.Run()
		}
		if _, err := exec.LookPath("redis-server"); err != nil {
			shared.why = "neither REDIS_ADDR nor a redis-server binary on PATH"
			return m.Run()
		}
		srv, err := startServer(0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "redisstore tests:", err)
			return 1
		}
		defer srv.stop()
		shared.addr = srv.addr
		return m.Run()
	}())
}

// unavailable skips tb for want of Redis, or fails it when CI is set.
func unavailable(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("Redis needed: %s (CI is set, so this fails instead of skipping)", why)
	}
	tb.Skipf("skipping: %s; install redis-server or set REDIS_ADDR=host:port", why)
}

// sharedClient returns a new client of the shared Redis, closed when tb ends.
func sharedClient(tb testing.TB) *redis.Client {
	tb.Helper()
	if shared.addr == "" {
		unavailable(tb, shared.why)
	}
	return newClient(tb, shared.addr)
}

func newClient(tb testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 2 * time.Second})
	tb.Cleanup(func() { c.Close() })
	return c
}

var prefixes atomic.Int64

// freshPrefix returns a key prefix no other store of this or an earlier run uses.
func freshPrefix() string {
	return fmt.Sprintf("zjwt-test:%d:%d:", time.Now().UnixNano(), prefixes.Add(1))
}

// newStore returns a store on c under a fresh prefix, whose keys are deleted when tb ends.
func newStore(tb testing.TB, c redis.UniversalClient) *redisstore.Store {
	tb.Helper()
	st, err := redisstore.New(context.Background(), c, redisstore.Options{Prefix: freshPrefix()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		deleteUnder(ctx, c, st.Prefix())
	})
	return st
}

// keysUnder lists the keys under prefix (which holds no glob character), on every master
// of a cluster.
func keysUnder(ctx context.Context, c redis.UniversalClient, prefix string) ([]string, error) {
	var mu sync.Mutex
	var keys []string
	scan := func(ctx context.Context, c redis.UniversalClient) error {
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	if cc, ok := c.(*redis.ClusterClient); ok {
		err := cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return scan(ctx, n) })
		return keys, err
	}
	return keys, scan(ctx, c)
}

// deleteUnder deletes the keys under prefix, one by one (on a cluster they lie in many
// slots).
func deleteUnder(ctx context.Context, c redis.UniversalClient, prefix string) {
	keys, _ := keysUnder(ctx, c, prefix)
	for _, k := range keys {
		c.Del(ctx, k)
	}
}

// server is a redis-server process started by the tests.
type server struct {
	addr  string
	port  int
	dir   string
	extra []string // further redis-server arguments
	cmd   *exec.Cmd
	done  chan struct{} // closed when the process has exited
}

// startServer starts redis-server on 127.0.0.1:port (a free port when 0), without
// persistence and with the further arguments extra, and waits until it answers PING.
func startServer(port int, extra ...string) (*server, error) {
	dir, err := os.MkdirTemp("", "redisstore-test-")
	if err != nil {
		return nil, err
	}
	var last error
	for range 5 {
		p := port
		if p == 0 {
			if p, err = freePort(); err != nil {
				return nil, err
			}
		}
		srv, err := launch(p, dir, extra)
		if err == nil {
			return srv, nil
		}
		last = err
		if port != 0 { // the port is given: it may still be in use, try again
			time.Sleep(200 * time.Millisecond)
		}
	}
	os.RemoveAll(dir)
	return nil, last
}

func launch(port int, dir string, extra []string) (*server, error) {
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning"}, extra...)
	cmd := exec.Command("redis-server", args...)
	// The server dies with the test binary, even when it panics or is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	srv := &server{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), port: port, dir: dir,
		extra: extra, cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(srv.done) }()
	c := redis.NewClient(&redis.Options{Addr: srv.addr, MaxRetries: -1, DialTimeout: time.Second})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-srv.done:
			return nil, fmt.Errorf("redis-server on port %d exited at start", port)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return srv, nil
		}
		if time.Now().After(deadline) {
			srv.kill()
			return nil, fmt.Errorf("redis-server on port %d: no answer: %w", port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill stops the process at once and waits for it to exit; the data directory stays.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// stop kills the process and removes its directory.
func (s *server) stop() {
	s.kill()
	os.RemoveAll(s.dir)
}

// ownServer starts a redis-server for tb alone, with the further arguments extra, stopped
// when tb ends.
func ownServer(tb testing.TB, extra ...string) *server {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if shared.external {
			tb.Skip("skipping: this test stops and restarts Redis and needs a redis-server binary on PATH")
		}
		unavailable(tb, "no redis-server binary on PATH")
	}
	srv, err := startServer(0, extra...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.stop() })
	return srv
}

// restart starts a fresh, empty server on the port of s, which must have been killed.
func (s *server) restart(tb testing.TB) {
	tb.Helper()
	os.RemoveAll(s.dir)
	n, err := startServer(s.port, s.extra...)
	if err != nil {
		tb.Fatal(err)
	}
	*s = *n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// testKey is the signing key of the tests.
var testKey = func() *jwt.Key {
	k, err := jwt.NewKey(jwt.HS256, []byte("redisstore test secret, 32 bytes or more"))
	if err != nil {
		panic(err)
	}
	return k
}()

// newSessions returns a Sessions ("a service instance") on store.
func newSessions(tb testing.TB, store jwt.Store, cfg jwt.SessionConfig) *jwt.Sessions {
	tb.Helper()
	cfg.Key, cfg.Store = testKey, store
	s, err := jwt.NewSessions(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// isState reports whether err is one of the session-state sentinels.
func isState(err error) bool {
	return errors.Is(err, jwt.ErrUnknownSession) || errors.Is(err, jwt.ErrRevoked) || errors.Is(err, jwt.ErrReused)
}
