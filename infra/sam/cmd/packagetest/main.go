// Command packagetest is `make package-test`: it builds the bootstraps of
// functions/ — api; step, which every step function of shared/tracks.Steps
// runs with its KAIBAN_STEP; and the bootstraps steps have of their own
// (documents, against moto's S3 and KMS too) — as linux binaries (amd64
// to run here, arm64 to check the size Lambda will load), builds the AWS Lambda Runtime Interface Emulator
// from its Go module, runs each function (the step bootstrap once per step)
// under it against a DynamoDB-API
// server (moto) and the agency simulators on loopback, invokes it with its
// infra/events fixture over the emulator's invocations endpoint, checks the
// response and measures the cold start (exec of the emulator to the first
// response). It prints one table and exits non-zero on any failure,
// including an arm64 bootstrap over the 10 MB budget (-max-arm64-mb sets
// another limit, 0 only reports); the report marks every bootstrap over
// the budget. Each bootstrap is built with the -tags of the
// Makefile target that builds it, so the sizes are those of `sam build`.
//
//	go run ./infra/sam/cmd/packagetest [-only api,identity] [-cold-starts 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "package-test:", err)
		os.Exit(1)
	}
}

// The functions' budgets, marked in the report whether or not enforced.
const (
	arm64Budget = 10_000_000 // bytes: 10 MB
	// arm64Limit fails the run: the budget itself.
	arm64Limit      = arm64Budget
	coldStartBudget = 50 * time.Millisecond
	// RIEModule is the emulator's main package and the version pinned for
	// this project.
	rieModule = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d"
)

type config struct {
	root       string
	only       map[string]bool
	coldStarts int
	coldBudget time.Duration
	maxArm64   int64 // bytes; 0: report only
	keep       bool
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("packagetest", flag.ContinueOnError)
	fs.SetOutput(stdout)
	root := fs.String("root", ".", "repository root")
	only := fs.String("only", "", "comma-separated functions to test, by step name or api (default: all)")
	cold := fs.Int("cold-starts", 3, "cold starts measured per function; the median is reported")
	budget := fs.Duration("cold-start-budget", 0, "fail when a function's median cold start exceeds this (0: report only; the budget is 50ms)")
	maxMB := fs.Float64("max-arm64-mb", arm64Limit/1e6, "fail when an arm64 bootstrap exceeds this many MB of 1,000,000 bytes (0: report only)")
	keep := fs.Bool("keep", false, "keep the build directory and print its path")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := config{root: *root, coldStarts: max(*cold, 1), coldBudget: *budget, maxArm64: int64(*maxMB * 1e6), keep: *keep}
	if *only != "" {
		cfg.only = map[string]bool{}
		for _, f := range strings.Split(*only, ",") {
			cfg.only[strings.TrimSpace(f)] = true
		}
	}
	work, err := os.MkdirTemp("", "kaiban-package-test-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(stdout, "build directory:", work)
	} else {
		defer os.RemoveAll(work)
	}

	functions, err := functionNames(cfg.only)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "building the bootstraps of %d functions (linux/amd64 and linux/arm64) and the emulator…\n", len(functions))
	bins, err := buildAll(ctx, cfg.root, work, functions, getenv)
	if err != nil {
		return err
	}
	rie, err := buildEmulator(ctx, work, getenv)
	if err != nil {
		return err
	}
	env, err := startBackends(ctx, cfg.root)
	if err != nil {
		return err
	}
	defer env.close()

	results := runCases(ctx, cfg, rie, bins, env, functions)
	return report(stdout, cfg, bins, results)
}
