package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kaiban/kaiban/infra/namegen"
	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
)

// run is the whole program, so tests drive exactly what `make run` runs.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "simulate":
			return simulateDay(ctx, args[1:], getenv, stdout, stderr)
		case "load":
			return load(ctx, args[1:], stdout, stderr)
		case "-h", "--help", "help":
			fmt.Fprintln(stdout, usage)
			return nil
		}
	}
	return serve(ctx, args, getenv, stdout, stderr)
}

const usage = `usage: go run ./infra/local [serve] [flags]

  --addr ADDR             listen address (default 127.0.0.1:8080; loopback only)
  --data DIR              data directory (default .kaiban)
  --agency-profile NAME   simulated agencies: demo | instant | realistic (default demo)
  --agencies URL          use agencies running elsewhere instead of in-process simulators
  --store NAME            sqlite | dynamodb (default sqlite)
  --dynamodb-endpoint URL the DynamoDB-API server of --store dynamodb (default: start moto_server
                          on 127.0.0.1, whose tables are in memory and end with the stack)
  --public-url URL        base of the status links in the messages (default: http:// and the listen address)
  --log-level LEVEL       debug | info | warn | error (default info)
  --cpuprofile FILE       write a CPU profile of the run to FILE (go tool pprof)
  --name-check=false      leave names to the market simulator's trigger words alone (default: the
                          name check against a simulated registry of 30000 generated names, seed 1)
  --registered-names FILE the name check with exactly the names of FILE (JSON Lines
                          {"name","status","changedAt"}) as its registry, none generated
  --generated-names N     the simulated registry's size (default 30000, 200 with --store dynamodb;
                          seed 1)
  --documents=false       issue no documents (the workflow's documents steps pass through; for
                          drills that load the stack for other reasons: rendering a bundle
                          takes about 165 ms of CPU)`

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	data := fs.String("data", ".kaiban", "data directory")
	profile := fs.String("agency-profile", "demo", "demo | instant | realistic")
	agencies := fs.String("agencies", "", "base URL of external agencies")
	storeName := fs.String("store", stack.StoreSQLite, "sqlite | dynamodb")
	dynamoEndpoint := fs.String("dynamodb-endpoint", "", "DynamoDB-API server URL (default: start moto_server)")
	publicURL := fs.String("public-url", "", "base URL of the status links (default: the listen address)")
	level := fs.String("log-level", envOr(getenv, "KAIBAN_LOG_LEVEL", "info"), "log level")
	cpuprofile := fs.String("cpuprofile", "", "CPU profile file")
	nameCheck := fs.Bool("name-check", true, "check names against a registry of registered names (false: the market simulator's trigger words alone)")
	registered := fs.String("registered-names", "", "JSON Lines file of the registered names")
	generated := fs.Int("generated-names", namegen.DefaultSize, "generated registered names")
	documents := fs.Bool("documents", true, "issue the documents (false: the documents steps pass through)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := loopbackOnly(*addr); err != nil {
		return err
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	prof, err := sim.ProfileByName(*profile)
	if err != nil {
		return err
	}
	// The name check is on unless --name-check=false: a registry of
	// generated names, or exactly the names of --registered-names.
	var namesCfg *stack.NamesConfig
	if *nameCheck || *registered != "" {
		size := *generated
		if *storeName == stack.StoreDynamoDB && !flagSet(fs, "generated-names") {
			// moto takes tens of milliseconds per name (a few items each): a small
			// registry keeps the stack's start within seconds.
			size = dynamoDBGeneratedNames
		}
		namesCfg = &stack.NamesConfig{File: *registered, Generate: size, Seed: namegen.DefaultSeed}
	}
	db, err := dynamoDBFor(ctx, *storeName, *dynamoEndpoint)
	if err != nil {
		return err
	}
	defer db.stop() // after the stack has closed
	log := logging.New(stderr, *level)
	// Listening comes first: the status links name the address (port 0
	// is known only once bound).
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	if *publicURL == "" {
		*publicURL = base
	}
	st, err := stack.Start(ctx, stack.Config{
		DataDir: *data, Store: *storeName, DynamoDBEndpoint: db.endpoint,
		Profile: prof, AgenciesURL: *agencies, Logger: log, AdmitUnderLoad: true,
		PublicBaseURL: *publicURL,
		Names:         namesCfg,
		NoDocuments:   !*documents,
		OIDCIssuer:    stack.OIDCIssuerFor(*publicURL),
	})
	if err != nil {
		return db.explain(err)
	}
	defer st.Close()

	token, err := apigw.IssueDevToken(st.ClerkKey, "dev-clerk", "窗口一号", []string{api.DefaultClerkGroup}, 12*time.Hour, time.Now())
	if err != nil {
		return err
	}
	tokenPath := filepath.Join(*data, "clerk.token")
	if err := writePrivate(tokenPath, []byte(token+"\n")); err != nil {
		return err
	}
	// A supervisor (clerks and supervisors groups), for the supervisor's
	// view and the scripts that try it.
	supToken, err := apigw.IssueDevToken(st.ClerkKey, "dev-supervisor", "科长一号", []string{api.DefaultClerkGroup, kaiban.SupervisorGroup}, 12*time.Hour, time.Now())
	if err != nil {
		return err
	}
	if err := writePrivate(filepath.Join(*data, "supervisor.token"), []byte(supToken+"\n")); err != nil {
		return err
	}

	srv := &http.Server{Handler: st.Handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "Kaiban is running (agencies: %s; store: %s).\n", agencyLabel(*agencies, *profile), db.label(*storeName))
	fmt.Fprintf(stdout, "  Applicant portal:  %s/\n", base)
	fmt.Fprintf(stdout, "  Clerk console:     %s/clerk\n", base)
	fmt.Fprintf(stdout, "  API:               %s/v1/applications\n", base)
	fmt.Fprintf(stdout, "  Outbox:            %s%s\n", base, stack.DevOutboxPath)
	printClerkSignIn(stdout, st.ClerkAccounts)
	fmt.Fprintf(stdout, "  Dev clerk token for scripts (also in %s):\n%s\n", tokenPath, token)

	errc := make(chan error, 1)
	// SecureListener: net/http's own 400/431 answers get nosniff and no-store too.
	go func() { errc <- srv.Serve(apigw.SecureListener(ln)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "Kaiban stopped; in-flight applications resume on the next start.")
	return nil
}

// printClerkSignIn names the clerks' accounts. Their passwords are printed
// on the start that made them, once; later starts say where they are.
func printClerkSignIn(w io.Writer, cs stack.ClerkSignIn) {
	if !cs.Created {
		fmt.Fprintf(w, "  Clerk sign-in:     accounts and passwords in %s\n", cs.File)
		return
	}
	fmt.Fprintf(w, "  Clerk sign-in (new accounts, kept in %s):\n", cs.File)
	for _, a := range cs.Accounts {
		fmt.Fprintf(w, "    %-12s %s  (%s)\n", a.Username, a.Password, strings.Join(a.Groups, ", "))
	}
}

func agencyLabel(url, profile string) string {
	if url != "" {
		return url
	}
	return "simulated, " + profile + " profile"
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// loopbackOnly refuses to expose the dev stack (dev tokens, simulators)
// beyond this machine.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: the local stack listens on loopback addresses only", addr)
	}
	return nil
}

// writePrivate writes a file only this user can read. WriteFile's mode
// applies only when it creates the file, so a token file left 0644 by an
// earlier tool would otherwise stay readable by everyone.
func writePrivate(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// dynamoDBGeneratedNames is the simulated registry's default size with
// --store dynamodb.
const dynamoDBGeneratedNames = 200

// flagSet reports whether the command line gave the flag.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
