// Package stack assembles the whole Kaiban service in one process: the
// store (SQLite in the data directory, or the DynamoDB store on a
// DynamoDB-API server such as moto_server), the agency simulators (or external agencies), the agency
// clients, the track handlers, the local Step Functions engine running
// workflow/onestop.asl.json, its Step Functions API (which the API
// function's aws-sdk-go-v2 client calls in process), the API
// function behind a net/http adapter that builds API Gateway's events
// (with the JWT authorizer on clerk routes), the web pages and the SLA
// watchdog. The local stack (infra/local) serves it; tests and the day
// simulation drive it directly.
package stack
