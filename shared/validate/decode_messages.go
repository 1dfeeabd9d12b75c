package validate

// msgID names a message of the decoder and of the error envelope.
type msgID int

const (
	msgInvalidForm msgID = iota
	msgMalformed
	msgTooLarge
	msgEmpty
	msgNotUTF8
	msgSyntax
	msgTrailing
	msgNotObject
	msgUnknownField
	msgDuplicateField
	msgWrongType
	msgInvalidValue
	msgTooDeep
)

var texts = map[msgID][2]string{ // zh, en
	msgInvalidForm:    {"表单有误，请按提示逐项修改", "the form has errors; correct the fields listed"},
	msgMalformed:      {"请求内容不是有效的表单 JSON", "the request body is not a valid form JSON document"},
	msgTooLarge:       {"请求内容超过64 KiB上限", "the request body exceeds the 64 KiB limit"},
	msgEmpty:          {"请求内容为空", "the request body is empty"},
	msgNotUTF8:        {"请求内容不是有效的UTF-8编码", "the request body is not valid UTF-8"},
	msgSyntax:         {"JSON语法错误", "JSON syntax error"},
	msgTrailing:       {"JSON对象之后有多余内容", "unexpected data after the JSON object"},
	msgNotObject:      {"请求内容须为JSON对象", "the request body must be a JSON object"},
	msgUnknownField:   {"未知字段", "unknown field"},
	msgDuplicateField: {"字段重复出现", "duplicate field"},
	msgWrongType:      {"类型错误，应为", "wrong type, want "},
	msgInvalidValue:   {"取值无效", "invalid value"},
	msgTooDeep:        {"JSON嵌套层级过深", "JSON nesting too deep"},
}

// kindNames are the JSON types named in wrong-type messages.
var kindNames = map[string][2]string{
	"string":  {"字符串", "a string"},
	"integer": {"整数", "a whole number"},
	"number":  {"数字", "a number"},
	"boolean": {"布尔值", "true or false"},
	"object":  {"对象", "an object"},
	"array":   {"数组", "an array"},
}

func text(lang Lang, id msgID) string {
	t := texts[id]
	if lang == LangEN {
		return t[1]
	}
	return t[0]
}

func kindText(lang Lang, kind string) string {
	k := kindNames[kind]
	if lang == LangEN {
		return k[1]
	}
	return k[0]
}
