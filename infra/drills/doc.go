// Package drills proves that nothing is lost and nothing is duplicated when
// things go wrong, with tests run by `make test`:
//
//   - the crash drill (crash_test.go) kills the local stack, as its own
//     process, with SIGKILL while 200 applications are in flight, restarts
//     it on the same data directory and checks at the agency simulators —
//     a separate process that outlives the crash — that every application
//     completed with exactly one live record per track;
//   - the fault drill (fault_test.go) makes agencies go down, answer past
//     the client's timeout, answer garbage and reject, and checks that
//     applications retry, escalate to clerks and complete or are
//     deliberately rejected with everything compensated;
//   - the bad-input drill (badinput_test.go) sends a corpus of hostile
//     requests to a running stack over HTTP and checks that each gets a
//     4xx in the API's error shape, the server stays up and nothing leaks;
//   - the two-stacks drill (twostacks_test.go) starts two stack processes
//     on one fresh data directory at once, 15 times: one runs, the other
//     refuses, the PII key never changes and what the winner stored reads
//     back after a restart; with the key deleted, a start is refused and
//     nothing is created or overwritten.
//
// The package has no code of its own; it only drives the real service.
package drills
