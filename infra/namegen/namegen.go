// Package namegen makes a registry of realistic company names for the
// local stack's simulated registry and for the name-check benchmarks, or
// reads one from a JSON Lines file. The same seed gives the same names.
package namegen

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
)

// DefaultSize is the local stack's registry when no file is given.
const DefaultSize = 30_000

// DefaultSeed makes the default registry, the one the example form
// (沈阳云启软件科技有限公司) is checked against in the tests.
const DefaultSeed = 1

// Weighted regions: most companies are registered in the two big cities.
var regions = []weighted{
	{"沈阳", 30}, {"大连", 25}, {"鞍山", 6}, {"抚顺", 4}, {"本溪", 3}, {"丹东", 4}, {"锦州", 5},
	{"营口", 5}, {"阜新", 3}, {"辽阳", 3}, {"盘锦", 4}, {"铁岭", 3}, {"朝阳", 3}, {"葫芦岛", 3},
	{"浑南", 2}, {"金州", 2}, {"海城", 1}, {"瓦房店", 1},
}

// tradeChars are characters common in trade names.
var tradeChars = []rune("鑫源华盛兴达恒泰瑞丰金宏辉隆昌顺祥福旺发富润嘉和信诚德益安康海天宇星辰晨曦光明亿通远博新创智汇聚合众力鼎佳美好欣荣锦程伟业东方北方明珠银河蓝天绿洲长青永盈凯峰晟远航翔龙凤麒麟松柏枫林雅博睿思齐云启帆")

// industries are industry words with rough frequencies.
var industries = []weighted{
	{"商贸", 14}, {"贸易", 8}, {"科技", 10}, {"信息技术", 6}, {"软件", 4}, {"网络科技", 5}, {"餐饮", 6}, {"餐饮管理", 3},
	{"房地产开发", 3}, {"置业", 2}, {"物流", 5}, {"建筑工程", 4}, {"装饰工程", 4}, {"机械设备", 4}, {"电子科技", 3},
	{"文化传媒", 4}, {"广告", 2}, {"企业管理", 3}, {"商务咨询", 3}, {"教育咨询", 2}, {"酒店管理", 2}, {"食品", 2},
	{"酒业", 1}, {"服饰", 2}, {"医药", 1}, {"汽车维修", 1}, {"家政服务", 1}, {"健身", 1}, {"农业科技", 2}, {"新能源", 1},
}

var orgForms = []weighted{{"有限公司", 80}, {"有限责任公司", 8}, {"股份有限公司", 4}, {"经营部", 4}, {"商行", 2}, {"厂", 2}}

// weighted is a string drawn with a relative frequency.
type weighted struct {
	s string
	w int
}

func pick(r *rand.Rand, xs []weighted) string {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range xs {
		if n -= x.w; n < 0 {
			return x.s
		}
	}
	return xs[len(xs)-1].s
}

// Generate returns n distinct names with statuses as a registry has them
// at now: mostly registered, some deregistered or revoked (in the last
// three years), a few reserved (in their 30 days). Only names the check
// accepts by its rules are kept, so every one is a plausible registration.
func Generate(n int, seed uint64, now time.Time) []kaiban.NameRecord {
	out := make([]kaiban.NameRecord, 0, n)
	_ = Stream(n, seed, now, n, func(recs []kaiban.NameRecord) error {
		out = append(out, recs...)
		return nil
	})
	return out
}

