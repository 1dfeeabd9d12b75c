package journal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// fileSize is the size of the journal's main file: it grows only when a
// checkpoint copies the WAL into it.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// commitEvents commits n events of about 2 KB each and waits for them.
func commitEvents(t *testing.T, d *DB, n int) {
	t.Helper()
	details := []byte(fmt.Sprintf(`{"input":%q}`, make([]byte, 2000)))
	for i := range n {
		id := int64(i + 1)
		if err := d.Append(&Batch{Events: []Event{{ExecSeq: 1, ID: id, PrevID: id - 1, Type: "PassStateEntered", Time: time.Now(), Details: details}}})(); err != nil {
			t.Fatal(err)
		}
	}
}

// waitForGrowth fails unless the file grows past from within ten seconds.
func waitForGrowth(t *testing.T, path string, from int64, why string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) <= from {
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint %s: the file stayed at %d bytes for 10 s", why, from)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCheckpointsWaitWhileSaturated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var saturated atomic.Bool
	saturated.Store(true)
	d.DeferCheckpointsWhile(saturated.Load)

	before := fileSize(t, path)
	commitEvents(t, d, 100)
	time.Sleep(4 * checkpointEvery)
	if n := fileSize(t, path); n != before {
		t.Fatalf("the file went from %d to %d bytes while saturated: a checkpoint ran", before, n)
	}
	saturated.Store(false)
	waitForGrowth(t, path, before, "after saturation ended")
}

func TestCheckpointDeferralIsBounded(t *testing.T) {
	defer func(old time.Duration) { maxCheckpointDeferral = old }(maxCheckpointDeferral)
	maxCheckpointDeferral = 3 * checkpointEvery
	path := filepath.Join(t.TempDir(), "j.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.DeferCheckpointsWhile(func() bool { return true })

	before := fileSize(t, path)
	commitEvents(t, d, 100)
	waitForGrowth(t, path, before, "although the deferral bound passed")
}
