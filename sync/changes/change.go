package changes

import "encoding/json"

// Change is one entry of a replica's change log. (Origin, Seq) is its id:
// Origin is the device that made it and Seq is dense per origin, starting at 1.
// Relays store and forward changes by this envelope and never read Body.
type Change struct {
	Origin   string          `json:"origin"`
	Seq      int64           `json:"seq"`
	HLC      string          `json:"hlc"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Body     json.RawMessage `json:"body"`
	// Sig is a signed point of a sealed shop's change (package seal): its
	// device's signature of the chain of its changes through this one.
	// Only the last change of each batch its device sent carries one.
	Sig string `json:"sig,omitempty"`
}

// FieldValue is one field of a record change: the new value, and the stamps
// of the values the writer saw and replaced (normally one). A value that some
// later write names as replaced was superseded knowingly, not lost.
type FieldValue struct {
	Value json.RawMessage `json:"v"`
	Base  []string        `json:"b,omitempty"`
}

// RecordBody is the body of a record change: the fields it sets.
type RecordBody map[string]FieldValue
