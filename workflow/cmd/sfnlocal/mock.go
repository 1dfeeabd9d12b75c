package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine"
)

// mockFile is AWS Step Functions Local's mock configuration format, so
// existing Step Functions Local test files work unchanged:
//
//	StateMachines.<machine>.TestCases.<case>.<state name> = <response name>
//	MockedResponses.<response name>.<"0" | "1-2"> = {"Return": …} | {"Throw": {"Error", "Cause"}}
type mockFile struct {
	StateMachines map[string]struct {
		TestCases map[string]map[string]string `json:"TestCases"`
	} `json:"StateMachines"`
	MockedResponses map[string]map[string]mockAnswer `json:"MockedResponses"`
}

type mockAnswer struct {
	Return json.RawMessage `json:"Return"`
	Throw  *struct {
		Error string `json:"Error"`
		Cause string `json:"Cause"`
	} `json:"Throw"`
}

// mockStep answers the invocations from..to (inclusive, 0-based).
type mockStep struct {
	from, to int
	result   json.RawMessage   // set for Return
	failure  *engine.TaskError // set for Throw
}

// mockedResponse is one named response, its steps sorted by invocation.
type mockedResponse struct {
	name  string
	steps []mockStep
}

// mockCase is one test case, compiled: state name → its mocked response.
type mockCase struct {
	machine, testCase string
	states            map[string]*mockedResponse
}

// loadMockCase parses a mock configuration and selects one test case.
// machine may be "" when the file holds a single state machine.
func loadMockCase(data []byte, machine, testCase string) (*mockCase, error) {
	var f mockFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	if machine == "" {
		names := sortedKeys(f.StateMachines)
		if len(names) != 1 {
			return nil, fmt.Errorf("mock config: it defines %d state machines (%s); choose one with --state-machine", len(names), strings.Join(names, ", "))
		}
		machine = names[0]
	}
	sm, ok := f.StateMachines[machine]
	if !ok {
		return nil, fmt.Errorf("mock config: no state machine %q (it has: %s)", machine, strings.Join(sortedKeys(f.StateMachines), ", "))
	}
	tc, ok := sm.TestCases[testCase]
	if !ok {
		return nil, fmt.Errorf("mock config: state machine %q has no test case %q (it has: %s)", machine, testCase, strings.Join(sortedKeys(sm.TestCases), ", "))
	}
	mc := &mockCase{machine: machine, testCase: testCase, states: map[string]*mockedResponse{}}
	compiled := map[string]*mockedResponse{}
	for _, state := range sortedKeys(tc) {
		name := tc[state]
		if compiled[name] == nil {
			answers, ok := f.MockedResponses[name]
			if !ok {
				return nil, fmt.Errorf("mock config: test case %q maps state %q to %q, which is not in MockedResponses", testCase, state, name)
			}
			r, err := compileResponse(name, answers)
			if err != nil {
				return nil, err
			}
			compiled[name] = r
		}
		mc.states[state] = compiled[name]
	}
	return mc, nil
}

func compileResponse(name string, answers map[string]mockAnswer) (*mockedResponse, error) {
	r := &mockedResponse{name: name}
	for key, a := range answers {
		from, to, err := parseInvocations(key)
		if err != nil {
			return nil, fmt.Errorf("mock config: response %q: %w", name, err)
		}
		step := mockStep{from: from, to: to}
		switch hasReturn := len(a.Return) > 0; {
		case hasReturn && a.Throw != nil:
			return nil, fmt.Errorf("mock config: response %q, invocation %q: has both Return and Throw", name, key)
		case hasReturn:
			step.result = a.Return
		case a.Throw != nil:
			if a.Throw.Error == "" {
				return nil, fmt.Errorf("mock config: response %q, invocation %q: Throw needs an Error", name, key)
			}
			step.failure = &engine.TaskError{Name: a.Throw.Error, Cause: a.Throw.Cause}
		default:
			return nil, fmt.Errorf("mock config: response %q, invocation %q: needs Return or Throw", name, key)
		}
		r.steps = append(r.steps, step)
	}
	sort.Slice(r.steps, func(i, j int) bool { return r.steps[i].from < r.steps[j].from })
	for i := 1; i < len(r.steps); i++ {
		if r.steps[i].from <= r.steps[i-1].to {
			return nil, fmt.Errorf("mock config: response %q: invocations %d-%d and %d-%d overlap", name, r.steps[i-1].from, r.steps[i-1].to, r.steps[i].from, r.steps[i].to)
		}
	}
	return r, nil
}

// parseInvocations reads "3" or "1-2".
func parseInvocations(key string) (from, to int, err error) {
	lo, hi, isRange := strings.Cut(key, "-")
	if from, err = strconv.Atoi(lo); err != nil || from < 0 {
		return 0, 0, fmt.Errorf("invocation key %q: want a number like \"0\" or a range like \"1-2\"", key)
	}
	to = from
	if isRange {
		if to, err = strconv.Atoi(hi); err != nil || to < from {
			return 0, 0, fmt.Errorf("invocation key %q: want a range like \"1-2\" with the lower bound first", key)
		}
	}
	return from, to, nil
}

// missingStates lists the Task states of the definition that the test case
// does not mock, so `run` can refuse up front instead of failing half-way.
func (mc *mockCase) missingStates(taskStates []string) []string {
	var out []string
	for _, s := range taskStates {
		if mc.states[s] == nil {
			out = append(out, s)
		}
	}
	return out
}

// invoke is the engine.TaskInvoker: the answer for this state and
// invocation index. A configuration gap fails the execution with
// States.Runtime, which no Retry or Catch on States.ALL can swallow, so it
// is reported rather than hidden by the definition's error handling.
func (mc *mockCase) invoke(_ context.Context, call engine.TaskCall) (json.RawMessage, error) {
	r := mc.states[call.StateName]
	if r == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("sfnlocal: state %q has no mock in test case %q", call.StateName, mc.testCase)}
	}
	i, ok := slices.BinarySearchFunc(r.steps, call.Invocation, func(s mockStep, n int) int {
		switch {
		case s.to < n:
			return -1
		case s.from > n:
			return 1
		}
		return 0
	})
	if !ok {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("sfnlocal: mocked response %q for state %q has no answer for invocation %d", r.name, call.StateName, call.Invocation)}
	}
	step := r.steps[i]
	if step.failure != nil {
		return nil, step.failure
	}
	return step.result, nil // never changed; the engine only reads it
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
