// Package sam keeps the deployment honest where the generator cannot: it
// reads template.yaml, the one-stop definition, the Makefile, the catalog
// of steps (shared/tracks.Steps) and the functions' code, and reports every
// place where they disagree — a placeholder without a substitution or one
// naming another step's function, a function whose KAIBAN_STEP is no step,
// a step no function runs, a function without a build target, a policy
// that grants an action the function's code never calls or lacks one it
// does.
//
// Check runs every cross-check on a repository root; its test runs it on
// this repository and on deliberately broken copies. cmd/packagetest is the
// `make package-test` driver that runs every function as a bootstrap binary
// under the Lambda Runtime Interface Emulator.
package sam
