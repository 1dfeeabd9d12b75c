package simulate

import (
	"bytes"
	_ "embed"
	"encoding/base32"
	"encoding/binary"
	"hash/fnv"
	"time"
)

// baseForm is a valid one-stop form (a copy of infra/examples/valid-llc.json,
// a Shenyang software LLC). Every simulated applicant files it with a trade
// name of their own.
//
//go:embed form.json
var baseForm []byte

// baseTradeName is the trade name in baseForm, replaced in the full name
// and in nameParts alike.
const baseTradeName = "云启"

// tradeChars are the characters trade names are made of. None of them is
// one of the simulators' trigger words (拒绝, 审核), so names are reviewed
// or rejected only by the realistic profile's random draws.
var tradeChars = []rune("华鑫瑞博恒远达盛泰宏兴创智汇联鼎嘉信诚航晨启明辰睿丰和安通宇")

// formFor returns the form of application i: its own trade name, its
// own people (withFounders) and, for a few, a seized address
// (withSeizedAddress).
func formFor(seed uint64, i int, rates CorrectionRates) []byte {
	r := rng(seed, i, "form")
	name := string([]rune{tradeChars[r.IntN(len(tradeChars))], tradeChars[r.IntN(len(tradeChars))]})
	form := withFounders(seed, i, bytes.ReplaceAll(baseForm, []byte(baseTradeName), []byte(name)))
	return withSeizedAddress(rates, seed, i, form)
}

// idEncoding is the API's application ID alphabet (RFC 4648 base32, no
// padding).
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// chinaTime is the zone of the date in application IDs.
var chinaTime = time.FixedZone("CST", 8*3600)

// applicationID returns the ID of application i in the API's shape (KB +
// date + 16 base32 characters). The API draws those characters at random;
// here they derive from (seed, i), because the simulators seed every draw
// with the idempotency key, which starts with the ID: a random ID would
// make each run a different day.
func applicationID(seed uint64, i int, day time.Time) string {
	h := fnv.New128a()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seed)
	binary.BigEndian.PutUint64(b[8:], uint64(i))
	h.Write(b[:])
	sum := h.Sum(nil)
	return "KB" + day.In(chinaTime).Format("20060102") + idEncoding.EncodeToString(sum[:10])
}
