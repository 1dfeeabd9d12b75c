package drills

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
)

// diskFullSize is the data directory's tmpfs: room for the databases and a
// few hundred applications before the filler takes the rest.
const diskFullSize = 64 << 20

// TestDiskFullDrill puts the stack's data directory on a small tmpfs,
// submits applications while a filler file eats the free space until the
// disk is full, keeps submitting on the full disk for a moment, stops the
// stack, frees the space and starts it again on the same directory. Every
// application that got a 202 must then reach COMPLETED or REJECTED or
// have an open clerk task: none may be stranded. DISKFULL_RUNS (default 1)
// repeats it.
func TestDiskFullDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("disk-full drill skipped in -short mode")
	}
	runs := 1
	if v := os.Getenv("DISKFULL_RUNS"); v != "" {
		runs, _ = strconv.Atoi(v)
	}
	var stranded int
	for run := range runs {
		r := diskFullRun(t, run)
		t.Logf("run %d: %d accepted (202), %d refused while full; after restart %d completed, %d rejected, %d with an open clerk task %v, %d stranded %v",
			run+1, r.accepted, r.refused, r.completed, r.rejected, r.clerk, r.tasks, r.count(), r.stranded)
		stranded += r.count()
	}
	if stranded > 0 {
		t.Errorf("%d accepted applications stranded over %d runs", stranded, runs)
	}
}

type diskFullResult struct {
	accepted, refused, completed, rejected, clerk int
	stranded                                      map[string]int // status → count
	tasks                                         map[string]int // "clerk:subject/error" → count
}

func diskFullRun(t *testing.T, run int) diskFullResult {
	dir := mountTmpfs(t, diskFullSize)
	data := filepath.Join(dir, "data")
	filler := filepath.Join(dir, "filler")
	ctx := t.Context()

	// The founders sign as their links are sent.
	auto := &confirmtest.AutoSign{}
	st, err := stack.Start(ctx, stack.Config{DataDir: data, Profile: sim.Instant(), DirectAgencies: true, WatchdogEvery: -1, Notifier: auto})
	if err != nil {
		t.Fatalf("starting the stack: %v", err)
	}
	auto.Use(st.API.Service(), st.Outbox)
	srv := httptest.NewServer(st.Handler)
	var closeOnce sync.Once
	closeFirst := func() error {
		var err error
		closeOnce.Do(func() { srv.Close(); err = st.Close() })
		return err
	}
	t.Cleanup(func() { _ = closeFirst() })
	c := newClient(t, srv.URL)
	form := exampleForm(t)

	var (
		mu       sync.Mutex
		accepted []string
		refused  atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		n        atomic.Int64
	)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := n.Add(1)
				r := c.do(request{method: http.MethodPost, path: "/v1/applications", body: form,
					headers: map[string]string{"Idempotency-Key": fmt.Sprintf("disk-%d-%d", run, i)}})
				if r.code == http.StatusAccepted {
					id, _ := r.decoded["id"].(string)
					mu.Lock()
					accepted = append(accepted, id)
					mu.Unlock()
				} else {
					refused.Add(1)
				}
			}
		})
	}
	// Fill the disk in steps while submissions run, then hold it full.
	full := fillDisk(t, filler, stop)
	if !full {
		close(stop)
		wg.Wait()
		t.Fatal("the filler never filled the tmpfs")
	}
	time.Sleep(300 * time.Millisecond) // submissions and workflows meet the full disk
	close(stop)
	wg.Wait()
	if err := closeFirst(); err != nil {
		t.Logf("closing the stack on a full disk: %v", err)
	}

	// Space returns; the stack starts again on the same data.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	auto = &confirmtest.AutoSign{}
	st, err = stack.Start(ctx, stack.Config{DataDir: data, Profile: sim.Instant(), DirectAgencies: true, WatchdogEvery: -1, Notifier: auto})
	if err != nil {
		t.Fatalf("restarting the stack: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	auto.Use(st.API.Service(), st.Outbox)
	// A founder whose signature the full disk refused opens their link
	// again (it is sent again, and signs as it arrives).
	for _, id := range accepted {
		_, _ = st.API.Service().OpenConfirmations(ctx, id)
	}

	res := diskFullResult{accepted: len(accepted), refused: int(refused.Load()), stranded: map[string]int{}, tasks: map[string]int{}}
	pending := append([]string(nil), accepted...)
	deadline := time.Now().Add(60 * time.Second)
	for len(pending) > 0 && time.Now().Before(deadline) {
		var still []string
		for _, id := range pending {
			switch o := outcome(ctx, st.Store, id); o {
			case "COMPLETED":
				res.completed++
			case "REJECTED":
				res.rejected++
			case "":
				still = append(still, id)
			default: // a clerk task: its subject and error
				res.clerk++
				res.tasks[o]++
			}
		}
		pending = still
		if len(pending) > 0 {
			time.Sleep(100 * time.Millisecond) // polling the store, not a synchronisation
		}
	}
	for _, id := range pending {
		app, err := st.Store.GetApplication(ctx, id)
		status := "missing"
		if err == nil {
			status = string(app.Status)
		}
		if res.count() < 5 {
			t.Logf("stranded: %s %s", id, status)
		}
		res.stranded[status]++
	}
	return res
}

func (r diskFullResult) count() int {
	n := 0
	for _, c := range r.stranded {
		n += c
	}
	return n
}

// outcome is COMPLETED or REJECTED,
// "clerk:<subject>/<error>" when a clerk task is open, or "" while the
// application is still on its way.
func outcome(ctx context.Context, s kaiban.Store, id string) string {
	app, err := s.GetApplication(ctx, id)
	if err != nil {
		return ""
	}
	if app.Status.Terminal() {
		return string(app.Status)
	}
	if open, err := s.OpenTasksFor(ctx, id); err == nil && len(open) > 0 {
		return "clerk:" + open[0].Track + "/" + open[0].ErrorName
	}
	return ""
}

// fillDisk takes the free space down to 12 MiB at once, then grows the
// filler file by 32 KiB every 5 ms (about a second more) until the disk is
// full (true) or stop closes (false).
func fillDisk(t *testing.T, path string, stop <-chan struct{}) bool {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &fs); err != nil {
		t.Fatal(err)
	}
	if free := int64(fs.Bavail) * int64(fs.Bsize); free > 12<<20 {
		if _, err := f.Write(make([]byte, free-12<<20)); errors.Is(err, syscall.ENOSPC) {
			return true
		} else if err != nil {
			t.Fatalf("filling the disk: %v", err)
		}
	}
	chunk := make([]byte, 32<<10)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return false
		case <-tick.C:
		}
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return true
			}
			t.Fatalf("filling the disk: %v", err)
		}
	}
}

// mountTmpfs mounts a tmpfs of size bytes for the test, or skips the test
// saying why it cannot.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		t.Skip("disk-full drill skipped: mounting a tmpfs needs root")
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("disk-full drill skipped: cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("unmounting the tmpfs: %v: %s", err, out)
		}
	})
	return dir
}
