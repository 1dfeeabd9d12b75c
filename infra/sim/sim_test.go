package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
)

func start(t *testing.T, p sim.Profile, opts ...sim.Option) *sim.Server {
	t.Helper()
	s, err := sim.Start(t.Context(), p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// post sends one raw call and returns the status and the decoded error
// code (empty for 2xx).
func post(t *testing.T, url, key string, body any) (int, string) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set(agency.HeaderIdempotencyKey, key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 == 2 {
		return resp.StatusCode, ""
	}
	var eb agency.ErrorBody
	if err := json.Unmarshal(raw, &eb); err != nil {
		t.Fatalf("error answer %q is not an ErrorBody: %v", raw, err)
	}
	return resp.StatusCode, eb.Code
}

func nameCheck(app, tradeName string) kaiban.NameCheckRequest {
	return kaiban.NameCheckRequest{
		AgencyCall:  kaiban.AgencyCall{ApplicationID: app, RegionCode: "210102"},
		Name:        "沈阳" + tradeName + "科技有限公司",
		NameParts:   kaiban.NameParts{Region: "沈阳", TradeName: tradeName, Industry: "科技", OrgForm: "有限公司"},
		CompanyType: kaiban.CompanyLLC,
	}
}

func TestLatencySampleMatchesMedianAndP95(t *testing.T) {
	tests := []sim.Latency{
		{Median: 800 * time.Millisecond, P95: 3 * time.Second},
		{Median: 2 * time.Second, P95: 4 * time.Second},
		{Median: 100 * time.Millisecond, P95: 100 * time.Millisecond},
	}
	for _, l := range tests {
		r := rand.New(rand.NewPCG(1, 2))
		d := make([]time.Duration, 20000)
		for i := range d {
			d[i] = l.Sample(r)
		}
		slices.Sort(d)
		med, p95 := d[len(d)/2], d[len(d)*95/100]
		if !near(med, l.Median, 0.05) || !near(p95, l.P95, 0.07) {
			t.Errorf("%+v: sampled median %v, p95 %v", l, med, p95)
		}
	}
	if got := (sim.Latency{}).Sample(rand.New(rand.NewPCG(1, 2))); got != 0 {
		t.Errorf("zero latency sampled %v", got)
	}
}

func near(got, want time.Duration, tol float64) bool {
	return float64(got) >= float64(want)*(1-tol) && float64(got) <= float64(want)*(1+tol)
}

func TestProfiles(t *testing.T) {
	for _, name := range []string{"instant", "demo", "realistic"} {
		p, err := sim.ProfileByName(name)
		if err != nil || p.Name != name {
			t.Errorf("ProfileByName(%q) = %q, %v", name, p.Name, err)
		}
		if name == "instant" {
			continue
		}
		for _, k := range kaiban.AgencyKinds {
			if b := p.Agencies[k]; b.Latency.Median <= 0 || b.Latency.P95 < b.Latency.Median {
				t.Errorf("%s profile: %s has latency %+v", name, k, b.Latency)
			}
		}
	}
	if _, err := sim.ProfileByName("fast"); err == nil {
		t.Error("unknown profile accepted")
	}
}

func TestStartAtOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "nonsense"} {
		if s, err := sim.StartAt(t.Context(), addr, sim.Instant()); err == nil {
			s.Close()
			t.Errorf("StartAt(%q) succeeded", addr)
		}
	}
	s, err := sim.StartAt(t.Context(), "127.0.0.1:0", sim.Instant())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestLatencyGoesThroughTheSleeper(t *testing.T) {
	var mu sync.Mutex
	var slept []time.Duration
	sleeper := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
		return ctx.Err()
	}
	p := sim.Demo()
	p.Agencies[kaiban.AgencyMarket] = sim.Behaviour{Latency: sim.Latency{Median: 2 * time.Second, P95: 4 * time.Second}}
	s := start(t, p, sim.WithSleeper(sleeper))
	s.SetSlow(kaiban.AgencyMarket, time.Hour)
	if status, _ := post(t, s.URL()+"/market/name-checks", "k1", nameCheck("app", "星河")); status != 200 {
		t.Fatalf("status %d", status)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(slept) != 1 || slept[0] < time.Hour || slept[0] > time.Hour+80*time.Second {
		t.Errorf("slept %v, want one sleep of the slow-down plus a demo latency", slept)
	}
}

func TestDrawsAreDeterministicPerSeed(t *testing.T) {
	p := sim.Instant()
	p.Agencies[kaiban.AgencyMarket] = sim.Behaviour{TransientRate: 0.3, RejectionRate: 0.2, ReviewRate: 0.2}
	outcomes := func(seed uint64) []int {
		p.Seed = seed
		s := start(t, p)
		var got []int
		for i := range 40 {
			key := "app:" + string(rune('a'+i%10)) // repeats: attempts 1–4 of 10 keys
			status, _ := post(t, s.URL()+"/market/name-checks", key, nameCheck("app", "星河"))
			got = append(got, status)
		}
		return got
	}
	a, b, c := outcomes(7), outcomes(7), outcomes(8)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different outcomes:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same 40 outcomes %v", a)
	}
	if !slices.Contains(a, 200) || !slices.Contains(a, 503) || !slices.Contains(a, 422) {
		t.Errorf("outcomes %v lack successes, transient failures or reviews", a)
	}
}

