package drills

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinaries compiles the local stack and the agency simulators once,
// so the drill runs them as the separate processes an operator runs.
func buildBinaries(t *testing.T) (stackBin, simBin string) {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Skipf("crash drill skipped: no go command at %s to build the binaries (%v)", goBin, err)
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "build", "-o", dir+string(filepath.Separator), "../local", "../sim/cmd/agencysim")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the binaries: %v\n%s", err, out)
	}
	return filepath.Join(dir, "local"), filepath.Join(dir, "agencysim")
}

// proc is a child process whose stdout lines the drill reads and whose
// stderr is kept for the failure report.
type proc struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	lines  chan string
	errLog string
	done   chan struct{}
}

func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, lines: make(chan string, 64), errLog: filepath.Join(t.TempDir(), name+".stderr"), done: make(chan struct{})}
	errFile, err := os.Create(p.errLog)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = errFile
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody is reading any more; drop
			}
		}
	}()
	go func() {
		_ = p.cmd.Wait()
		errFile.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			p.signal(syscall.SIGKILL)
			<-p.done
		}
		if t.Failed() {
			b, _ := os.ReadFile(p.errLog)
			t.Logf("%s stderr (last 2 KiB):\n%s", name, tail(b, 2048))
		}
	})
	return p
}

// urlAfter waits for a stdout line containing marker and returns the URL
// that follows it.
func (p *proc) urlAfter(marker string) string {
	p.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("%s exited before printing %q", p.name, marker)
			}
			if _, rest, found := strings.Cut(line, marker); found {
				return strings.TrimSuffix(strings.TrimSpace(rest), "/")
			}
		case <-deadline:
			p.t.Fatalf("%s did not print %q within 30s", p.name, marker)
		}
	}
}

func (p *proc) signal(s os.Signal) {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Signal(s)
	}
}

// kill ends the process with SIGKILL, as a crash does: no shutdown code
// runs.
func (p *proc) kill() {
	p.t.Helper()
	p.signal(syscall.SIGKILL)
	<-p.done
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
