package jsonata

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// $toMillis with a picture, replaced so that the picture is read as
// $fromMillis writes it (datetime.go): the Go function reads only
// numeric markers, and reads a time without a date as the current
// instant. As JSONata 2.0.6 does, a string that does not match the
// picture gives nothing; the date is year, month and day, or year and
// day of the year; parts left of the first one given are today's, parts
// right of the last one given are their minimum, and a gap between given
// parts (a year and a day without the month) is an error. Without a
// picture the language's own function reads ISO 8601.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"toMillis": {Func: toMillis, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
	}); err != nil {
		panic(err)
	}
}

func toMillis(s string, picture, timezone jtypes.OptionalString) (float64, error) {
	if !picture.IsSet() || timezone.IsSet() {
		n, err := jlib.ToMillis(s, picture, timezone)
		return float64(n), err
	}
	p, err := compileDateParser(picture.String)
	if err != nil {
		return 0, err
	}
	return p.parse(s, time.Now().UTC())
}

// dateParser matches a string against a picture: one group per marker.
type dateParser struct {
	re      *regexp.Regexp
	markers []*dateMarker
}

// dateParsers keeps the parsers of the pictures seen (up to
// maxDateParsers), as a definition uses a few pictures many times.
var dateParsers struct {
	sync.Mutex
	m map[string]*dateParser
}

const maxDateParsers = 256

func compileDateParser(picture string) (*dateParser, error) {
	dateParsers.Lock()
	p, ok := dateParsers.m[picture]
	dateParsers.Unlock()
	if ok {
		return p, nil
	}
	parts, err := parseDatePicture(picture)
	if err != nil {
		return nil, errors.New(strings.Replace(err.Error(), "$fromMillis", "$toMillis", 1))
	}
	p = &dateParser{}
	var re strings.Builder
	re.WriteString("(?i)^")
	for i := range parts {
		m := &parts[i]
		if m.component == 0 {
			re.WriteString(regexp.QuoteMeta(m.literal))
			continue
		}
		// A number followed directly by another has exactly the digits
		// its picture asks for ([Y0001][M01][D01]).
		fixed := i+1 < len(parts) && parts[i+1].isNumber() && m.isNumber()
		x, err := m.pattern(fixed)
		if err != nil {
			return nil, err
		}
		re.WriteString("(" + x + ")")
		p.markers = append(p.markers, m)
	}
	re.WriteString("$")
	if p.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("$toMillis: the picture %q cannot be read: %v", picture, err)
	}
	dateParsers.Lock()
	if dateParsers.m == nil {
		dateParsers.m = map[string]*dateParser{}
	}
	if len(dateParsers.m) < maxDateParsers {
		dateParsers.m[picture] = p
	}
	dateParsers.Unlock()
	return p, nil
}

// numberWordsPattern matches English number words as $formatInteger
// writes them.
var numberWordsPattern = func() string {
	var words []string
	for i := range fewWords {
		words = append(words, fewWords[i], fewOrdinals[i])
	}
	for _, d := range decadeWords[:8] {
		words = append(words, d, strings.TrimSuffix(d, "y")+"ieth")
	}
	words = append(words, "hundredth", "hundred")
	for _, m := range magnitudes {
		words = append(words, m+"th", m)
	}
	return "(?:" + strings.Join(words, "|") + "|and|minus|[-, ])+"
}()

// pattern is the regular expression a marker's text matches.
func (m *dateMarker) pattern(fixed bool) (string, error) {
	switch {
	case m.component == 'Z' || m.component == 'z':
		x := "[-+][0-9]+"
		if len(m.pic.seps) > 0 {
			x += regexp.QuoteMeta(m.pic.seps[0].sep) + "[0-9]+"
		}
		if m.component == 'z' {
			x = "GMT" + x
		}
		return x, nil
	case m.names != 0:
		if strings.IndexByte("MxFP", m.component) < 0 {
			return "", fmt.Errorf("$toMillis: [%c] cannot be read as a name", m.component)
		}
		return "[a-zA-Z]+", nil
	case strings.IndexByte("YMDdFWwXxHhmsf", m.component) < 0:
		return "", fmt.Errorf("$toMillis: the component [%c] cannot be read", m.component)
	}
	switch m.pic.kind {
	case 'a':
		return "[a-z]+", nil
	case 'i':
		return "[mdclxvi]+", nil
	case 'w':
		return numberWordsPattern, nil
	}
	x := "[0-9]+"
	if fixed && m.component != 'f' {
		x = "[0-9]{" + strconv.Itoa(max(m.pic.mandatory, 1)) + "}"
	}
	if m.ordinal {
		x += "(?:th|st|nd|rd)"
	}
	return x, nil
}

