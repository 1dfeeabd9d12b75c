// Command namebench measures the name check against a SQLite index of a
// million generated names, as the local stack runs it: the names are
// streamed into the index in batches (never all held), the store is closed
// and reopened, and then the process's resident memory and the latency of
// each check are measured over a mix of identical, similar and new names.
//
//	go run ./infra/namegen/namebench -db /tmp/names1m.db -names 1000000
//
// A database already loaded (by an earlier run, same -names) is reused, so
// two builds of the check can be compared on the same index.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kaiban/kaiban/infra/namegen"
	"github.com/kaiban/kaiban/infra/stack/sqlite"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
)

// benchKey seals nothing here (the index holds no personal data); the
// store wants a key.
var benchKey = []byte("0123456789abcdef0123456789abcdef")

func main() {
	db := flag.String("db", "", "the SQLite file (loaded if missing)")
	n := flag.Int("names", 1_000_000, "registered names to load")
	checks := flag.Int("checks", 6000, "checks to time, a third of each kind")
	batch := flag.Int("batch", 5000, "names per PutNames when loading")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the checks")
	flag.Parse()
	if *db == "" {
		log.Fatal("-db is required")
	}
	ctx := context.Background()
	now := time.Now()
	if _, err := os.Stat(*db); errors.Is(err, os.ErrNotExist) {
		if err := load(ctx, *db, *n, *batch, now); err != nil {
			log.Fatal(err)
		}
	}
	sample, err := readLines(*db + ".queries")
	if err != nil {
		log.Fatal(err)
	}
	// What stays of the load is given back before measuring the index.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	st, err := sqlite.Open(ctx, *db, benchKey)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	qs := mix(sample, *checks)
	idx := &counting{NameIndex: st}
	c := &names.Checker{Index: idx, Now: time.Now}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	lat := map[string][]time.Duration{}
	type tally struct{ calls, keys, suggestions int }
	tallies := map[string]*tally{}
	verdicts := map[string]map[names.Verdict]int{}
	start, cpu0 := time.Now(), cpuTime()
	for _, q := range qs {
		t := time.Now()
		res, err := c.Check(ctx, names.Request{Name: q.name})
		d := time.Since(t)
		if err != nil {
			log.Fatal(err)
		}
		lat[q.kind] = append(lat[q.kind], d)
		lat["all"] = append(lat["all"], d)
		if verdicts[q.kind] == nil {
			verdicts[q.kind] = map[names.Verdict]int{}
		}
		verdicts[q.kind][res.Verdict]++
		for _, k := range []string{q.kind, "all"} {
			if tallies[k] == nil {
				tallies[k] = &tally{}
			}
			tallies[k].calls += idx.calls
			tallies[k].keys += idx.keys
			tallies[k].suggestions += len(res.Suggestions)
		}
		idx.calls, idx.keys = 0, 0
	}
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fi, _ := os.Stat(*db)
	load1, _ := os.ReadFile("/proc/loadavg")
	load1 = []byte(strings.TrimSpace(string(load1)))
	fmt.Printf("index %s: %.0f MB file; %d checks in %v, CPU %.3f ms per check; load average %s\n", *db, float64(fi.Size())/(1<<20), len(qs),
		elapsed.Round(time.Millisecond), ms1(cpu/time.Duration(len(qs))), load1)
	for _, k := range []string{"identical", "similar", "new", "all"} {
		l := lat[k]
		slices.Sort(l)
		t, m := tallies[k], float64(len(l))
		fmt.Printf("%-9s n=%-5d p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms  FindNames %.1f, keys %.1f, suggestions %.1f per check  %v\n", k, len(l),
			ms1(l[len(l)/2]), ms1(l[len(l)*90/100]), ms1(l[len(l)*99/100]), ms1(l[len(l)-1]),
			float64(t.calls)/m, float64(t.keys)/m, float64(t.suggestions)/m, verdicts[k])
	}
	fmt.Printf("RSS while checking: peak %.0f MB, now %.0f MB (Go heap %.0f MB)\n", procMB("VmHWM:"), procMB("VmRSS:"), float64(ms.HeapInuse)/(1<<20))
}

func ms1(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// load streams n generated names into a new index at path, keeping every
// thousandth blocking one as a query sample in path.queries.
func load(ctx context.Context, path string, n, batch int, now time.Time) error {
	st, err := sqlite.Open(ctx, path, benchKey)
	if err != nil {
		return err
	}
	// The store checkpoints passively, which never catches up with writes
	// arriving back to back: the WAL would grow to tens of GB. A full
	// checkpoint every 100,000 names keeps it to about 1.5 GB (one after
	// each batch halves the load's speed).
	ckpt, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer ckpt.Close()
	f, err := os.Create(path + ".queries")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	every := max(1, n/1000)
	start, done := time.Now(), 0
	err = namegen.Stream(n, namegen.DefaultSeed, now, batch, func(recs []kaiban.NameRecord) error {
		for i, r := range recs {
			if (done+i)%every == 0 && r.BlocksAt(now) {
				fmt.Fprintln(w, r.Name)
			}
		}
		done += len(recs)
		if done%100_000 < batch {
			log.Printf("loaded %d names in %v", done, time.Since(start).Round(time.Second))
		}
		if err := st.PutNames(ctx, recs); err != nil {
			return err
		}
		if done%100_000 >= batch {
			return nil
		}
		_, err := ckpt.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	log.Printf("loaded %d names in %v, peak RSS %.0f MB", done, time.Since(start).Round(time.Millisecond), procMB("VmHWM:"))
	return err
}

// counting counts the look-ups of the checks: FindNames calls, and the
// keys they carry, which is what DynamoDB queries one by one.
type counting struct {
	kaiban.NameIndex
	calls, keys int
}

func (c *counting) FindNames(ctx context.Context, keys []string) ([]kaiban.NameRecord, error) {
	c.calls++
	c.keys += len(keys)
	return c.NameIndex.FindNames(ctx, keys)
}

type query struct{ kind, name string }

// mix makes the checks: a third identical to an indexed name (refused,
// with suggestions), a third similar to one (its trade name with a
// character added, same industry: mostly review, with suggestions), a
// third new generated names (mostly available), interleaved.
func mix(sample []string, n int) []query {
	fresh := namegen.Generate(n/3+1, 99, time.Now())
	out := make([]query, 0, n)
	for i := 0; len(out) < n; i++ {
		s := sample[i%len(sample)]
		switch i % 3 {
		case 0:
			out = append(out, query{"identical", s})
		case 1:
			p, _ := names.ParseFull(s)
			full := p.Region + p.TradeName + "鸿" + p.Industry + p.OrgForm
			out = append(out, query{"similar", full})
		default:
			out = append(out, query{"new", fresh[i/3].Name})
		}
	}
	return out
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS restarts the kernel's peak-RSS count (VmHWM) of this
// process, so the peak reported is the checks', not the load's.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// procMB reads a kB field of /proc/self/status, in MB.
func procMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
