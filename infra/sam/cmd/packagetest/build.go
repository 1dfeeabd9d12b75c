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
)

// binary is one function built for both architectures.
type binary struct {
	folder     string
	amd64      string // path of the bootstrap run here
	amd64Bytes int64
	arm64Bytes int64
}

// functionFolders lists functions/<name> folders that hold a main.go.
func functionFolders(root string, only map[string]bool) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, "functions", e.Name(), "main.go")); err != nil || !e.IsDir() {
			continue
		}
		if only == nil || only[e.Name()] {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no function folders selected")
	}
	sort.Strings(out)
	return out, nil
}

// buildAll builds every function as the Makefile's build-<LogicalId>
// targets do (with their -tags), for amd64 and arm64, two at a time (the
// machines are shared).
func buildAll(ctx context.Context, root, work string, folders []string, getenv func(string) string) (map[string]*binary, error) {
	tags, err := makefileTags(root, folders)
	if err != nil {
		return nil, err
	}
	bins := map[string]*binary{}
	type job struct {
		b    *binary
		arch string
	}
	jobs := make(chan job)
	errs := make(chan error, 2*len(folders))
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out := filepath.Join(work, j.arch, j.b.folder, "bootstrap")
				size, err := goBuild(ctx, root, j.arch, "./functions/"+j.b.folder, tags[j.b.folder], out, getenv)
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
	for _, f := range folders {
		b := &binary{folder: f}
		bins[f] = b
		for _, arch := range []string{"amd64", "arm64"} {
			jobs <- job{b, arch}
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
	return bins, nil
}

// makefileTags returns each folder's -tags as its Makefile target builds
// it; a folder no target builds is an error (the cross-check test says the
// same).
func makefileTags(root string, folders []string) (map[string]string, error) {
	src, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return nil, err
	}
	mf := sam.ParseMakefile(src)
	tags := map[string]string{}
	for _, f := range folders {
		t, ok := mf.GoBuildTags("./functions/" + f)
		if !ok {
			return nil, fmt.Errorf("no Makefile target builds ./functions/%s", f)
		}
		tags[f] = t
	}
	return tags, nil
}

func goBuild(ctx context.Context, root, arch, pkg, tags, out string, getenv func(string) string) (int64, error) {
	cmd := exec.CommandContext(ctx, goTool(getenv), "build", "-tags", tags, "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
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
