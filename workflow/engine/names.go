package engine

import (
	"strings"
	"unicode"
)

// The local engine presents itself as one region and account, as Step
// Functions Local does.
const (
	stateMachineArnPrefix = "arn:aws:states:" + defaultRegion + ":" + defaultAccount + ":stateMachine:"
	executionArnPrefix    = "arn:aws:states:" + defaultRegion + ":" + defaultAccount + ":execution:"
)

func stateMachineArn(name string) string { return stateMachineArnPrefix + name }

func executionArn(machine, name string) string { return executionArnPrefix + machine + ":" + name }

// validName applies AWS's rules for state machine and execution names:
// 1–80 characters, no whitespace, brackets, wildcards, special characters
// or control characters.
func validName(name string) bool {
	if name == "" || len([]rune(name)) > 80 {
		return false
	}
	for _, r := range name {
		if unicode.IsSpace(r) || r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return false
		}
		if strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return false
		}
	}
	return true
}
