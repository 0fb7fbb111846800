// Package changes defines what replicas exchange: change records with their
// (origin, seq) ids, hybrid-logical-clock stamps, version vectors, and the
// per-field merge rule for records. It is pure: no storage, no network.
package changes
