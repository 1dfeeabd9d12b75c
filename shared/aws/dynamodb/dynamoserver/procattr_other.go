//go:build !linux

package dynamoserver

import "syscall"

// procAttr puts the server in its own process group, so Stop ends its
// children too. Only Linux can also tie its life to ours (procattr_linux.go).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
