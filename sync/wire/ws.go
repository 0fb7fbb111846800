package wire

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"microshop/domain"

	"github.com/gorilla/websocket"
)

// Read reads one message from c. The caller owns c's deadlines and must have
// called c.SetReadLimit(MaxFrameBytes). A binary frame or an undecodable one
// is a typed error; so is a close frame whose reason is one of our codes
// (see CloseFrame), and a close for a message too big is CodeTooLarge. Other
// errors are the connection's own.
func Read(c *websocket.Conn) (Message, error) {
	kind, r, err := c.NextReader()
	if err != nil {
		return nil, closeError(err)
	}
	if kind != websocket.TextMessage {
		return nil, Errorf(CodeBadMessage, "Binary frames are not accepted; messages are JSON text.")
	}
	buf := readBuffers.Get().(*bytes.Buffer)
	defer readBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, closeError(err)
	}
	return Decode(buf.Bytes())
}

// readBuffers hold messages while they are decoded. Decode copies what it
// keeps, so a buffer serves message after message: reading each into a new
// slice, grown as it filled, made several times its size in garbage, a
// kilobyte a change in an initial sync.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Write sends m as one text frame. The caller owns c's write deadline and
// must be c's only writer.
func Write(c *websocket.Conn, m Message) error {
	buf := writeBuffers.Get().(*[]byte)
	defer writeBuffers.Put(buf)
	data, err := appendEncoded((*buf)[:0], m)
	if err != nil {
		return err
	}
	*buf = data
	return c.WriteMessage(websocket.TextMessage, data)
}

// writeBuffers hold messages while they are sent, for the same reason:
// WriteMessage is done with a message when it returns.
var writeBuffers = sync.Pool{New: func() any { return new([]byte) }}

// CloseFrame is the payload of the close frame that follows an Error
// message: a close code fitting the error and the error code as the reason,
// so a peer that missed the Error message still learns the code.
func CloseFrame(code string) []byte {
	status := websocket.CloseProtocolError
	switch code {
	case CodeUnauthorized, CodeWrongShop, CodeVersionUnsupported:
		status = websocket.ClosePolicyViolation
	case CodeTooLarge:
		status = websocket.CloseMessageTooBig
	case CodeInternal:
		status = websocket.CloseInternalServerErr
	case CodeUnavailable:
		status = websocket.CloseGoingAway
	}
	return websocket.FormatCloseMessage(status, code)
}

// closeError types what the peer said by closing. The result still wraps
// the connection's error, so errors.As finds the *websocket.CloseError.
func closeError(err error) error {
	if errors.Is(err, websocket.ErrReadLimit) {
		return &domain.Error{Code: CodeTooLarge, Message: fmt.Sprintf("A message was larger than %d bytes.", MaxFrameBytes), Err: err}
	}
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return err
	}
	switch {
	case ce.Text == CodeUnavailable || ce.Code == websocket.CloseGoingAway:
		return &domain.Error{Code: CodeUnavailable, Message: "The other side closed the connection to shut down; sync again later.", Err: err}
	case ce.Text == CodeTooLarge || ce.Code == websocket.CloseMessageTooBig:
		return &domain.Error{Code: CodeTooLarge, Message: fmt.Sprintf("The other side refused a message larger than %d bytes.", MaxFrameBytes), Err: err}
	case isCode(ce.Text):
		return &domain.Error{Code: ce.Text, Message: "The other side closed the connection: " + ce.Text + ".", Err: err}
	}
	return err
}

// isCode reports whether a close reason looks like an error code (ours or a
// newer peer's) rather than free text.
func isCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || r == '_') {
			return false
		}
	}
	return true
}
