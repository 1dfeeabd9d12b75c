package validate

import (
	"reflect"
	"strings"
)

// builtinTags are the texts of the built-in tags (builtins). A built-in
// tag used without a text here gets the generic "invalid value" message
// (TestEveryFormTagHasItsOwnMessage fails first).
var builtinTags = map[string]builtinMessage{
	"required":    {plain: message{zh: "此项为必填项", en: "is required"}},
	"required_if": {plain: message{zh: "此项为必填项", en: "is required"}},
	"email":       {plain: message{zh: "电子邮箱地址格式不正确", en: "is not a valid email address"}},
	"oneof":       {plain: message{zh: "须为以下之一：{0}", en: "must be one of: {0}"}, list: true},
	"max": {
		text:   message{zh: "不能超过{0}个字符", en: "must be at most {0} characters long"},
		items:  message{zh: "最多{0}项", en: "must have at most {0} items"},
		number: message{zh: "不能大于{0}", en: "must be at most {0}"},
	},
	"min": {
		text:   message{zh: "至少需要{0}个字符", en: "must be at least {0} characters long"},
		items:  message{zh: "至少需要{0}项", en: "must have at least {0} items"},
		number: message{zh: "不能小于{0}", en: "must be at least {0}"},
	},
	"gt": {
		text:   message{zh: "须多于{0}个字符", en: "must be longer than {0} characters"},
		items:  message{zh: "须多于{0}项", en: "must have more than {0} items"},
		number: message{zh: "须大于{0}", en: "must be greater than {0}"},
	},
}

// builtinMessage is the text of a built-in tag: one text, or one per kind
// of value a limit applies to (a string's length, a list's items, a
// number's value).
type builtinMessage struct {
	plain               message
	text, items, number message
	// list formats the parameter "A B C" as a list ("A、B、C" or "A, B, C").
	list bool
}

// format picks the text for the kind of value that failed and fills in
// the parameter.
func (m builtinMessage) format(kind reflect.Kind, param string, en bool) string {
	msg := m.plain
	switch kind {
	case reflect.String:
		msg = pick(m.text, msg)
	case reflect.Slice, reflect.Array, reflect.Map:
		msg = pick(m.items, msg)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		msg = pick(m.number, msg)
	}
	s, sep := msg.zh, "、"
	if en {
		s, sep = msg.en, ", "
	}
	if m.list {
		param = strings.Join(strings.Fields(param), sep)
	}
	return strings.ReplaceAll(s, "{0}", param)
}

// pick returns m unless it is empty.
func pick(m, otherwise message) message {
	if m.zh == "" {
		return otherwise
	}
	return m
}
