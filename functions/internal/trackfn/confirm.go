package trackfn

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
)

// confirmer is the application service as the confirm step uses it: it
// opens the founders' confirmations, sends their links (tokens derived
// from the api's TOKEN_SECRET, so the api finds them), reminds and reads
// the outcome. The founders verify and sign through the api, so the step
// holds no signing key and starts no execution.
func confirmer(getenv func(string) string, store *dynamodb.Store, n kaiban.Notifier, identity kaiban.IdentityVerifier, log *logrus.Logger) (*onestop.Service, error) {
	secret, err := base64.StdEncoding.DecodeString(getenv("TOKEN_SECRET"))
	if err != nil || len(secret) < onestop.MinTokenSecretBytes {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "TOKEN_SECRET must be base64 of at least %d bytes", onestop.MinTokenSecretBytes)
	}
	deps := onestop.Deps{
		Store: store, Validator: validate.New(), Workflow: noWorkflow{}, Logger: log, TokenSecret: secret,
		Notifier: n, PublicBaseURL: getenv("PUBLIC_BASE_URL"),
		Confirm: &onestop.ConfirmDeps{Store: store, Notifier: n, Signer: noSigner{}, Identity: identity},
	}
	if err := deps.Check(); err != nil {
		return nil, err
	}
	return onestop.New(deps), nil
}

// noSigner and noWorkflow stand for what the api alone does: sign a
// founder's decision and tell the waiting workflow about it.
type noSigner struct{}

func (noSigner) Sign(context.Context, []byte) ([]byte, error) {
	return nil, kaiban.Errorf(kaiban.ErrConfig, "the confirm step signs nothing: founders sign through the api")
}

func (noSigner) KeyID() string { return "" }

type noWorkflow struct{}

func (noWorkflow) StartExecution(context.Context, string) error {
	return kaiban.Errorf(kaiban.ErrConfig, "the confirm step starts no execution")
}

func (noWorkflow) SendTaskSuccess(context.Context, string, json.RawMessage) error {
	return kaiban.Errorf(kaiban.ErrConfig, "the confirm step tells no workflow: the api does")
}

var (
	_ kaiban.Signer    = noSigner{}
	_ onestop.Workflow = noWorkflow{}
)
