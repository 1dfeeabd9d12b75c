// Package engine runs Amazon States Language state machines (JSONPath and
// JSONata query languages) in-process, the way AWS Step Functions does,
// so the definition deployed to AWS can run on one machine and in go
// test.
//
// The engine implements Service, the Step Functions API surface its front
// ends (sfnapi over HTTP, the sfnlocal CLI) map one to one. Data
// processing (paths, payload templates, intrinsic functions, Choice rules)
// lives in package expr, JSONata templates in package jsonata; this package parses and validates definitions
// (Parse, ValidationError), runs executions (one goroutine per path of
// execution: the root, each Parallel branch, each Map worker), invokes
// tasks (Go handlers by Lambda function name, or a TaskInvoker), manages
// task tokens, records history with AWS's event names and details, and
// persists it.
//
// # Durability
//
// With Options.DBPath the engine journals to SQLite (internal/journal):
// state machines, executions and every history event. The rule is
// write-ahead for side effects: before a task is invoked, a thread sleeps
// (Wait, retry backoff) or parks on a task token, everything the execution
// recorded so far is committed; so is a callback's result before
// SendTaskSuccess/Failure returns, and the end of an execution before it
// is reported. Task results are queued for commit immediately and the
// next side effect waits for them. Batches commit in order, many per
// transaction (group commit), so a crash always leaves a prefix of each
// execution's history.
//
// New resumes every RUNNING execution by replaying its history: each
// thread re-runs its states but consumes its recorded events instead of
// acting, taking recorded inputs, outputs, times, task tokens and chosen
// retry delays from them; completed tasks are not invoked again. Where
// the record stops the thread goes live. A task scheduled but without a
// recorded end runs again (at-least-once), which is why handlers carry
// idempotency keys. Waits, retries and timeouts end at the times computed
// from recorded timestamps. Tokens a resumed execution waits for are
// accepted from the moment New returns. HeartbeatSeconds restarts from
// the resume (heartbeats are not journaled).
//
// # JSONata and variables
//
// A state is JSONata when its QueryLanguage, or the definition's, says so
// (a JSONPath state inside a JSONata definition is refused, as AWS does).
// Its Arguments, Output, Assign, Condition, Items, ItemSelector and the
// scalar fields that take an expression are compiled at Parse; the
// JSONPath fields are refused there. Output and Assign see $states.input,
// $states.context, $states.result (Task, Parallel, Map) or
// $states.errorOutput (Catch), and the variables as they were when the
// state started. A thread's variables are copied on assignment: Parallel
// branches and Map iterations start from their parent's and their
// assignments stay inside. Assignments are recorded on the StateExited
// event (AWS's assignedVariables) and a resumed thread takes them from
// there, so $uuid() or $random() in Assign resume with the same values.
//
// # Time
//
// All timing goes through Clock. VirtualClock jumps to the next timer
// when every piece of in-flight work is blocked; see Clock for the hold
// contract that makes that safe, which other components (agency
// simulators, a watchdog) can join by sleeping with a context from
// WithHold, or the context a handler receives.
//
// # Where it differs from AWS
//
//   - StartExecution with the name and input of a finished execution
//     returns it (Service's contract); AWS answers ExecutionAlreadyExists
//     once an execution is closed.
//   - Lambda failures report Cause = err.Error() (AWS wraps errorMessage
//     and errorType in a JSON cause). A panicking handler fails with
//     Lambda.Unknown.
//   - ToleratedFailureCount/Percentage are honoured for inline Maps too,
//     and a tolerated item's result is its {"Error","Cause"}.
//   - A distributed Map (ProcessorConfig.Mode DISTRIBUTED, in ItemProcessor
//     or the legacy Iterator) runs its child workflows as iterations of
//     the parent execution, not as separate executions: the parent's
//     history has MapRunStarted/MapRunSucceeded/MapRunFailed (with AWS's
//     Map Run ARN, named after the Label) and also the iterations' own
//     events, and ExecutionType (STANDARD, EXPRESS) changes nothing.
//     S3 is a local folder per bucket (Options.S3Dirs, sfnlocal --s3-dir):
//     ItemReader reads objects as JSON, JSON Lines, CSV (any
//     CSVDelimiter) or an S3 Inventory manifest (CSV files), or lists them
//     (listObjectsV2, Etag an MD5 of the file); InputType PARQUET is
//     accepted and fails with States.ItemReaderFailed when read.
//     ResultWriter writes manifest.json and
//     SUCCEEDED_0.json/FAILED_0.json in AWS's layout, one file per
//     status. Items are read again when an execution resumes. In a
//     JSONata state ItemReader and ResultWriter take Arguments, and
//     MaxItems, MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput
//     may be expressions. ResultWriter.WriterConfig's Transformation
//     (NONE, COMPACT, FLATTEN) shapes the state output when there is no
//     Resource (NONE gives the outputs as COMPACT does, without AWS's
//     execution metadata); with Resource the files keep the layout above
//     whatever WriterConfig says, and OutputType JSONL is accepted but
//     the files are JSON.
//   - An in-memory engine forgets finished executions beyond
//     Options.RetainExecutions.
//   - JSONata: the evaluator (package jsonata) refuses a few JSONata 2.0.6
//     constructs instead of evaluating them (see its documentation); a
//     failing expression is not preceded by an EvaluationFailed event.
//     Validation messages for JSONPath fields in JSONata states, and the
//     causes for a non-boolean Condition, a non-array Items or an
//     undefined $name in a JSONPath field, are this engine's wording.
//   - Variables: each assignment and each Assign is limited to 256 KiB,
//     the variables in scope to 10 MiB together; AWS counts the 10 MiB
//     per execution, this engine per scope (a Parallel branch or Map
//     iteration counts its outer variables and its own, not its
//     siblings').
//   - JSONata object results are Go maps inside the evaluator; their keys
//     get an order back on the way out: an input object keeps its own, a
//     constructed object the constructor's, any other ($merge, $spread,
//     a transform) its keys' order in the inputs, then the constructors',
//     then sorted. AWS keeps JavaScript's insertion order, which these
//     rules reproduce in the usual cases, not in every case.
package engine
