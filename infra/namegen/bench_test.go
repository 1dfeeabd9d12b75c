package namegen

import (
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/infra/stack/sqlite"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

// benchNames is the index size of the check benchmarks, which hold every
// generated name while loading; the budgets at 1,000,000 names are
// measured by ./namebench, which streams them (see the README).
var benchNames = flag.Int("names", 30_000, "registered names in the benchmark index")

// queries are the names checked: half registered names (refused, with
// suggestions), half new ones drawn like them (mostly available).
func queries(recs []kaiban.NameRecord, n int) []string {
	r := rand.New(rand.NewPCG(2, 2))
	fresh := Generate(n, 99, time.Now())
	out := make([]string, n)
	for i := range out {
		if i%2 == 0 {
			out[i] = recs[r.IntN(len(recs))].Name
		} else {
			out[i] = fresh[i].Name
		}
	}
	return out
}

// runChecks checks b.N names and reports p50 and p99 per check and the
// process's RSS.
func runChecks(b *testing.B, idx kaiban.NameIndex, recs []kaiban.NameRecord) {
	c := &names.Checker{Index: idx, Now: time.Now}
	qs := queries(recs, 2000)
	lat := make([]time.Duration, 0, b.N)
	verdicts := map[names.Verdict]int{}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := c.Check(ctx, names.Request{Name: qs[i%len(qs)]})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		verdicts[res.Verdict]++
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(rssMB(), "RSS-MB")
	b.Logf("%d names, %d checks: %v", len(recs), b.N, verdicts)
}

// rssMB is the process's peak resident set (VmHWM), in MB.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkCheckMemory: the check over the in-memory index.
func BenchmarkCheckMemory(b *testing.B) {
	if memBench.idx == nil { // loaded once for the b.N rounds
		memBench.recs = Generate(*benchNames, DefaultSeed, time.Now())
		idx := storetest.NewMemNameIndex()
		if err := Load(context.Background(), idx, memBench.recs); err != nil {
			b.Fatal(err)
		}
		memBench.idx = idx
		runtime.GC()
	}
	runChecks(b, memBench.idx, memBench.recs)
}

// loaded is an index a benchmark loaded and its records.
type loaded struct {
	idx  kaiban.NameIndex
	recs []kaiban.NameRecord
}

var memBench, sqliteBench loaded

// BenchmarkCheckSQLite: the check over the SQLite index the local stack
// uses, loaded once (the load time is logged).
func BenchmarkCheckSQLite(b *testing.B) {
	if sqliteBench.idx == nil { // loaded once for the b.N rounds; the file stays till the process ends
		recs := Generate(*benchNames, DefaultSeed, time.Now())
		dir, err := os.MkdirTemp("", "namebench")
		if err != nil {
			b.Fatal(err)
		}
		st, err := sqlite.Open(context.Background(), filepath.Join(dir, "kaiban.db"), []byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := Load(context.Background(), st, recs); err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d names into SQLite in %v", len(recs), time.Since(start).Round(time.Millisecond))
		sqliteBench = loaded{idx: st, recs: recs[:min(len(recs), 100_000)]} // the queries' sample; the rest is freed
		runtime.GC()
	}
	runChecks(b, sqliteBench.idx, sqliteBench.recs)
}

// countingAPI counts the DynamoDB reads a check makes.
type countingAPI struct {
	dynamodb.API
	queries, gets atomic.Int64
}

func (c *countingAPI) Query(ctx context.Context, in *awsdynamodb.QueryInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.QueryOutput, error) {
	c.queries.Add(1)
	return c.API.Query(ctx, in, opts...)
}

func (c *countingAPI) GetItem(ctx context.Context, in *awsdynamodb.GetItemInput, opts ...func(*awsdynamodb.Options)) (*awsdynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.API.GetItem(ctx, in, opts...)
}

// BenchmarkCheckDynamoDB counts the DynamoDB look-ups per check (moto:
// its latency says nothing about DynamoDB's) over a 300-name table; the
// count does not depend on the index size, only on the trade name's
// length and on whether suggestions are needed.
func BenchmarkCheckDynamoDB(b *testing.B) {
	srv, err := dynamotest.Start(context.Background())
	if err != nil {
		b.Skip("SKIPPED: no DynamoDB-API server: " + err.Error())
	}
	defer srv.Stop()
	table := dynamotest.TableName("names")
	if err := dynamodb.New(srv.Client(), table, nil).CreateTable(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer srv.Client().DeleteTable(context.Background(), &awsdynamodb.DeleteTableInput{TableName: aws.String(table)})
	api := &countingAPI{API: srv.Client()}
	st := dynamodb.New(api, table, nil)
	recs := Generate(300, DefaultSeed, time.Now())
	if err := Load(context.Background(), st, recs); err != nil {
		b.Fatal(err)
	}
	c := &names.Checker{Index: st, Now: time.Now}
	qs := queries(recs, 100)
	api.queries.Store(0)
	api.gets.Store(0)
	byVerdict := map[names.Verdict][2]int64{} // checks, queries
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := api.queries.Load()
		res, err := c.Check(context.Background(), names.Request{Name: qs[i%len(qs)]})
		if err != nil {
			b.Fatal(err)
		}
		v := byVerdict[res.Verdict]
		byVerdict[res.Verdict] = [2]int64{v[0] + 1, v[1] + api.queries.Load() - before}
	}
	b.StopTimer()
	b.ReportMetric(float64(api.queries.Load()+api.gets.Load())/float64(b.N), "lookups/check")
	for v, n := range byVerdict {
		b.Logf("%s: %d checks, %.1f queries each", v, n[0], float64(n[1])/float64(n[0]))
	}
}
