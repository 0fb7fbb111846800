package wire

import "microshop/sync/changes"

// ProtocolVersion is the version of this protocol a peer speaks.
// MinProtocolVersion is the oldest one it still accepts.
// Version 2 added the write key to hello and the signature to batches
// (DESIGN.md section 6); a version 1 device still syncs a shop not sealed.
// Version 3 added the signed points of each device's runs of changes
// (Change.Sig): a sealed shop takes no device older than SignedProtocol.
const (
	ProtocolVersion    = 3
	MinProtocolVersion = 1
	SignedProtocol     = 3
)

// Limits. A receiver refuses a frame or batch above them with CodeTooLarge,
// so a sender fills batches up to MaxBatchChanges changes or MaxBatchBytes
// (by ChangeSize), whichever comes first. MaxFrameBytes leaves room above
// MaxBatchBytes for one last change of up to MaxBodyBytes and for escaping.
const (
	MaxFrameBytes   = 1 << 20   // one WebSocket message, after reassembly
	MaxBatchChanges = 500       // changes in one Batch
	MaxBatchBytes   = 256 << 10 // target size of one Batch, by ChangeSize
	MaxBodyBytes    = 64 << 10  // one change's body
	MaxIDBytes      = 128       // a device, origin, entity or entity id
	MaxSigBytes     = 512       // a change's signed point (package seal)
)

// envelopeOverhead is a change's JSON keys and punctuation, rounded up.
const envelopeOverhead = 80

// ChangeSize is about how many bytes c takes in a Batch. Senders use it to
// fill batches up to MaxBatchBytes without encoding them twice.
func ChangeSize(c changes.Change) int {
	return envelopeOverhead + len(c.Origin) + len(c.HLC) + len(c.Entity) + len(c.EntityID) + len(c.Body) + len(c.Sig) + 28
}

// FitBatch returns the longest prefix of cs that makes one batch within
// MaxBatchChanges and MaxBatchBytes; it holds at least one change when cs
// is not empty, since a single change always fits a frame.
func FitBatch(cs []changes.Change) []changes.Change {
	size := 0
	for i, c := range cs {
		size += ChangeSize(c)
		if i == MaxBatchChanges || i > 0 && size > MaxBatchBytes {
			return cs[:i]
		}
	}
	return cs
}
