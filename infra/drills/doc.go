// Package drills proves that nothing is lost and nothing is duplicated when
// things go wrong, with tests run by `make test`:
//
//   - the crash drill (crash_test.go) kills the local stack, as its own
//     process, with SIGKILL while 200 applications are in flight, restarts
//     it on the same data directory and checks at the agency simulators —
//     a separate process that outlives the crash — that every application
//     completed with exactly one live record per track; it runs again
//     with 20 applications on the DynamoDB store (dynamodb_test.go, against
//     a moto_server that outlives the stack), beside a happy-path drill of
//     `local --store dynamodb` starting its own moto_server;
//   - the fault drill (fault_test.go) makes agencies go down, answer past
//     the client's timeout, answer garbage and reject, and checks that
//     applications retry, escalate to clerks and complete or are
//     deliberately rejected with everything compensated;
//   - the tamper drill (tamper_test.go) edits a stopped stack's SQLite file
//     as someone without the audit key would — deletes the newest event
//     and rewrites the head, re-chains an edited event with an unkeyed
//     hash, changes the registered capital, a licence number, a clerk's
//     decision, the status — restarts it and checks that the clerk API
//     reports each precisely, and a whitespace-only reformat not at all;
//   - the bad-input drill (badinput_test.go) sends a corpus of hostile
//     requests to a running stack over HTTP and checks that each gets a
//     4xx in the API's error shape, the server stays up and nothing leaks;
//   - the crossing-decisions drill (crossing_test.go) sends two conflicting
//     decisions at once on each of 50 clerk tasks and checks that one wins
//     (200, the other 409) and that the stored decision, its audit event and
//     what the workflow did agree (crossing_dynamo_test.go: the same race on
//     the DynamoDB store, at the store level); clerkcomplete_test.go checks that a clerk
//     completion the handler cannot record goes back to a clerk instead of
//     rejecting the application.
//   - the disk-full drill (diskfull_test.go) puts the data directory on a
//     small tmpfs (it needs root to mount one, and says so when it skips),
//     fills the disk while applications are submitted, frees the space,
//     restarts the stack and checks that every application that got a 202
//     completes, is rejected or has an open clerk task.
//   - the two-stacks drill (twostacks_test.go) starts two stack processes
//     on one fresh data directory at once, 15 times: one runs, the other
//     refuses, the PII key never changes and what the winner stored reads
//     back after a restart; with the key deleted, a start is refused and
//     nothing is created or overwritten.
//
// The package has no code of its own; it only drives the real service.
package drills
