package stack

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack/admission"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/infra/stack/oidcp"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/web"
	"github.com/kaiban/kaiban/workflow"
	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// StateMachineName is the name the local engine knows the definition by.
const StateMachineName = "kaiban-onestop"

// Config says how to assemble the stack.
type Config struct {
	// NoDocuments issues no documents: the workflow's documents steps
	// pass through and the documents' routes answer 404. For drills that
	// load the stack for other reasons (a bundle takes about 165 ms of
	// CPU to render).
	NoDocuments bool
	// Names turns on the name check and seeds its simulated registry;
	// nil: names are checked by the agency simulators alone.
	Names *NamesConfig
	// DataDir holds the store (SQLite), the engine's history and the
	// local keys; created if missing. Restarting on the same DataDir (and
	// the same DynamoDB table) resumes in-flight applications.
	DataDir string
	// Store is StoreSQLite (also "") or StoreDynamoDB.
	Store string
	// DynamoDBEndpoint is the DynamoDB-API server of StoreDynamoDB, for
	// example a moto_server; DynamoDBTable the table on it ("" →
	// DefaultDynamoDBTable), created if missing.
	DynamoDBEndpoint string
	DynamoDBTable    string
	// Profile configures the in-process agency simulators; ignored when
	// AgenciesURL is set.
	Profile sim.Profile
	// AgenciesURL points at agencies running elsewhere (for example
	// `go run ./infra/sim/cmd/agencysim`), all under one base URL.
	AgenciesURL string
	// AgencyTimeout bounds each agency call; 0 → 10 s.
	AgencyTimeout time.Duration
	// Clock drives the engine, the handlers and the simulators' latency;
	// nil → the real clock. The day simulation passes a virtual clock.
	Clock engine.Clock
	// WatchdogEvery is the SLA watchdog's period; 0 → one minute, < 0 off.
	WatchdogEvery time.Duration
	Logger        *logrus.Logger // nil → discard
	// InProcess keeps every hop inside the process: the agency clients
	// call the simulators' handler (as the API always calls the engine
	// in process), with no socket in between,
	// so the engine's hold on a virtual clock travels with each call (the
	// day simulation needs it). The engine then keeps its history in
	// memory: nothing survives Close. It needs the in-process simulators
	// (no AgenciesURL).
	InProcess bool
	// NewApplicationID names submitted applications; nil → the API's
	// random, time-ordered IDs. The day simulation passes seeded ones.
	NewApplicationID func(now time.Time) string
	// DirectAgencies is the agency half of InProcess alone: the agency
	// clients call the simulators' handler in the process, with no socket,
	// and everything else (the durable engine included) stays as in the
	// local stack. The orchestration benchmark uses it to measure what
	// Kaiban adds without the simulators' own HTTP serving.
	DirectAgencies bool
	// JitterSeed seeds Retry's jitter (engine.Options.JitterSeed).
	JitterSeed uint64
	// AdmitUnderLoad defers starting new workflows while the process is
	// short of CPU (see package admission), so submissions and status
	// pages stay fast when applications arrive faster than they can be
	// processed. `make run` sets it; the day simulation (a virtual clock)
	// and the orchestration benchmark (one application at a time) do not.
	AdmitUnderLoad bool
	// PublicBaseURL is the base of the status links sent to applicants
	// (http://127.0.0.1:8080 for `make run`: the listen address); ""
	// gives links relative to the site.
	PublicBaseURL string
	// Notifier sends the applicants' messages; nil → the store's outbox
	// (Stack.Outbox, served at DevOutboxPath).
	Notifier kaiban.Notifier
	// OIDCIssuer turns on the embedded OpenID provider the clerk console
	// signs in with (OIDCIssuerFor(base), served under /oidc), and the
	// authorizer then accepts its access tokens; "" leaves the dev tokens
	// alone.
	OIDCIssuer string
}

