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
// The use cases themselves (submitting, the status, the clerk queue,
// claims and decisions, the clerk's view of an application) are the
// application service's, package onestop; this package only turns events
// into its calls and its answers and errors into responses: routes,
// bodies, the Idempotency-Key, Accept-Language and Authorization headers.
package api
