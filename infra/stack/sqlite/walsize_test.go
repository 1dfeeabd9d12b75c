package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/storetest"
)

// After a burst has grown the WAL past walSizeLimit, the file is cut back
// once the checkpointer has caught up and the next write reuses the log:
// a busy hour does not keep its disk space for ever.
func TestWALShrinksAfterABurst(t *testing.T) {
	defer func(old int64) { walSizeLimit = old }(walSizeLimit)
	walSizeLimit = 128 << 10
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	walSize := func() int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	for i := range 200 {
		storetest.MustCreate(t, s, fmt.Sprintf("burst-%03d", i), storetest.T0)
	}
	if n := walSize(); n <= walSizeLimit {
		t.Fatalf("the burst left a WAL of %d bytes; the test needs more than %d", n, walSizeLimit)
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; walSize() > walSizeLimit; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("WAL still %d bytes 10 s after the burst, limit %d", walSize(), walSizeLimit)
		}
		time.Sleep(2 * checkpointEvery)
		storetest.MustCreate(t, s, fmt.Sprintf("after-%03d", i), storetest.T0)
	}
}
