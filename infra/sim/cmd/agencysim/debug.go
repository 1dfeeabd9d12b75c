package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
)

// maxDebugApps bounds the applications one records query may name, so a
// query cannot hold the ledger's lock for long.
const maxDebugApps = 1000

// records is the answer of GET /_sim/records: what the agencies hold on
// file, so a drill running the simulators as their own process (the crash
// drill) can check exactly-once registration across the service's death.
type records struct {
	// Total counts every record ever created, live or cancelled.
	Total int `json:"total"`
	// Live maps each application asked for to its live records per
	// agency kind (absent kinds hold none).
	Live map[string]map[string]int `json:"live"`
}

// recordsSource is what the debug endpoint reads; *sim.Server provides it.
type recordsSource interface {
	LiveRecords(applicationID string) map[string]int
	TotalRecords() int
}

var _ recordsSource = (*sim.Server)(nil)

// debugHandler serves GET /_sim/records?app=ID&app=ID2…
func debugHandler(src recordsSource) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_sim/records", func(w http.ResponseWriter, r *http.Request) {
		apps := r.URL.Query()["app"]
		if len(apps) > maxDebugApps {
			http.Error(w, fmt.Sprintf("at most %d app parameters", maxDebugApps), http.StatusBadRequest)
			return
		}
		out := records{Total: src.TotalRecords(), Live: make(map[string]map[string]int, len(apps))}
		for _, id := range apps {
			out.Live[id] = src.LiveRecords(id)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out) // maps of strings and ints: cannot fail
	})
	return mux
}

// serveDebug serves the debug endpoint on its own loopback listener, apart
// from the agencies' API, until stop is called. It returns the base URL.
func serveDebug(addr string, src recordsSource) (url string, stop func(), err error) {
	if err := loopback(addr); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("debug listener: %w", err)
	}
	srv := &http.Server{Handler: debugHandler(src), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // ends with http.ErrServerClosed when stopped
	}()
	stop = func() {
		_ = srv.Close()
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// loopback refuses addresses beyond this machine: the debug endpoint
// reveals every application's records.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--debug-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--debug-addr %q is not a loopback address", addr)
	}
	return nil
}
