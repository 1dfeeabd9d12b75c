package jsonata

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jtypes"
)

// $fromMillis, replaced so that its picture string is read as JSONata
// 2.0.6 reads it, after XPath's format-dateTime: the Go function numbers
// the days of the week from Sunday, writes hour 0 as 0 in twelve-hour
// form, ignores width modifiers ([M,2], [Y,2]) and the presentations of
// $formatInteger ([Dwo], [YI], [Da]), and lacks the week components
// ([W], [w], [X], [x]). A picture without markers is a literal; with no
// picture the result is ISO 8601 with milliseconds.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"fromMillis": {Func: fromMillis, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
	}); err != nil {
		panic(err)
	}
}

// isoPicture is the picture of $fromMillis without one: ISO 8601, "Z"
// for UTC.
const isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

var isoMarkers = mustParseDatePicture(isoPicture)

func fromMillis(millis float64, picture, timezone jtypes.OptionalString) (string, error) {
	if math.IsNaN(millis) || math.IsInf(millis, 0) {
		return "", errors.New("$fromMillis: the number of milliseconds is not finite")
	}
	parts := isoMarkers
	if picture.IsSet() {
		var err error
		if parts, err = parseDatePicture(picture.String); err != nil {
			return "", err
		}
	}
	offset := 0 // minutes east of UTC
	if timezone.IsSet() {
		var err error
		if offset, err = parseOffset(timezone.String); err != nil {
			return "", err
		}
	}
	t := time.UnixMilli(int64(millis)).UTC().Add(time.Duration(offset) * time.Minute)
	var b strings.Builder
	for _, p := range parts {
		if p.literal != "" || p.component == 0 {
			b.WriteString(p.literal)
			continue
		}
		s, err := p.format(t, offset)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// parseOffset reads a timezone argument, ±hhmm.
func parseOffset(tz string) (int, error) {
	n, err := strconv.Atoi(tz)
	if err != nil || len(strings.TrimLeft(tz, "+-")) != 4 {
		return 0, fmt.Errorf("$fromMillis: the timezone %q is not ±hhmm", tz)
	}
	sign := 1
	if n < 0 {
		sign, n = -1, -n
	}
	return sign * (n/100*60 + n%100), nil
}

// dateMarker is a literal, or a variable marker ([D01]) of a picture.
type dateMarker struct {
	literal   string
	component byte   // Y M D d F W w X x H h P m s f Z z C E
	pres      string // the first presentation modifier
	ordinal   bool   // the second is "o"
	zulu      bool   // the second is "t": Z for a zero offset
	names     byte   // 'n' lower, 'N' upper, 'T' title: written as a name
	minWidth  int    // -1 when not given
	maxWidth  int    // -1 when not given
	pic       intPicture
	digits    int // the decimal pattern's digits, mandatory and optional
	yearMod   int // Y: the year is written modulo 10^yearMod (0: in full)
}

var defaultPresentation = map[byte]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1",
	'H': "1", 'h': "1", 'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01", 'C': "n", 'E': "n",
}

func mustParseDatePicture(p string) []dateMarker {
	m, err := parseDatePicture(p)
	if err != nil {
		panic(err)
	}
	return m
}

// parseDatePicture splits a picture into literals and markers: "[[" and
// "]]" are literal brackets, white space inside a marker is ignored.
func parseDatePicture(p string) ([]dateMarker, error) {
	var out []dateMarker
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, dateMarker{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "[["):
			lit.WriteByte('[')
			i++
		case strings.HasPrefix(p[i:], "]]"):
			lit.WriteByte(']')
			i++
		case p[i] == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, errors.New("$fromMillis: a marker of the picture has no closing ]")
			}
			flush()
			m, err := parseDateMarker(strings.Join(strings.Fields(p[i+1:i+end]), ""))
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			i += end
		default:
			lit.WriteByte(p[i])
		}
	}
	flush()
	return out, nil
}

func parseDateMarker(s string) (dateMarker, error) {
	m := dateMarker{minWidth: -1, maxWidth: -1}
	if s == "" {
		return m, errors.New("$fromMillis: an empty marker in the picture")
	}
	m.component = s[0]
	pres := s[1:]
	if c := strings.LastIndexByte(pres, ','); c >= 0 {
		min, max, _ := strings.Cut(pres[c+1:], "-")
		m.minWidth, m.maxWidth = width(min), width(max)
		pres = pres[:c]
	}
	if len(pres) > 1 && strings.IndexByte("atco", pres[len(pres)-1]) >= 0 {
		switch pres[len(pres)-1] {
		case 'o':
			m.ordinal = true
		case 't':
			m.zulu = true
		}
		pres = pres[:len(pres)-1]
	}
	if pres == "" {
		var ok bool
		if pres, ok = defaultPresentation[m.component]; !ok {
			return m, fmt.Errorf("$fromMillis: unknown component specifier %q in the picture", m.component)
		}
	}
	m.pres = pres
	switch {
	case pres[0] == 'n':
		m.names = 'n'
	case strings.HasPrefix(pres, "Nn"):
		m.names = 'T'
	case pres[0] == 'N':
		m.names = 'N'
	case strings.IndexByte("YMDdFWwXxHhmsfZz", m.component) >= 0:
		ip := pres
		if m.ordinal {
			ip += ";o"
		}
		pic, err := parseIntPicture(ip)
		if err != nil {
			return m, fmt.Errorf("$fromMillis: the presentation %q of [%c] is not supported", pres, m.component)
		}
		for _, r := range pres {
			if unicode.IsDigit(r) || r == '#' {
				m.digits++
			}
		}
		if pic.kind == 'd' && m.minWidth > pic.mandatory {
			pic.mandatory = m.minWidth
		}
		if m.component == 'Y' {
			switch {
			case m.maxWidth > 0:
				m.yearMod = m.maxWidth
				pic.mandatory = m.maxWidth
			case pic.kind == 'd' && max(m.digits, pic.mandatory) >= 2:
				m.yearMod = max(m.digits, pic.mandatory)
			}
		}
		m.pic = pic
	}
	return m, nil
}

