// Package simulate runs a working day of applications through the real
// service on a virtual clock: the production state machine definition
// and handlers, the SQLite store, the agency clients and the agency
// simulators with their realistic profile, clerks who work the exception
// queue through the clerk API, and applicants who answer the corrections
// (补正) the agencies and the clerks ask of them. It reports what an
// operator asks about: the share completed within 4 hours, completion
// percentiles, time per track, the clerk queue, the corrections, and the
// same day done the old way.
//
// Every random draw derives from (seed, application index, step), and
// clerks act at distinct virtual instants, so a seed names a day. One
// source of randomness is outside this package: the engine's Retry jitter
// (see README.md).
package simulate
