package wire

import (
	"microshop/domain"
	"microshop/sync/changes"
)

// Type names a message on the wire: the value of its "type" key.
type Type string

// Message types.
const (
	TypeHello   Type = "hello"
	TypeWelcome Type = "welcome"
	TypeBatch   Type = "changes"
	TypeAck     Type = "ack"
	TypeError   Type = "error"
)

// Message is one of Hello, Welcome, Batch, Ack or Error. Decode returns these
// value types, so a type switch reads `case wire.Batch:`.
type Message interface {
	MessageType() Type
	validate() error
}

// Hello opens a session, client to relay. Shop may be empty when a device
// joins a shop it does not hold yet: the relay then takes the shop its token
// is bound to. Vector is what the client holds, so the relay knows what to send.
type Hello struct {
	Protocol int            `json:"protocol"`
	Schema   int            `json:"schema"`
	Shop     string         `json:"shop"`
	Device   string         `json:"device"`
	Token    string         `json:"token"`
	Vector   changes.Vector `json:"vector"`
	// WriteKey is the public half of a sealed shop's write key (package
	// seal): the relay learns it from the shop's first sealed device and
	// then stores only batches signed with it. Empty for a shop not sealed.
	WriteKey string `json:"write_key,omitempty"`
}

// Welcome accepts a Hello, relay to client. Shop is the shop of the session
// (the one the token is bound to), Schema the newest change schema any device
// of the shop has announced, and Vector what the relay holds, so the client
// knows what to send. Head is the relay's highest change of the hello's
// device, so a device restored from a backup learns it issued those numbers
// before (DESIGN.md section 3); absent when the relay holds none.
type Welcome struct {
	Protocol int            `json:"protocol"`
	Schema   int            `json:"schema"`
	Shop     string         `json:"shop"`
	Vector   changes.Vector `json:"vector"`
	Head     *changes.Head  `json:"head,omitempty"`
}

// Batch carries changes of Shop, either way. Within an origin they are in
// sequence order, starting right after what the receiver's vector holds;
// the receiver skips those it holds and refuses a gap.
type Batch struct {
	Shop    string           `json:"shop"`
	Changes []changes.Change `json:"changes"`
	// Sig signs a sealed shop's batch with its write key, so a relay
	// stores only what the shop's devices sent. A relay's batches to a
	// device carry none: the device opens each body with the shop key.
	Sig string `json:"sig,omitempty"`
}

// Ack answers a Batch once it is committed, with the receiver's vector.
type Ack struct {
	Vector changes.Vector `json:"vector"`
}

// Error ends a session: Code is one of the Code constants (or a newer one),
// Message a sentence for a person. The sender closes the connection after it.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (Hello) MessageType() Type   { return TypeHello }
func (Welcome) MessageType() Type { return TypeWelcome }
func (Batch) MessageType() Type   { return TypeBatch }
func (Ack) MessageType() Type     { return TypeAck }
func (Error) MessageType() Type   { return TypeError }

// Err is the typed error the message stands for.
func (e Error) Err() error { return Errorf(e.Code, "%s", e.Message) }

// ErrorFor is the Error message that tells a peer about err: its code and
// message when it is typed, and an internal error otherwise, without the
// details, which are for the sender's log.
func ErrorFor(err error) Error {
	code, msg := domain.ErrorCode(err), domain.ErrorMessage(err)
	if code == domain.EInternal {
		msg = "Sync failed on the other side; try again later."
	}
	return Error{Code: code, Message: msg}
}
