package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/tracks"
)

// result is what the run found for one function.
type result struct {
	function string
	cold     []time.Duration // exec of the emulator to the first response, per start
	warm     []time.Duration // the same request again on the warm environment
	passed   []string        // the checks that passed, in order
	err      error           // the first check that failed
}

// order runs the functions the way the state machine does, so each gets
// the outputs its predecessors made: the identity attestation, the
// founders' links, the credit
// code, then the tracks and finalisation; the clerk hand-off (it parks a
// track), the watchdog, compensation (it rejects the application) and the
// API come last.
var order = func() []string {
	out := []string{tracks.FnIdentity, tracks.FnConfirm, tracks.FnReserve}
	for _, st := range tracks.TrackSteps() {
		out = append(out, st.Name)
	}
	out = append(out, tracks.FnDocuments)
	return append(out, tracks.FnFinalize, tracks.FnEscalate, tracks.FnWatchdog, tracks.FnCompensate, apiFunction)
}()

func runCases(ctx context.Context, cfg config, rie string, bins map[string]*binary, env *backends, functions []string) []*result {
	sorted := slices.Clone(functions)
	rank := func(f string) int {
		if i := slices.Index(order, f); i >= 0 {
			return i
		}
		return len(order)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return rank(sorted[i]) < rank(sorted[j]) })

	chain := map[string]json.RawMessage{}
	var out []*result
	for _, f := range sorted {
		r := &result{function: f}
		out = append(out, r)
		for range cfg.coldStarts {
			cold, warm, err := coldProbe(ctx, rie, bins[f].amd64, env, cfg.root, f)
			if err != nil {
				r.err = fmt.Errorf("cold start: %w", err)
				break
			}
			r.cold, r.warm = append(r.cold, cold), append(r.warm, warm)
		}
		if r.err == nil {
			r.passed = append(r.passed, probeDescription(f))
			r.err = functional(ctx, rie, bins[f].amd64, env, cfg.root, f, chain, r)
		}
	}
	return out
}

func probeDescription(function string) string {
	switch function {
	case apiFunction:
		return "GET /healthz → 200"
	}
	return "{} → errorType " + kaiban.ErrInput
}

// coldProbe starts the emulator afresh and times its first response to a
// request that needs no state: /healthz for the API and for every other
// function (the watchdog included: it runs only for a scheduled event) an
// empty input, which must come back as the typed error Input.Invalid —
// proof that the binary starts, wires its dependencies and names its
// errors as the definition's Retry and Catch expect. The same request
// again on the now warm environment separates the start-up from the work
// the request does.
func coldProbe(ctx context.Context, rie, bootstrap string, env *backends, root, function string) (cold, warm time.Duration, err error) {
	var payload []byte
	var check func([]byte) error
	switch function {
	case apiFunction:
		p, err := fixture(root, "api")
		if err != nil {
			return 0, 0, err
		}
		payload, check = p, wantStatus(200, nil)
	default:
		payload, check = []byte(`{}`), wantError(kaiban.ErrInput)
	}
	err = withEmulator(ctx, rie, bootstrap, env.env(function), func(em *emulator) error {
		for i := range 2 {
			start := time.Now()
			out, err := em.invoke(ctx, payload)
			if i == 0 {
				cold = time.Since(em.started)
			} else {
				warm = time.Since(start)
			}
			if err != nil {
				return err
			}
			if err := check(out); err != nil {
				return fmt.Errorf("%w (stderr: %s)", err, em.stderr)
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return cold, warm, nil
}

// functional invokes function with its fixture (completed from the chain)
// and checks what a user of the service would see.
func functional(ctx context.Context, rie, bootstrap string, env *backends, root, function string, chain map[string]json.RawMessage, r *result) error {
	passed := len(r.passed)
	return withEmulator(ctx, rie, bootstrap, env.env(function), func(em *emulator) error {
		r.passed = r.passed[:passed] // a retry on new ports starts the checks again
		return functionalOn(ctx, em, root, function, chain, r)
	})
}

func functionalOn(ctx context.Context, em *emulator, root, function string, chain map[string]json.RawMessage, r *result) error {
	step := func(what string, payload []byte, check func([]byte) error) ([]byte, error) {
		out, err := em.invoke(ctx, payload)
		if err == nil {
			err = check(out)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w (stderr: %s)", what, err, em.stderr)
		}
		r.passed = append(r.passed, what)
		return out, nil
	}
	fx, err := fixture(root, function)
	if err != nil {
		return err
	}
	if st, ok := tracks.StepNamed(function); ok && st.Track != "" {
		var res struct {
			CreditCode      string `json:"creditCode"`
			NameReservation string `json:"nameReservation"`
		}
		_ = json.Unmarshal(chain["reserve"], &res)
		p, err := withChain(fx, map[string]json.RawMessage{"identity": chain["identity"]})
		if err == nil && res.CreditCode != "" {
			p, err = withFields(p, map[string]any{"creditCode": res.CreditCode, "nameReservation": res.NameReservation})
		}
		if err != nil {
			return err
		}
		_, err = step("track run → SUCCEEDED", p, wantValue("status", string(kaiban.TrackSucceeded)))
		return err
	}
	switch function {
	case apiFunction:
		bad, err := fixture(root, "api-invalid")
		if err != nil {
			return err
		}
		_, err = step("invalid form → 400 with every failing field", bad, wantStatus(400, checkFieldErrors))
		return err
	case "identity":
		out, err := step("stored application → attestation", fx, wantPath("attestation", "id"))
		if err != nil {
			return err
		}
		chain["identity"] = out
		unknown, _ := withFields(fx, map[string]any{"applicationId": "KB00000000UNKNOWN"})
		_, err = step("unknown application → errorType "+kaiban.ErrNotFound, unknown, wantError(kaiban.ErrNotFound))
		return err
	case "reserve":
		p, err := withChain(fx, map[string]json.RawMessage{"identity": chain["identity"]})
		if err != nil {
			return err
		}
		out, err := step("name reserved → valid credit code", p, wantCreditCode)
		chain["reserve"] = out
		return err
	case "confirm":
		_, err = step("founders' links sent → pending", fx, wantValue("outcome", kaiban.OutcomePending))
		return err
	case tracks.FnDocuments:
		// The fixture's track is the licence: one document, signed with
		// the KMS key, put in the bucket, its record in the table.
		_, err = step("licence issued → its document ID", fx, wantDocuments(1))
		return err
	case "escalate":
		_, err = step("clerk task opened", fx, wantPath("taskId"))
		return err
	case "finalize":
		_, err = step("all tracks done → COMPLETED", fx, wantValue("status", string(kaiban.AppCompleted)))
		return err
	case "watchdog":
		_, err = step("scheduled event → report", fx, wantKeys("atRisk", "late", "raised", "opened", "oldestOpenTaskMinutes"))
		return err
	case "compensate":
		_, err = step("rejection → completed tracks undone", fx, wantKeys("compensated"))
		return err
	}
	return fmt.Errorf("no functional check for %s; add one to infra/sam/cmd/packagetest", function)
}

func fixture(root, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, "infra", "events", name+".json"))
}

func withChain(payload []byte, set map[string]json.RawMessage) ([]byte, error) {
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, err
	}
	for k, v := range set {
		if v != nil {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

func withFields(payload []byte, set map[string]any) ([]byte, error) {
	raw := map[string]json.RawMessage{}
	for k, v := range set {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		raw[k] = b
	}
	return withChain(payload, raw)
}