// Stream makes the names Generate makes, handing them to put size at a
// time (the slice is reused after put returns), so a registry of millions
// is never held at once: it keeps only a 64-bit hash of each name to skip
// repeats (a hash collision skips a name, which changes nothing but which
// names are drawn). put's error stops it.
func Stream(n int, seed uint64, now time.Time, size int, put func([]kaiban.NameRecord) error) error {
	r := rand.New(rand.NewPCG(seed, 0x6b616962616e))
	buf := make([]kaiban.NameRecord, 0, max(1, min(size, n)))
	seen := make(map[uint64]struct{}, n)
	for made := 0; made < n; {
		tn := 2
		if r.IntN(4) == 0 {
			tn = 3
		}
		trade := make([]rune, tn)
		for i := range trade {
			trade[i] = tradeChars[r.IntN(len(tradeChars))]
		}
		full := pick(r, regions) + string(trade) + pick(r, industries) + pick(r, orgForms)
		h := fnv64a(full)
		if _, dup := seen[h]; dup {
			continue
		}
		rec, ok := names.Record(full)
		if !ok || !names.PassesRules(full) {
			continue
		}
		seen[h] = struct{}{}
		switch p := r.IntN(100); {
		case p < 88:
			rec.Status, rec.ChangedAt = kaiban.NameRegistered, now.Add(-time.Duration(r.Int64N(int64(20*365*24*time.Hour))))
		case p < 95:
			rec.Status, rec.ChangedAt = kaiban.NameDeregistered, now.Add(-time.Duration(r.Int64N(int64(3*365*24*time.Hour))))
		case p < 98:
			rec.Status, rec.ChangedAt = kaiban.NameRevoked, now.Add(-time.Duration(r.Int64N(int64(3*365*24*time.Hour))))
		default:
			rec.Status, rec.ChangedAt = kaiban.NameReserved, now.Add(-time.Duration(r.Int64N(int64(30*24*time.Hour))))
			rec.ReservedUntil, rec.Holder = rec.ChangedAt.Add(30*24*time.Hour), fmt.Sprintf("KBSEED%07d", made)
		}
		buf = append(buf, rec)
		made++
		if len(buf) == cap(buf) || made == n {
			if err := put(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// fnv64a is the 64-bit FNV-1a hash of s: fixed, so a collision (and the
// name it skips) is the same on every run.
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// Line is one line of a registered-names file.
type Line struct {
	Name      string `json:"name"`
	Status    string `json:"status"`
	ChangedAt string `json:"changedAt"` // YYYY-MM-DD
}

// ReservationTerm is the reservation period of RESERVED lines of a file,
// counted from their changedAt.
const ReservationTerm = 30 * 24 * time.Hour

// Read reads a JSON Lines registry: {"name","status","changedAt"} per
// line, the registry derived from the name's region. A line that is not
// such a record, or whose name the check cannot place, is an error naming
// its line.
func Read(r io.Reader) ([]kaiban.NameRecord, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var out []kaiban.NameRecord
	for ln := 1; sc.Scan(); ln++ {
		text := sc.Bytes()
		if len(text) == 0 {
			continue
		}
		var l Line
		if err := json.Unmarshal(text, &l); err != nil {
			return nil, fmt.Errorf("line %d: %w", ln, err)
		}
		rec, ok := names.Record(l.Name)
		if !ok {
			return nil, fmt.Errorf("line %d: %q has no Liaoning region, trade name or known industry words", ln, l.Name)
		}
		changed, err := time.Parse("2006-01-02", l.ChangedAt)
		if err != nil {
			return nil, fmt.Errorf("line %d: changedAt %q: want YYYY-MM-DD", ln, l.ChangedAt)
		}
		rec.Status, rec.ChangedAt = kaiban.NameStatus(l.Status), changed
		if rec.Status == kaiban.NameReserved {
			rec.ReservedUntil, rec.Holder = changed.Add(ReservationTerm), fmt.Sprintf("FILE%d", ln)
		}
		if err := rec.Check(false); err != nil {
			return nil, fmt.Errorf("line %d: %w", ln, err)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// batch is how many records one PutNames call carries when loading.
const batch = 1000

// Load puts recs into idx in batches.
func Load(ctx context.Context, idx kaiban.NameIndex, recs []kaiban.NameRecord) error {
	for i := 0; i < len(recs); i += batch {
		if err := idx.PutNames(ctx, recs[i:min(i+batch, len(recs))]); err != nil {
			return err
		}
	}
	return nil
}
