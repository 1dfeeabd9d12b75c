// Package apigw lets a Lambda handler written for the API Gateway HTTP API
// (payload format 2.0) be served by net/http, so the local stack runs the
// very handler that runs on AWS, fed the very event API Gateway would build.
//
// It has three parts:
//
//   - NewHTTPHandler turns each *http.Request into an
//     events.APIGatewayV2HTTPRequest (lower-cased, comma-joined headers,
//     cookies split out, query parameters, request context, base64 for
//     non-text bodies) and writes the handler's
//     events.APIGatewayV2HTTPResponse back (headers, multi-value headers,
//     cookies as Set-Cookie, base64 bodies), answering as API Gateway does
//     when the handler fails.
//   - JWTAuthorizer plays the HTTP API's JWT authorizer on protected path
//     prefixes: it checks issuer, audience (aud or client_id), exp, nbf, iat
//     and the signature (HS256 for dev tokens; ES256 or RS256 by kid for
//     the configured OpenID provider's access tokens), answers 401 {"message":"Unauthorized"} itself
//     when the token is not good, and otherwise fills
//     requestContext.authorizer.jwt with the claims rendered as strings, as
//     API Gateway does (arrays become "[a b]").
//   - SecureListener wraps the local server's listener so that the answers
//     net/http writes itself (400 for a malformed request, 431 for
//     oversized headers, 501, 505, 417) carry X-Content-Type-Options:
//     nosniff and Cache-Control: no-store, like every answer of the adapter.
//   - IssueDevToken signs tokens that the local authorizer accepts, shaped
//     like Cognito access tokens (cognito:groups, username, client_id).
//
// Dev tokens use HS256 with a local key: scripts get them from the local
// stack, which issues and checks them in one process. The clerks' own
// sign-in goes through an OpenID provider (infra/stack/oidcp locally,
// Cognito on AWS) whose tokens are checked with its public keys. Each kind
// is checked by its own verifier with its algorithms pinned, so
// "alg":"none" and algorithm-confusion tokens are refused.
package apigw
