// Package sam keeps the deployment honest: it reads template.yaml, the
// one-stop definition, the Makefile and the functions' code, and reports
// every place where they disagree — a placeholder without a substitution, a
// functions/ folder without a resource or a build target, a policy that
// grants an action the function's code never calls.
//
// Check runs every cross-check on a repository root; its test runs it on
// this repository and on deliberately broken copies. cmd/packagetest is the
// `make package-test` driver that runs every function as a bootstrap binary
// under the Lambda Runtime Interface Emulator.
package sam
