package main

import (
	"encoding/json"
	"fmt"
)

// nameChars make the load's trade names: three of them give 50,653
// distinct names, none a region, an industry word or a prohibited word.
var nameChars = []rune("瑞祥嘉和泰丰盛隆鼎昌恒远达通宏源益凯捷诚信康兴旺景明润博雅卓越宁致佳德创汇科")

// withTradeName returns form with the company named by the i-th trade
// name of nameChars: the name check refuses a name another application
// has reserved, so every submission of a load asks for its own.
func withTradeName(form []byte, i int) ([]byte, error) {
	var f map[string]any
	if err := json.Unmarshal(form, &f); err != nil {
		return nil, err
	}
	company, ok := f["company"].(map[string]any)
	if !ok {
		return form, nil // not a form the load can rename: sent as it is
	}
	parts, ok := company["nameParts"].(map[string]any)
	if !ok {
		return form, nil
	}
	n := len(nameChars)
	trade := string([]rune{nameChars[i%n], nameChars[(i/n)%n], nameChars[(i/(n*n))%n]})
	parts["tradeName"] = trade
	company["name"] = fmt.Sprint(parts["region"], trade, parts["industry"], parts["orgForm"])
	return json.Marshal(f)
}
