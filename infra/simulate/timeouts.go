package simulate

import "time"

// agencyTimeout bounds each agency call. The engine's context deadline is
// real time, so it is generous: a shared machine must never turn a slow
// real-time step into a simulated agency failure. The simulators' stalls
// last stallFor of virtual time instead, standing in for the client
// timeout.
const agencyTimeout = 5 * time.Minute

// stallFor is how long a stalled agency call hangs in virtual time before
// it fails: the production clients' 10-second timeout.
const stallFor = 10 * time.Second
