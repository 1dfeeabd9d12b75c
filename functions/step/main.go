// Command step is the bootstrap of every step function of the service:
// the states the workflow invokes and the scheduled watchdog. The
// template sets KAIBAN_STEP on each function to the step it runs (a name
// of shared/tracks.Steps); its wiring is functions/internal/trackfn.
package main

import "github.com/kaiban/kaiban/functions/internal/trackfn"

func main() { trackfn.Main() }
