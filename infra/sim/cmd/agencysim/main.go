// Command agencysim runs the agency simulators on their own:
//
//	go run ./infra/sim/cmd/agencysim --addr 127.0.0.1:8090 --profile demo
//
// Every agency is served under its kind (http://127.0.0.1:8090/seal/…), so
// KAIBAN_AGENCY_URL=http://127.0.0.1:8090 points the service at it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "agencysim:", err)
		os.Exit(1)
	}
}

// run serves the simulators until ctx is done.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("agencysim", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8090", "loopback address to listen on")
	profile := fs.String("profile", "demo", "behaviour: instant, demo or realistic")
	seed := fs.Uint64("seed", 1, "seed of the random draws (latency, failures, rejections)")
	transient := fs.Float64("transient-rate", -1, "override every agency's transient failure rate (0–1)")
	rejection := fs.Float64("rejection-rate", -1, "override every agency's rejection rate (0–1)")
	debugAddr := fs.String("debug-addr", "", "loopback address of GET /_sim/records (live records per application), off if empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := sim.ProfileByName(*profile)
	if err != nil {
		return err
	}
	p.Seed = *seed
	for _, r := range []float64{*transient, *rejection} {
		if r > 1 {
			return fmt.Errorf("rates are between 0 and 1, got %v", r)
		}
	}
	for _, k := range kaiban.AgencyKinds {
		b := p.Agencies[k]
		if *transient >= 0 {
			b.TransientRate = *transient
		}
		if *rejection >= 0 {
			b.RejectionRate = *rejection
		}
		p.Agencies[k] = b
	}
	s, err := sim.StartAt(ctx, *addr, p)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "agency simulators (%s profile, seed %d) on %s\nset KAIBAN_AGENCY_URL=%s\n", p.Name, p.Seed, s.URL(), s.URL())
	if *debugAddr != "" {
		url, stop, err := serveDebug(*debugAddr, s)
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(stdout, "debug records on %s/_sim/records\n", url)
	}
	<-ctx.Done()
	return nil
}
