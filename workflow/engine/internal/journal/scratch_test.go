package journal

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// TestCommitsReuseNoStoredBytes: the writer encodes every commit's
// chunks into one buffer it keeps, so a later, smaller commit must leave
// what earlier ones stored as it was.
func TestCommitsReuseNoStoredBytes(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	now := time.Unix(1700000000, 0).UTC()
	details := func(seq int64, id, n int) []byte {
		return []byte(fmt.Sprintf(`{"seq":%d,"id":%d,"pad":%q}`, seq, id, bytes.Repeat([]byte{byte('a' + id%26)}, n)))
	}
	want := map[int64][][]byte{}
	id := map[int64]int64{}
	// Large commits first, then small ones over the same buffer.
	for round, size := range []int{3000, 1000, 10, 2000, 1} {
		var waits []func() error
		for seq := int64(1); seq <= 3; seq++ {
			b := &Batch{Executions: []Execution{{Seq: seq, Arn: fmt.Sprint("arn:", seq), Status: "RUNNING", Started: now}}}
			for range 2 {
				id[seq]++
				det := details(seq, int(id[seq]), size+int(seq))
				want[seq] = append(want[seq], det)
				b.Events = append(b.Events, Event{ExecSeq: seq, ID: id[seq], PrevID: id[seq] - 1, Type: "T", Time: now.Add(time.Duration(round)), Details: det})
			}
			waits = append(waits, d.Append(b))
		}
		for _, w := range waits {
			if err := w(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for seq, dets := range want {
		got, err := d.Events(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(dets) {
			t.Fatalf("execution %d: %d events, want %d", seq, len(got), len(dets))
		}
		for i, ev := range got {
			if ev.ID != int64(i+1) || !bytes.Equal(ev.Details, dets[i]) {
				t.Fatalf("execution %d event %d: id %d details %.40s…, want id %d %.40s…", seq, i, ev.ID, ev.Details, i+1, dets[i])
			}
		}
	}
}
