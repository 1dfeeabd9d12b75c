package tracks

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Identity is what VerifyIdentity adds to the execution state and every
// later step receives: the attestation, never the ID numbers themselves.
type Identity struct {
	Attestation kaiban.IdentityAttestation `json:"attestation"`
}

// appInput is the input of identity, finalize and other application-wide
// steps.
type appInput struct {
	ApplicationID string `json:"applicationId"`
}

// reserveInput is the input of ReserveName.
type reserveInput struct {
	ApplicationID string   `json:"applicationId"`
	Identity      Identity `json:"identity"`
	NameApproved  bool     `json:"nameApproved"`
}

// trackInput is the input of the seven track functions.
type trackInput struct {
	Action        string `json:"action"` // run | complete
	ApplicationID string `json:"applicationId"`
	Track         string `json:"track"`
	CreditCode    string `json:"creditCode"`
	// NameReservation is the name pre-approval number, for the licence.
	NameReservation string               `json:"nameReservation"`
	Identity        Identity             `json:"identity"`
	Attempt         int                  `json:"attempt"`
	Clerk           *kaiban.ClerkOutcome `json:"clerk,omitempty"`
}

// escalateInput is the input of the clerk hand-off.
type escalateInput struct {
	ApplicationID string          `json:"applicationId"`
	Track         string          `json:"track"`
	Kind          kaiban.TaskKind `json:"kind"`
	TaskToken     string          `json:"taskToken"`
	Error         string          `json:"error"`
	Cause         string          `json:"cause"`
	// Clerk is the clerk's correct decision, for the SendBack state.
	Clerk *kaiban.ClerkOutcome `json:"clerk"`
	// AskedAt and DueAt are a correction's times as the state before its
	// wait computed them (correctionDueOutput); the wait times out at DueAt.
	AskedAt *time.Time `json:"askedAt"`
	DueAt   *time.Time `json:"dueAt"`
}

// compensateInput is the input of compensation.
type compensateInput struct {
	ApplicationID string `json:"applicationId"`
	Error         string `json:"error"`
	Cause         string `json:"cause"`
	// ByHand says a clerk cancelled the registrations at the agencies
	// themselves (the agencies could not be reached); nothing is sent.
	ByHand bool                 `json:"byHand,omitempty"`
	Clerk  *kaiban.ClerkOutcome `json:"clerk,omitempty"`
}

// decode strictly decodes a handler's input: unknown fields, wrong types and
// trailing data are ErrInput, which the definition does not retry.
func decode(in json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return kaiban.Wrap(kaiban.ErrInput, err, "handler input is not valid: "+describe(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return kaiban.Errorf(kaiban.ErrInput, "handler input has trailing data")
	}
	return nil
}

// describe turns a decoding error into a message without Go type names.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return "field " + te.Field + " has the wrong type"
	case errors.As(err, &se):
		return "malformed JSON"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	case errors.Is(err, io.EOF):
		return "empty input"
	}
	return "malformed JSON"
}

func requireID(id string) error {
	if id == "" {
		return kaiban.Errorf(kaiban.ErrInput, "applicationId is required")
	}
	return nil
}

func encode(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "encoding the result failed")
	}
	return b, nil
}

// causeMessage extracts a readable reason from a Step Functions Cause: on
// AWS a Lambda failure's Cause is the JSON error response
// ({"errorMessage":…,"errorType":…}); the local engine passes the message.
func causeMessage(errName, cause string) string {
	var lambdaErr struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(cause), &lambdaErr) == nil && lambdaErr.ErrorMessage != "" {
		return lambdaErr.ErrorMessage
	}
	return strings.TrimPrefix(cause, errName+": ")
}