// Stack is the assembled service.
type Stack struct {
	Store           kaiban.Store
	Outbox          kaiban.Outbox // the store's outbox part: what the stack sends, served at DevOutboxPath
	Engine          *engine.Engine
	Tracks          *tracks.Service
	API             *api.Server
	Documents       *docissue.Issuer
	Sim             *sim.Server // nil when AgenciesURL is set
	StateMachineArn string
	// Handler serves the HTTP API and the pages exactly as API Gateway
	// would invoke the api function.
	Handler http.Handler
	// ClerkKey signs dev clerk tokens the stack's authorizer accepts.
	ClerkKey []byte
	// OIDC is the embedded OpenID provider (nil unless Config.OIDCIssuer),
	// and ClerkAccounts where its accounts are.
	OIDC          *oidcp.Provider
	ClerkAccounts ClerkSignIn

	clock   engine.Clock
	log     *logrus.Logger
	closers []func() error
	stopWD  chan struct{}
	// wired is closed once every handler's late dependencies are set
	// (the confirmations, the reconciler's executions): the engine
	// resumes executions as it opens, before Start has built them.
	wired chan struct{}
	// decisions re-delivers recorded clerk decisions (startWatchdog).
	decisions delivery.TaskSender
	wdDone    chan struct{}
}

// Start assembles and starts the stack. Close stops it.
func Start(ctx context.Context, cfg Config) (_ *Stack, err error) {
	s := &Stack{clock: cfg.Clock, log: cfg.Logger, wired: make(chan struct{})}
	if s.clock == nil {
		s.clock = engine.RealClock{}
	}
	if s.log == nil {
		s.log = logrus.New()
		s.log.Out = io.Discard
	}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	// The directory's lock comes first: keys are read or created, and the
	// databases checked and opened, by one stack at a time.
	if err := prepareDataDir(cfg.DataDir, s.log); err != nil {
		return nil, err
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if lock != nil {
		s.closers = append(s.closers, lock.Close) // closed last
	}
	piiKey, err := keyFromEnvOrFile("KAIBAN_PII_KEY", cfg.DataDir, "pii.key")
	if err != nil {
		return nil, err
	}
	tokenSecret, err := keyFromEnvOrFile("KAIBAN_TOKEN_SECRET", cfg.DataDir, "token.secret")
	if err != nil {
		return nil, err
	}
	if s.ClerkKey, err = keyFromEnvOrFile("KAIBAN_JWT_KEY", cfg.DataDir, "jwt.key"); err != nil {
		return nil, err
	}
	// The audit trail's key is kept apart from the database, so editing the
	// database alone cannot forge a trail that verifies.
	auditSecret, err := keyFromEnvOrFile("KAIBAN_AUDIT_KEY", cfg.DataDir, "audit.key")
	if err != nil {
		return nil, err
	}
	auditKey, err := kaiban.NewAuditKey(auditSecret)
	if err != nil {
		return nil, err
	}
	store, err := openStore(ctx, cfg, piiKey, auditKey)
	if err != nil {
		return nil, err
	}
	s.Store = store.Store
	s.closers = append(s.closers, store.Close)
	outbox, ok := store.Store.(kaiban.Outbox)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the %s store has no outbox", cfg.Store)
	}
	s.Outbox = outbox
	notifier := cfg.Notifier
	if notifier == nil {
		notifier = outbox
	}
	drafts, ok := store.Store.(kaiban.Drafts)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the %s store keeps no drafts", cfg.Store)
	}
	ratings, ok := store.Store.(kaiban.Ratings)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the %s store keeps no ratings", cfg.Store)
	}
	stats, ok := store.Store.(kaiban.Stats)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the %s store keeps no figures", cfg.Store)
	}

	agenciesURL := cfg.AgenciesURL
	if agenciesURL == "" {
		simSrv, err := sim.Start(ctx, cfg.Profile, sim.WithSleeper(s.clock.Sleep), sim.WithClock(s.clock.Now))
		if err != nil {
			return nil, fmt.Errorf("starting the agency simulators: %w", err)
		}
		s.Sim = simSrv
		s.closers = append(s.closers, simSrv.Close)
		agenciesURL = simSrv.URL()
	}
	timeout := cfg.AgencyTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	var agencyHTTP *http.Client // nil: a tuned client over loopback
	if cfg.InProcess || cfg.DirectAgencies {
		if s.Sim == nil {
			return nil, errors.New("InProcess and DirectAgencies need the in-process simulators, not AgenciesURL")
		}
		agencyHTTP = &http.Client{Transport: inProcess{h: s.Sim.Handler()}}
	}
	clients, err := agency.NewClients(agency.Config{Default: agency.SingleHost(agenciesURL), Timeout: timeout}, agencyHTTP)
	if err != nil {
		return nil, err
	}
	var checker *names.Checker
	if cfg.Names != nil {
		var seeded string
		if checker, seeded, err = startNames(ctx, cfg.Names, s.Store, s.clock.Now); err != nil {
			return nil, err
		}
		s.log.WithField("registry", seeded).Info("name check on")
	}
	docStore, _ := store.Store.(kaiban.Documents)
	s.Tracks = tracks.New(tracks.Deps{Store: s.Store, Agencies: clients, Now: s.clock.Now, Logger: s.log, Notifier: notifier, Names: checker, Stats: stats,
		Documents: docStore, PublicBaseURL: cfg.PublicBaseURL})

	handlers := map[string]engine.Handler{}
	for name, h := range s.Tracks.Handlers() {
		handlers[name] = s.engineHandler(h)
	}
	// The documents step runs its own bootstrap on AWS
	// (tracks.BootstrapDocuments); here the stack's issuer is its handler.
	var docDeps *onestop.DocumentsDeps
	if cfg.NoDocuments {
		handlers[tracks.FnDocuments] = s.engineHandler(passThrough)
	} else {
		var issuer *docissue.Issuer
		if docDeps, issuer, err = s.documentsDeps(cfg, tokenSecret); err != nil {
			return nil, err
		}
		s.Documents = issuer
		handlers[tracks.FnDocuments] = s.engineHandler(issuer.Handle)
	}
	opts := engine.Options{
		Clock:         s.clock,
		DBPath:        filepath.Join(cfg.DataDir, "engine.db"),
		Handlers:      handlers,
		Substitutions: workflow.LocalSubstitutions(),
		Logger:        s.log,
		JitterSeed:    cfg.JitterSeed,
	}
	if cfg.AdmitUnderLoad {
		gate := admission.New(admission.Config{})
		s.closers = append(s.closers, gate.Close)
		opts.Admission = gate // the engine's journal defers checkpoints by it too
		// The SQLite store's checkpoints too; DynamoDB has none.
		if store.sqlite != nil {
			store.sqlite.DeferCheckpointsWhile(gate.Saturated)
		}
		tick, stop, done := time.NewTicker(saturationEvery), make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			watchSaturation(gate, s.log, tick.C, stop)
		}()
		s.closers = append(s.closers, func() error {
			tick.Stop()
			close(stop)
			<-done
			return nil
		})
	}
	if cfg.InProcess {
		opts.DBPath, opts.RetainExecutions = "", -1
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("starting the engine: %w", err)
	}
	s.Engine = eng
	s.closers = append(s.closers, eng.Close)
	if s.StateMachineArn, err = ensureStateMachine(ctx, eng); err != nil {
		return nil, err
	}
	// SQLite made the -wal and -shm files; check them too.
	if err := tightenModes(cfg.DataDir, s.log); err != nil {
		return nil, err
	}

	// The API and the re-delivery reach the engine in process
	// (engineWorkflow): a direct call, no SDK → JSON → HTTP → sfnapi round
	// trip.
	wf := engineWorkflow{eng: eng, machine: s.StateMachineArn}
	deps := api.Deps{
		Store: s.Store, Validator: validate.New(), Workflow: wf,
		Clock: s.clock.Now, Logger: s.log, TokenSecret: tokenSecret, Assets: web.Asset,
		NewApplicationID: cfg.NewApplicationID,
		Notifier:         notifier, PublicBaseURL: cfg.PublicBaseURL, Drafts: drafts,
		Names: checker,
	}
	if cfg.OIDCIssuer != "" {
		if err := s.startOIDC(cfg); err != nil {
			return nil, err
		}
		deps.ClerkSignIn = s.clerkSignIn()
	}
	deps.Ratings = ratings
	deps.Stats = stats
	if deps.Confirm, err = s.confirmDeps(cfg, notifier, clients.Identity); err != nil {
		return nil, err
	}
	deps.Documents = docDeps
	if err := deps.Check(); err != nil {
		return nil, err
	}
	s.API = api.NewServer(deps)
	// The confirm step drives the founders' confirmations through the
	// application service the API serves them with.
	s.Tracks.UseConfirmer(s.API.Service())
	jwtCfg := apigw.JWTConfig{Key: s.ClerkKey, Now: s.clock.Now}
	if s.OIDC != nil {
		jwtCfg.OIDC = &apigw.OIDCIssuer{
			Issuer: s.OIDC.Issuer(), Audiences: []string{s.OIDC.ClientID()},
			Keys: map[string]crypto.PublicKey{s.OIDC.Key().ID(): s.OIDC.Key().Public()},
		}
	}
	auth, err := apigw.NewJWTAuthorizer(jwtCfg)
	if err != nil {
		return nil, err
	}
	s.Handler = withDevOutbox(apigw.NewHTTPHandler(s.API.Handle, auth, "/v1/clerk/"), s.Outbox)
	if s.OIDC != nil {
		s.Handler = withOIDC(s.Handler, s.OIDC)
	}

	s.decisions = wf
	// The reconciler speaks the Step Functions API (StartExecution,
	// DescribeExecution) with aws-sdk-go-v2's client, served by the
	// engine's API handler (sfnapi) through an in-process round trip
	// rather than a loopback socket.
	sfnClient := sfn.New(sfn.Options{
		Region:       "cn-north-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String("http://engine.invalid"), // never dialled
		HTTPClient:   &http.Client{Transport: inProcess{h: sfnapi.NewHandler(eng)}},
	})
	s.Tracks.UseExecutions(sfnworkflow.New(sfnClient, s.StateMachineArn))
	close(s.wired)
	s.reconcileAtStart(ctx, s.clock.Now())
	s.startWatchdog(cfg.WatchdogEvery)
	return s, nil
}

