package simulate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/apigw"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/sqlite"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/web"
	"github.com/kaiban/kaiban/workflow"
	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// service is the whole Kaiban service assembled for one simulated day. It
// is infra/stack's assembly with three differences, each for speed or for
// virtual time, none changing what the service does:
//
//   - the engine keeps executions in memory (the journal's fsyncs would
//     dominate a 5,000-application day, and no crash is simulated);
//   - the agency clients reach the simulators in-process (see inProcess),
//     so the engine's hold on the virtual clock travels with each call;
//   - the API's Step Functions client reaches the engine in-process too.
//
// The store is the real SQLite store on disk; the handlers, the definition,
// the agency clients and the API are the production ones.
type service struct {
	store   kaiban.Store
	sim     *sim.Server
	engine  *engine.Engine
	tracks  *tracks.Service
	handler http.Handler // the API behind the JWT authorizer
	machine string
	clerk   []byte // key signing clerk tokens
	closers []func() error
}

// agencyTimeout bounds each agency call. The engine's context deadline is
// real time, so it is generous: a shared machine must never turn a slow
// real-time step into a simulated agency failure. The simulators' stalls
// last stallFor of virtual time instead, standing in for the client
// timeout.
const agencyTimeout = 5 * time.Minute

// stallFor is how long a stalled agency call hangs in virtual time before
// it fails: the production clients' 10-second timeout.
const stallFor = 10 * time.Second

func startService(ctx context.Context, dir string, clock engine.Clock, profile sim.Profile, seed uint64, log *logrus.Logger) (_ *service, err error) {
	s := &service{}
	defer func() {
		if err != nil {
			_ = s.close()
		}
	}()
	piiKey, err := randomKey()
	if err != nil {
		return nil, err
	}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "kaiban.db"), piiKey)
	if err != nil {
		return nil, fmt.Errorf("opening the store: %w", err)
	}
	s.store = store
	s.closers = append(s.closers, store.Close)

	simSrv, err := sim.Start(ctx, profile, sim.WithSleeper(clock.Sleep), sim.WithClock(clock.Now))
	if err != nil {
		return nil, fmt.Errorf("starting the agency simulators: %w", err)
	}
	s.sim = simSrv
	s.closers = append(s.closers, simSrv.Close)
	clients, err := agency.NewClients(agency.Config{Default: simSrv.Endpoints(), Timeout: agencyTimeout},
		&http.Client{Transport: inProcess{h: simSrv.Handler()}})
	if err != nil {
		return nil, err
	}
	s.tracks = tracks.New(tracks.Deps{Store: store, Agencies: clients, Now: clock.Now, Logger: log})

	handlers := map[string]engine.Handler{}
	for name, h := range s.tracks.Handlers() {
		handlers[name] = engineHandler(h)
	}
	eng, err := engine.New(ctx, engine.Options{
		Clock: clock, Handlers: handlers, Substitutions: workflow.LocalSubstitutions(),
		Logger: log, RetainExecutions: -1,
		JitterSeed: seed | 1, // retries wait the same on every run of a seed
	})
	if err != nil {
		return nil, fmt.Errorf("starting the engine: %w", err)
	}
	s.engine = eng
	s.closers = append(s.closers, eng.Close)
	sm, err := eng.CreateStateMachine(ctx, "kaiban-onestop", string(workflow.OneStop), "arn:aws:iam::000000000000:role/kaiban-sim")
	if err != nil {
		return nil, fmt.Errorf("creating the state machine: %w", err)
	}
	s.machine = sm.Arn

	sfnClient := sfn.New(sfn.Options{
		Region:       "cn-north-1",
		BaseEndpoint: aws.String("http://engine.invalid"),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:   &http.Client{Transport: inProcess{h: sfnapi.NewHandler(eng)}},
	})
	secret, err := randomKey()
	if err != nil {
		return nil, err
	}
	deps := api.Deps{
		Store: store, Validator: validate.New(), Executions: sfnClient, StateMachineArn: s.machine,
		Clock: clock.Now, Logger: log, TokenSecret: secret, Assets: web.Asset,
	}
	if err := deps.Check(); err != nil {
		return nil, err
	}
	if s.clerk, err = randomKey(); err != nil {
		return nil, err
	}
	auth, err := apigw.NewJWTAuthorizer(apigw.JWTConfig{Key: s.clerk, Now: clock.Now})
	if err != nil {
		return nil, err
	}
	s.handler = apigw.NewHTTPHandler(api.NewServer(deps).Handle, auth, "/v1/clerk/")
	return s, nil
}

// engineHandler adapts a track handler for the engine as infra/stack does:
// a domain error keeps its stable name, anything else becomes Internal.
func engineHandler(h tracks.Handler) engine.Handler {
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		out, err := h(ctx, in)
		if err == nil {
			return out, nil
		}
		var ke *kaiban.Error
		if errors.As(err, &ke) {
			return nil, &engine.TaskError{Name: ke.Name, Cause: ke.Message}
		}
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, &engine.TaskError{Name: kaiban.ErrInternal, Cause: "internal error"}
	}
}

func randomKey() ([]byte, error) {
	k := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, k); err != nil {
		return nil, err
	}
	return k, nil
}

// close stops everything in reverse order of starting.
func (s *service) close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}
