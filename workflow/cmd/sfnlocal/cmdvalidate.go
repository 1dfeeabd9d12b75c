package main

import (
	"context"
	"flag"
	"fmt"
)

// validateCommand checks a definition: exit 0 and "valid" when it is
// valid, otherwise exit 2 with every problem on stderr.
func validateCommand(_ context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return e.report(err)
	}
	if len(pos) != 1 {
		return e.report(invalidf("validate takes one DEFINITION file (got %d arguments)", len(pos)))
	}
	def, err := e.readInput(pos[0])
	if err != nil {
		return e.report(err)
	}
	if err := validateDefinition(def); err != nil {
		return e.report(err)
	}
	fmt.Fprintf(e.stdout, "%s: valid\n", pos[0])
	return exitOK
}