// keyFromEnvOrFile takes a base64 32-byte key from the environment, or from
// (creating if needed) a file in the data directory.
func keyFromEnvOrFile(env, dir, name string) ([]byte, error) {
	if v := os.Getenv(env); v != "" {
		k, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", env, err)
		}
		return k, nil
	}
	return loadOrCreateKey(dir, name)
}

// ensureStateMachine creates the state machine on first start and finds it
// on later starts, when the engine's database already has it.
func ensureStateMachine(ctx context.Context, eng *engine.Engine) (string, error) {
	sm, err := eng.CreateStateMachine(ctx, StateMachineName, string(workflow.OneStop), "arn:aws:iam::000000000000:role/kaiban-local")
	if err == nil {
		return sm.Arn, nil
	}
	var apiErr *engine.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "StateMachineAlreadyExists" {
		return "", fmt.Errorf("creating the state machine: %w", err)
	}
	list, lerr := eng.ListStateMachines(ctx)
	if lerr != nil {
		return "", lerr
	}
	for _, m := range list {
		if m.Name == StateMachineName {
			return m.Arn, nil
		}
	}
	return "", fmt.Errorf("creating the state machine: %w", err)
}

// engineHandler adapts a step's handler for the engine: it runs once the
// stack is wired (an execution the engine resumed as it opened waits for
// that), and its errors, already reported by the handlers' one policy,
// become task errors with the same name and message lambdafn reports on
// AWS.
func (s *Stack) engineHandler(h tracks.Handler) engine.Handler {
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		select {
		case <-s.wired:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		out, err := h(ctx, in)
		var ke *kaiban.Error
		if errors.As(err, &ke) {
			// The handler has logged its cause (tracks.Service.Handlers).
			return nil, &engine.TaskError{Name: ke.Name, Cause: ke.Message}
		}
		return out, err
	}
}

// Close stops everything in reverse order of starting.
func (s *Stack) Close() error {
	if s.stopWD != nil {
		close(s.stopWD)
		<-s.wdDone
		s.stopWD = nil
	}
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	s.closers = nil
	return errors.Join(errs...)
}

// The gate both admits executions and, through Saturated, holds the
// journal's checkpoints back.
var _ engine.SaturationReporter = (*admission.Gate)(nil)
