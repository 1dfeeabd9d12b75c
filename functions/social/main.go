// Command social is the social function of the one-stop state machine; its
// handler lives in shared/tracks and its wiring in functions/internal/trackfn.
package main

import "github.com/kaiban/kaiban/functions/internal/trackfn"

func main() { trackfn.Main("social") }
