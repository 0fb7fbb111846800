// Package wire is the sync protocol between a replica and a relay: the
// messages, their JSON codec over WebSocket text frames, the size limits both
// sides enforce, and the typed errors a peer can send.
//
// A session: the client sends Hello; the relay answers Welcome or Error.
// Then each side sends Batch messages with the changes the other lacks, in
// origin order, and the receiver answers every Batch with an Ack carrying its
// vector after the batch is committed. The connection stays open and new
// changes flow as further batches. Any Error message is followed by a close.
package wire
