package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine"
)

// roleArn is the role every local state machine is created with; the
// engine does not assume roles, but the API requires one.
const roleArn = "arn:aws:iam::123456789012:role/sfnlocal"

// job is what run and bench need: a checked definition, its input and,
// when mocks are used, the test case.
type job struct {
	definition []byte
	name       string // state machine name
	input      string
	mocks      *mockCase // nil without --mock-config
}

// mockFlags are the flags run and bench share for mocks.
type mockFlags struct {
	config, testCase, machine string
}

// prepare reads and checks everything before the engine starts, so every
// mistake in the files is reported together with exit code 2.
func (e env) prepare(defPath, inputPath string, mf mockFlags) (*job, error) {
	def, err := e.readInput(defPath)
	if err != nil {
		return nil, err
	}
	if err := validateDefinition(def); err != nil {
		return nil, err
	}
	j := &job{definition: def, name: machineName(defPath, mf.machine), input: "{}"}
	if inputPath != "" {
		in, err := e.readInput(inputPath)
		if err != nil {
			return nil, err
		}
		if !json.Valid(in) {
			return nil, invalidf("input %s is not valid JSON", inputPath)
		}
		j.input = string(in)
	}
	mocks, err := e.loadMocks(mf)
	if err != nil {
		return nil, err
	}
	if mocks == nil {
		return j, nil
	}
	j.mocks = mocks
	if mf.machine == "" {
		j.name = machineName(defPath, j.mocks.machine)
	}
	if missing := j.mocks.missingStates(taskStates(def)); len(missing) > 0 {
		return nil, invalidf("test case %q has no mock for Task state(s) %s", mf.testCase, strings.Join(quoteAll(missing), ", "))
	}
	return j, nil
}

// loadMocks reads the mock test case the flags name; nil without
// --mock-config.
func (e env) loadMocks(mf mockFlags) (*mockCase, error) {
	switch {
	case mf.config == "" && mf.testCase == "":
		return nil, nil
	case mf.config == "" || mf.testCase == "":
		return nil, invalidf("--mock-config and --test-case go together")
	}
	data, err := e.readInput(mf.config)
	if err != nil {
		return nil, err
	}
	mc, err := loadMockCase(data, mf.machine, mf.testCase)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	return mc, nil
}

// validateDefinition parses def with the engine's validator; its problems
// come back one per line.
func validateDefinition(def []byte) error {
	_, err := engine.Parse(def)
	var ve *engine.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return invalidf("invalid definition:\n  %s", strings.Join(ve.Problems, "\n  "))
	default:
		return invalidf("invalid definition: %v", err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// machineName is the state machine's name: the mock configuration's name
// for it when there is one (so TaskCall.StateMachineName matches the file),
// otherwise the definition file's name without .asl.json.
func machineName(defPath, fromMocks string) string {
	name := fromMocks
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(defPath), ".json"), ".asl")
	}
	name = unsafeName.ReplaceAllString(name, "-")
	if len(name) > 80 {
		name = name[:80]
	}
	if name == "" || name == "-" {
		name = "sfnlocal"
	}
	return name
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
