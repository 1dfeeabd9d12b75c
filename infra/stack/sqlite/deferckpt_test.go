package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/storetest"
)

// dbFileSize is the size of the main database file: it grows only when a
// checkpoint copies the WAL into it.
func dbFileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// waitForCheckpoint fails unless the file grows past from within ten
// seconds.
func waitForCheckpoint(t *testing.T, path string, from int64, why string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for dbFileSize(t, path) <= from {
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint %s: the file stayed at %d bytes for 10 s", why, from)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// While the process is saturated, applications stay in the WAL (which a
// crash of the process does not lose) and the file is not touched; once
// it is not, the next tick checkpoints.
func TestCheckpointsWaitWhileSaturated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s := openAt(t, path)
	var saturated atomic.Bool
	saturated.Store(true)
	s.DeferCheckpointsWhile(saturated.Load)

	before := dbFileSize(t, path)
	for i := range 50 {
		storetest.MustCreate(t, s, fmt.Sprintf("saturated-%03d", i), storetest.T0)
	}
	time.Sleep(4 * checkpointEvery)
	if n := dbFileSize(t, path); n != before {
		t.Fatalf("the file went from %d to %d bytes while saturated: a checkpoint ran", before, n)
	}
	saturated.Store(false)
	waitForCheckpoint(t, path, before, "after saturation ended")
}

// Saturation that never ends still gets a checkpoint every
// maxCheckpointDeferral, bounding what a power failure can lose.
func TestCheckpointDeferralIsBounded(t *testing.T) {
	old := maxCheckpointDeferral
	t.Cleanup(func() { maxCheckpointDeferral = old }) // after the store's Close
	maxCheckpointDeferral = 3 * checkpointEvery
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s := openAt(t, path)
	s.DeferCheckpointsWhile(func() bool { return true })

	before := dbFileSize(t, path)
	for i := range 50 {
		storetest.MustCreate(t, s, fmt.Sprintf("always-%03d", i), storetest.T0)
	}
	waitForCheckpoint(t, path, before, "although the deferral bound passed")
}
