package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/kaiban/kaiban/infra/sam"
	"github.com/kaiban/kaiban/shared/tracks"
)

// apiFunction names functions/api among the step names.
const apiFunction = sam.APIFunction

// binary is one bootstrap package built for both architectures; the step
// functions share one.
type binary struct {
	pkg        string // "./functions/api", "./functions/step" or a step's own
	amd64      string // path of the bootstrap run here
	amd64Bytes int64
	arm64Bytes int64
}

// functionNames lists the functions to test: every step of tracks.Steps
// and the api, or those of only.
func functionNames(only map[string]bool) ([]string, error) {
	all := []string{apiFunction}
	for _, st := range tracks.Steps {
		all = append(all, st.Name)
	}
	var out []string
	for _, f := range all {
		if only == nil || only[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no functions selected (known: %s)", strings.Join(all, ", "))
	}
	sort.Strings(out)
	return out, nil
}

// packageOf is the bootstrap package a function runs: functions/api,
// or the step's bootstrap (functions/step unless the step has its own).
func packageOf(function string) string {
	if function == apiFunction {
		return "./functions/api"
	}
	if st, ok := tracks.StepNamed(function); ok {
		return "./functions/" + st.Program()
	}
	return "./functions/" + tracks.BootstrapStep
}

// buildAll builds each bootstrap the functions need once, as the
// Makefile's build-<LogicalId> targets do (with their -tags), for amd64
// and arm64, two at a time (the machines are shared); it returns each
// function's binary.
func buildAll(ctx context.Context, root, work string, functions []string, getenv func(string) string) (map[string]*binary, error) {
	byPkg := map[string]*binary{}
	var pkgs []string
	for _, f := range functions {
		if p := packageOf(f); byPkg[p] == nil {
			byPkg[p] = &binary{pkg: p}
			pkgs = append(pkgs, p)
		}
	}
	tags, err := makefileTags(root, pkgs)
	if err != nil {
		return nil, err
	}
	type job struct {
		b    *binary
		arch string
	}
	jobs := make(chan job)
	errs := make(chan error, 2*len(pkgs))
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out := filepath.Join(work, j.arch, filepath.Base(j.b.pkg), "bootstrap")
				size, err := goBuild(ctx, root, j.arch, j.b.pkg, tags[j.b.pkg], out, getenv)
				if err != nil {
					errs <- err
					continue
				}
				if j.arch == "amd64" {
					j.b.amd64, j.b.amd64Bytes = out, size
				} else {
					j.b.arm64Bytes = size
				}
			}
		}()
	}
	for _, p := range pkgs {
		for _, arch := range []string{"amd64", "arm64"} {
			jobs <- job{byPkg[p], arch}
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	var msgs []string
	for err := range errs {
		msgs = append(msgs, err.Error())
	}
	if len(msgs) > 0 {
		return nil, fmt.Errorf("build failed:\n%s", strings.Join(msgs, "\n"))
	}
	bins := map[string]*binary{}
	for _, f := range functions {
		bins[f] = byPkg[packageOf(f)]
	}
	return bins, nil
}

// makefileTags returns each package's -tags as its Makefile target builds
// it; a package no target builds is an error (the cross-check test says
// the same).
func makefileTags(root string, pkgs []string) (map[string]string, error) {
	src, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return nil, err
	}
	mf := sam.ParseMakefile(src)
	tags := map[string]string{}
	for _, p := range pkgs {
		t, ok := mf.GoBuildTags(p)
		if !ok {
			return nil, fmt.Errorf("no Makefile target builds %s", p)
		}
		tags[p] = t
	}
	return tags, nil
}

func goBuild(ctx context.Context, root, arch, pkg, tags, out string, getenv func(string) string) (int64, error) {
	cmd := exec.CommandContext(ctx, goTool(getenv), "build", "-tags", tags, "-trimpath", "-ldflags=-s -w", "-gcflags=all=-l", "-o", out, pkg) // as the Makefile's LAMBDA_BUILD
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s (%s): %v\n%s", pkg, arch, err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// buildEmulator installs the pinned emulator into work with go install
// pkg@version, which leaves the project's go.mod alone.
func buildEmulator(ctx context.Context, work string, getenv func(string) string) (string, error) {
	bin := filepath.Join(work, "rie")
	cmd := exec.CommandContext(ctx, goTool(getenv), "install", rieModule)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	cmd.Dir = work
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the emulator: %v\n%s", err, b)
	}
	return filepath.Join(bin, "aws-lambda-rie"), nil
}

func goTool(getenv func(string) string) string {
	if g := getenv("GO"); g != "" {
		return g
	}
	return "go"
}
