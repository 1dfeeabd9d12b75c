// Package onestop is Kaiban's application service: the use cases of the
// applicant (Submit, Validate, Status) and of the clerks (ListTasks,
// Claim, Release, Resolve, ClerkApplication, and Redeliver, the
// re-delivery of decisions that never reached their workflow), as plain
// Go values in and out and *kaiban.Error for what went wrong. It knows no
// transport: shared/api adapts API Gateway events to it, and the
// simulator calls it directly. It depends on ports only: the store
// (kaiban.Store), the workflow (Workflow, adapters shared/sfnworkflow and
// the local stack's engine adapter), the validator and a clock.
//
// # Starting the workflow
//
// Submit stores the application and then calls Workflow.StartExecution with
// name = the application ID and input {"applicationId":"<id>"}; the task
// handlers read the form from the store, so the execution input stays
// small and holds no personal data. Because the name is the application
// ID, a retried submission cannot start a second execution:
// ExecutionAlreadyExists for that name is treated as success (the input is
// always the same for a given ID).
//
// # Resolving clerk tasks
//
// A task takes only the decisions kaiban.DecisionTable gives its class;
// the service refuses others (400 on "decision"). The resolution is recorded
// first, with its audit event, in one conditional write (CLAIMED by the
// caller → RESOLVED), so of crossing decisions exactly one wins and the
// others get kaiban.ErrTaskResolved (409). A decision the workflow routes on is then delivered with
// Workflow.SendTaskSuccess, whatever the decision, with this output (see
// ClerkDecision):
//
//	{"decision":"retry|complete|reject","note":"…","data":{…}|null,
//	 "clerk":{"sub":"…","username":"…"}}
//
// The note is internal: it goes to the workflow, the task and the audit
// trail, with ID and mobile numbers masked (logging.Mask), and never to the
// applicant, who sees only the outcome.
//
// The escalation state puts it at ResultPath "$.clerk", so its Choice state
// routes on $.clerk.decision. Delivery is recorded on the task
// (DeliveredAt); one that fails is left to the background re-delivery
// (package delivery). A decision that closes the task only (acknowledge on
// the watchdog's DEADLINE_RISK tasks, which hold no token) is recorded as
// delivered at once. Using one call for every decision keeps every outcome
// in the definition's hands and in the execution history as data;
// SendTaskFailure is reserved for failures that are not a clerk's decision.
package onestop
