package app

import (
	"encoding/json"

	"microshop/domain"
)

// encodePlaces is a checkpoint's levels by location as stored: empty when
// everything is at main, which is nearly every SKU of nearly every shop.
func encodePlaces(p domain.Places) string {
	if len(p) == 0 || (len(p) == 1 && p[""] == p.Total()) {
		return ""
	}
	out := make(map[string][2]int, len(p))
	for id, l := range p {
		if l != (domain.Level{}) {
			out[id] = [2]int{l.OnHand, l.Held}
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodePlaces(s string) (domain.Places, error) {
	if s == "" {
		return nil, nil
	}
	var in map[string][2]int
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	p := make(domain.Places, len(in))
	for id, v := range in {
		p[id] = domain.Level{OnHand: v[0], Held: v[1]}
	}
	return p, nil
}