// width reads one side of a width modifier; "*" or nothing is no limit.
func width(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

var (
	dayNames   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

func (m *dateMarker) format(t time.Time, offset int) (string, error) {
	switch m.component {
	case 'Z', 'z':
		return m.formatOffset(offset)
	case 'P':
		if t.Hour() >= 12 {
			return m.cased("pm"), nil
		}
		return m.cased("am"), nil
	case 'C', 'E':
		return "ISO", nil
	}
	v, ok := dateComponent(t, m.component)
	if !ok {
		return "", fmt.Errorf("$fromMillis: unknown component specifier %q in the picture", m.component)
	}
	if m.names != 0 {
		var name string
		switch m.component {
		case 'M', 'x':
			name = monthNames[v-1]
		case 'F':
			name = dayNames[v-1]
		default:
			return "", fmt.Errorf("$fromMillis: [%c] cannot be written as a name", m.component)
		}
		name = m.cased(name)
		if m.maxWidth >= 0 && len(name) > m.maxWidth {
			name = name[:m.maxWidth]
		}
		return name, nil
	}
	if m.yearMod > 0 {
		v %= int(math.Pow10(m.yearMod))
	}
	return formatIntPicture(float64(v), m.pic)
}

func (m *dateMarker) cased(s string) string {
	switch m.names {
	case 'N':
		return strings.ToUpper(s)
	case 'n':
		return strings.ToLower(s)
	}
	return s
}

// formatOffset writes the timezone offset: hours, and ":mm" when not
// whole, for a one- or two-digit picture; hhmm with the picture's
// separators for a longer one; "GMT" before it for [z]; "Z" for UTC
// with the "t" modifier.
func (m *dateMarker) formatOffset(offset int) (string, error) {
	if offset == 0 && m.zulu {
		return "Z", nil
	}
	abs := offset
	if abs < 0 {
		abs = -abs
	}
	hhmm := abs/60*100 + abs%60
	var s string
	var err error
	switch {
	case len(m.pic.seps) > 0 || m.pic.mandatory == 3 || m.pic.mandatory == 4:
		s, err = formatIntPicture(float64(hhmm), m.pic)
	case m.pic.mandatory == 1 || m.pic.mandatory == 2:
		s, err = formatIntPicture(float64(abs/60), m.pic)
		if abs%60 != 0 {
			s += fmt.Sprintf(":%02d", abs%60)
		}
	default:
		return "", errors.New("$fromMillis: the timezone presentation of the picture has more than four digits")
	}
	if err != nil {
		return "", err
	}
	if offset < 0 {
		s = "-" + s
	} else {
		s = "+" + s
	}
	if m.component == 'z' {
		s = "GMT" + s
	}
	return s, nil
}

// dateComponent is the value of a numeric component of t: ISO 8601's
// day of the week (1 Monday to 7 Sunday) and weeks (starting on Monday,
// the first one holding the first Thursday, of the year for W and X, of
// the month for w and x).
func dateComponent(t time.Time, c byte) (int, bool) {
	switch c {
	case 'Y':
		return t.Year(), true
	case 'M':
		return int(t.Month()), true
	case 'D':
		return t.Day(), true
	case 'd':
		return t.YearDay(), true
	case 'F':
		return isoWeekday(t), true
	case 'W':
		_, w := t.ISOWeek()
		return w, true
	case 'X':
		y, _ := t.ISOWeek()
		return y, true
	case 'w', 'x':
		month, week := monthWeek(t)
		if c == 'x' {
			return int(month), true
		}
		return week, true
	case 'H':
		return t.Hour(), true
	case 'h':
		if h := t.Hour() % 12; h != 0 {
			return h, true
		}
		return 12, true
	case 'm':
		return t.Minute(), true
	case 's':
		return t.Second(), true
	case 'f':
		return t.Nanosecond() / 1e6, true
	}
	return 0, false
}

func isoWeekday(t time.Time) int {
	if d := int(t.Weekday()); d != 0 {
		return d
	}
	return 7
}

// monthWeek is the month whose weeks t's day counts in, and the week of
// it: a month's first week is the one (Monday to Sunday) holding its
// first Thursday, so the first days of a month can be in the last week
// of the one before, and the last days in the first week of the next.
func monthWeek(t time.Time) (time.Month, int) {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	first := firstWeekStart(t.Year(), t.Month())
	if day.Before(first) {
		prev := time.Date(t.Year(), t.Month()-1, 1, 0, 0, 0, 0, time.UTC)
		first = firstWeekStart(prev.Year(), prev.Month())
		return prev.Month(), int(day.Sub(first).Hours())/(24*7) + 1
	}
	next := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	if !day.Before(firstWeekStart(next.Year(), next.Month())) {
		return next.Month(), 1
	}
	return t.Month(), int(day.Sub(first).Hours())/(24*7) + 1
}

// firstWeekStart is the Monday that starts the first week of a month.
func firstWeekStart(year int, month time.Month) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	d := isoWeekday(first)
	if d > 4 {
		return first.AddDate(0, 0, 8-d)
	}
	return first.AddDate(0, 0, 1-d)
}
