// Package wire is the sync protocol between a replica and a relay: the
// messages, their JSON codec over WebSocket text frames, the size limits both
// sides enforce, and the typed errors a peer can send.
//
// Every frame is one JSON object whose "type" names the message:
//
//	{"type":"hello","protocol":1,"schema":1,"shop":"…","device":"…","token":"mst_…","vector":{"dev":12}}
//	{"type":"welcome","protocol":1,"schema":1,"shop":"…","vector":{"dev":12}}
//	{"type":"changes","shop":"…","changes":[{"origin","seq","hlc","entity","entity_id","body"},…]}
//	{"type":"ack","vector":{…}}
//	{"type":"error","code":"wrong_shop","message":"…"}
//
// A session: the client sends Hello (with an empty shop when it joins the
// shop its token is for) and the relay answers Welcome or Error. Then each
// side sends Batch messages with the changes the other lacks, computed from
// the other's vector, in origin order and sequence order within an origin;
// the receiver commits each batch and answers it with an Ack carrying its
// whole vector. A sender keeps a few batches in flight at most (the relay
// four) and goes on as acks arrive, so every received batch must be acked.
// The connection then stays open and new changes flow as further batches.
// Error is always followed by a close frame whose reason is the error code
// (see CloseFrame); Read turns such a close into the typed error too.
package wire
