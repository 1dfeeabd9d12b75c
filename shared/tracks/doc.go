// Package tracks holds the handlers the one-stop state machine invokes:
// identity verification, name reservation, the seven registrations, clerk
// escalation, compensation, finalisation and the SLA watchdog.
//
// Every handler has the shape func(ctx, json.RawMessage) (json.RawMessage,
// error): the same function runs in the local engine and, wrapped by
// shared/aws/lambdafn, as a Lambda function. Handlers read the form from the
// Store (executions carry only the application ID, the credit code and the
// identity attestation), record each track's status, attempts and result in
// the Store, and return *kaiban.Error with the names the definition matches.
package tracks
