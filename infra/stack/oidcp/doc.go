// Package oidcp is the local stack's OpenID provider: what Cognito's hosted
// UI is on AWS. It serves discovery, the JWKS, authorization code with PKCE
// (S256 only, the console being a public client), refresh tokens, sign-out
// and a login page (zh/en) for a few clerk accounts, with zitadel/oidc's op
// package doing the protocol. Its access tokens are JWTs shaped like
// Cognito's (sub, username, cognito:groups, client_id, token_use=access),
// signed with an ES256 key, so the local authorizer checks them as API
// Gateway checks Cognito's.
//
// Sessions, codes and refresh tokens live in memory: a restart signs every
// clerk out, which a local stack can afford.
package oidcp
