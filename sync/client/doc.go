// Package client connects a local replica to a relay (or to a peer hosting
// one): the handshake, pushing and pulling the changes each side lacks, live
// updates while connected, reconnecting with backoff, and status reporting.
// It depends only on the changes.Replica interface, which the app satisfies.
package client