// isNumber reports whether a marker is a number written in digits.
func (m *dateMarker) isNumber() bool {
	return m.component != 0 && m.names == 0 && strings.IndexByte("YMDdFWwXxHhmsf", m.component) >= 0 && m.pic.kind == 'd'
}

// value reads a marker's matched text.
func (m *dateMarker) value(s string) (int, bool) {
	switch {
	case m.component == 'Z' || m.component == 'z':
		s = strings.TrimPrefix(s, "GMT")
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
		var h, min int
		if len(m.pic.seps) > 0 {
			hs, ms, _ := strings.Cut(s, m.pic.seps[0].sep)
			h, _ = strconv.Atoi(hs)
			min, _ = strconv.Atoi(ms)
		} else if len(s) <= 2 {
			h, _ = strconv.Atoi(s)
		} else {
			h, _ = strconv.Atoi(s[:len(s)-2])
			min, _ = strconv.Atoi(s[len(s)-2:])
		}
		return sign * (h*60 + min), true
	case m.names != 0:
		var names []string
		first := 1
		switch m.component {
		case 'M', 'x':
			names = monthNames
		case 'F':
			names = dayNames
		case 'P':
			names, first = []string{"am", "pm"}, 0
		}
		for i, n := range names {
			if m.maxWidth > 0 && len(n) > m.maxWidth {
				n = n[:m.maxWidth]
			}
			if strings.EqualFold(n, s) {
				return i + first, true
			}
		}
		return 0, false
	}
	switch m.pic.kind {
	case 'w':
		n, ok := parseWords(strings.ToLower(s))
		return int(n), ok
	case 'i':
		v, err := parseRoman(strings.ToUpper(s))
		return int(v), err == nil
	case 'a':
		v := 0
		for _, r := range strings.ToLower(s) {
			v = v*26 + int(r-'a'+1)
		}
		return v, true
	}
	if m.ordinal {
		s = s[:len(s)-2]
	}
	if m.component == 'f' {
		// fractional seconds: the digits after the decimal point, in
		// whole milliseconds
		f, err := strconv.ParseFloat("0."+s, 64)
		return int(f * 1000), err == nil
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// The components a date and a time are made of, most significant first.
const (
	dateYMD = "YMD"
	dateYd  = "Yd"
	timeH   = "Hmsf"
	timeP   = "Phmsf"
)

// parse returns the milliseconds s stands for, or the evaluator's
// ErrUndefined when s does not match the picture.
func (p *dateParser) parse(s string, now time.Time) (float64, error) {
	match := p.re.FindStringSubmatch(s)
	if match == nil {
		return 0, jtypes.ErrUndefined
	}
	got := map[byte]int{}
	for i, m := range p.markers {
		if v, ok := m.value(match[i+1]); ok {
			got[m.component] = v
		} else if m.names == 0 {
			return 0, jtypes.ErrUndefined
		}
	}
	if len(got) == 0 {
		return 0, jtypes.ErrUndefined
	}
	has := func(c byte) bool { _, ok := got[c]; return ok }
	date := dateYMD
	switch {
	case has('Y') && has('d') && !has('M') && !has('D'):
		date = dateYd
	case has('X') || has('W') || has('x') || has('w'):
		return 0, errors.New("$toMillis: reading a date from week numbers is not supported")
	}
	clock := timeH
	if (has('P') || has('h')) && !has('H') {
		clock = timeP
	}
	started, ended := false, false
	for _, c := range []byte(date + clock) {
		if has(c) {
			if ended {
				return 0, errors.New("$toMillis: the picture leaves a gap between the date and time parts it gives")
			}
			started = true
			continue
		}
		if started {
			ended = true
			got[c] = 0
			if c == 'M' || c == 'D' || c == 'd' {
				got[c] = 1
			}
			continue
		}
		v, _ := dateComponent(now, c)
		if c == 'P' {
			v = now.Hour() / 12
		}
		got[c] = v
	}
	var t time.Time
	if date == dateYd {
		t = time.Date(got['Y'], time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, got['d']-1)
	} else {
		t = time.Date(got['Y'], time.Month(got['M']), got['D'], 0, 0, 0, 0, time.UTC)
	}
	hour := got['H']
	if clock == timeP {
		hour = got['h'] % 12
		if got['P'] == 1 {
			hour += 12
		}
	}
	t = t.Add(time.Duration(hour)*time.Hour + time.Duration(got['m'])*time.Minute +
		time.Duration(got['s'])*time.Second + time.Duration(got['f'])*time.Millisecond)
	if z, ok := got['Z']; ok {
		t = t.Add(-time.Duration(z) * time.Minute)
	} else if z, ok := got['z']; ok {
		t = t.Add(-time.Duration(z) * time.Minute)
	}
	return float64(t.UnixMilli()), nil
}
