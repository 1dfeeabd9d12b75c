// Package kaiban is the domain of the one-stop company start-up service:
// the one form, applications and their seven tracks, clerk tasks, the audit
// trail, the typed errors every handler shares, and the interfaces (ports)
// that adapters such as the SQLite and DynamoDB stores implement.
//
// It depends on nothing but the standard library, so every other package can
// import it and no adapter leaks into the domain.
package kaiban
