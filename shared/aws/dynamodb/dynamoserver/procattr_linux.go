package dynamoserver

import "syscall"

// procAttr puts the server in its own process group, so Stop ends its
// children too, and has the kernel kill it when the process that started
// it dies without calling Stop (a SIGKILLed local stack), rather than
// leaving it running with its tables.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
