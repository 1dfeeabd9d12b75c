package main

import "encoding/json"

// taskStates lists the names of every Task state in an ASL definition,
// including those inside Parallel branches and Map processors, so a mock
// test case can be checked for gaps before anything runs. Anything it
// cannot read is left to the engine's validation to report.
func taskStates(definition []byte) []string {
	var names []string
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var m struct {
			States map[string]struct {
				Type          string            `json:"Type"`
				Branches      []json.RawMessage `json:"Branches"`
				Iterator      json.RawMessage   `json:"Iterator"`
				ItemProcessor json.RawMessage   `json:"ItemProcessor"`
			} `json:"States"`
		}
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		for _, name := range sortedKeys(m.States) {
			st := m.States[name]
			switch st.Type {
			case "Task":
				names = append(names, name)
			case "Parallel":
				for _, b := range st.Branches {
					walk(b)
				}
			case "Map":
				if len(st.ItemProcessor) > 0 {
					walk(st.ItemProcessor)
				} else if len(st.Iterator) > 0 {
					walk(st.Iterator)
				}
			}
		}
	}
	walk(definition)
	return names
}
