package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
)

// Server is a running set of simulated agencies.
type Server struct {
	profile Profile
	sleep   Sleeper
	now     func() time.Time

	ledger   ledger
	controls controls

	ln     net.Listener
	srv    *http.Server
	ctx    context.Context // cancelled by Close, so stalled calls end
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Option adjusts a Server.
type Option func(*Server)

// WithSleeper makes latency and stalls wait through s (a virtual clock).
func WithSleeper(s Sleeper) Option { return func(x *Server) { x.sleep = s } }

// WithClock sets the clock that stamps results.
func WithClock(now func() time.Time) Option { return func(x *Server) { x.now = now } }

// Start serves the agencies of profile p on a free port of 127.0.0.1 until
// ctx is done or Close is called.
func Start(ctx context.Context, p Profile, opts ...Option) (*Server, error) {
	return StartAt(ctx, "127.0.0.1:0", p, opts...)
}

// StartAt is Start on a given address, which must be a loopback address:
// simulators are never exposed.
func StartAt(ctx context.Context, addr string, p Profile, opts ...Option) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sim: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("sim: address %q is not a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim: listen: %w", err)
	}
	s := &Server{profile: p, sleep: RealSleep, now: time.Now, ln: ln, done: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.ledger.init()
	s.controls.init()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cancel()
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

// URL is the base URL of the server, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Endpoints is the configuration that points every agency at this server.
func (s *Server) Endpoints() agency.Endpoints { return agency.SingleHost(s.URL()) }

// Profile returns the profile the server runs.
func (s *Server) Profile() Profile { return s.profile }

// Close stops the server, ending stalled calls and open connections. It is
// safe to call more than once.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		s.cancel()
		err = s.srv.Close()
		<-s.done
	})
	return err
}

// routes lists the whole API: one route per agency operation.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, o := range operations() {
		mux.Handle("POST /"+string(o.kind)+o.path, s.serve(o))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"profile\":%q}\n", s.profile.Name)
	})
	return mux
}
