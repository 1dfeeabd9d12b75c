// Command documents is the bootstrap of the documents function (the
// workflow's documents step); its wiring is functions/internal/docfn.
package main

import "github.com/kaiban/kaiban/functions/internal/docfn"

func main() { docfn.Main() }
