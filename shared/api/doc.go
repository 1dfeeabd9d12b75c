// Package api is Kaiban's HTTP API: one handler for API Gateway HTTP API
// payload 2.0 events, serving the applicant routes, the clerk routes, the
// health check and the two web pages. The whole API is listed in
// routes.go; JSON encoding, decoding and the error shape live in encode.go.
//
// # Errors
//
// Every error answer has the shape
//
//	{"errors":[{"field":"company.name","code":"required","message":"…"}]}
//
// Validation errors list every failing field at once. Other errors have
// field "" and code = the stable error name (kaiban.Err*); messages are
// Chinese unless the request says Accept-Language: en. The status comes
// from kaiban.HTTPStatus. No client input can cause a 5xx; a failing
// dependency answers 503 (retry) and a bug 500, both logged.
//
// The status answer's messages follow Accept-Language too: they are
// stored in one language and rendered by kaiban.LocalizeNotice, with a
// messageCode that does not depend on the language.
//
// # Starting the workflow
//
// Submitting stores the application and then calls StartExecution with
// name = the application ID and input {"applicationId":"<id>"}; the task
// handlers read the form from the store, so the execution input stays
// small and holds no personal data. Because the name is the application
// ID, a retried submission cannot start a second execution:
// ExecutionAlreadyExists for that name is treated as success (the input is
// always the same for a given ID).
//
// # Resolving clerk tasks
//
// A task takes only the decisions kaiban.DecisionTable gives its class;
// the API refuses others (400 on "decision"). The resolution is recorded
// first, with its audit event, in one conditional write (CLAIMED by the
// caller → RESOLVED), so of crossing decisions exactly one wins and the
// others get 409. A decision the workflow routes on is then delivered with
// SendTaskSuccess, whatever the decision, with this output (see
// ClerkDecision):
//
//	{"decision":"retry|complete|reject","note":"…","data":{…}|null,
//	 "clerk":{"sub":"…","username":"…"}}
//
// The note is internal: it goes to the workflow, the task and the audit
// trail, with ID and mobile numbers masked (logging.Mask), and never to the
// applicant, who sees only the outcome.
//
// The escalation state puts it at ResultPath "$.clerk", so its Choice state
// routes on $.clerk.decision. Delivery is recorded on the task
// (DeliveredAt); one that fails is left to the background re-delivery
// (package delivery). A decision that closes the task only (acknowledge on
// the watchdog's DEADLINE_RISK tasks, which hold no token) is recorded as
// delivered at once. Using one call for every decision keeps every outcome
// in the definition's hands and in the execution history as data;
// SendTaskFailure is reserved for failures that are not a clerk's decision.
package api