func TestRejectionRates(t *testing.T) {
	p := sim.Instant()
	p.Agencies[kaiban.AgencyMarket] = sim.Behaviour{ReviewRate: 1}
	s := start(t, p)
	if status, code := post(t, s.URL()+"/market/name-checks", "k", nameCheck("app", "星河")); status != 422 || code != agency.CodeNameReview {
		t.Errorf("review rate 1: %d %s", status, code)
	}
}

func TestBadRequests(t *testing.T) {
	s := start(t, sim.Instant())
	outside := nameCheck("app", "星河")
	outside.RegionCode = "110105"
	noApp := nameCheck("", "星河")
	tests := []struct {
		name string
		path string
		key  string
		body any
	}{
		{"no idempotency key", "/market/name-checks", "", nameCheck("app", "星河")},
		{"unknown field (more data than the agency needs)", "/market/name-checks", "k1", map[string]any{"applicationId": "app", "regionCode": "210102", "name": "x", "idNumber": "1"}},
		{"not JSON", "/market/name-checks", "k2", "just a string"},
		{"region outside Liaoning", "/market/name-checks", "k3", outside},
		{"no application", "/market/name-checks", "k4", noApp},
		{"cancel without of", "/seal/filings/cancel", "k5", kaiban.CancelRequest{AgencyCall: kaiban.AgencyCall{ApplicationID: "app", RegionCode: "210102"}}},
		{"seal without credit code", "/seal/filings", "k6", kaiban.SealRequest{AgencyCall: kaiban.AgencyCall{ApplicationID: "app", RegionCode: "210102"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, code := post(t, s.URL()+tt.path, tt.key, tt.body); status != 400 || code != agency.CodeBadRequest {
				t.Errorf("got %d %s, want 400 %s", status, code, agency.CodeBadRequest)
			}
		})
	}
	if n := s.TotalRecords(); n != 0 {
		t.Errorf("bad requests created %d records", n)
	}
}

func TestCloseEndsStalledCalls(t *testing.T) {
	s, err := sim.Start(context.Background(), sim.Instant())
	if err != nil {
		t.Fatal(err)
	}
	s.FailNext(kaiban.AgencyMarket, sim.FailStall, 1)
	done := make(chan error, 1)
	go func() {
		b, _ := json.Marshal(nameCheck("app", "星河"))
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/market/name-checks", bytes.NewReader(b))
		req.Header.Set(agency.HeaderIdempotencyKey, "k")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.Calls(kaiban.AgencyMarket) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // polling for the call to arrive, with a deadline
	}
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("stalled call got an answer after Close")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the stalled call")
	}
	if s.LiveRecords("app") == nil {
		t.Error("LiveRecords returned nil")
	}
}

func TestCancelledStartContextStopsTheServer(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s, err := sim.Start(ctx, sim.Instant())
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL() + "/healthz")
		if err != nil {
			return
		}
		resp.Body.Close()
		time.Sleep(5 * time.Millisecond) // polling for shutdown, with a deadline
	}
	t.Error("server still answering after its context was cancelled")
}
