// Package relay is the sync relay: it authenticates devices by token, keeps
// each shop's change log, and exchanges changes with the shop's devices over
// the wire protocol, fanning new changes out to every connected device of
// the shop. A Relay is an http.Handler, so the command-line server and the
// desktop app (on the local network) host the same code.
//
// The relay stores changes by their envelope (origin, seq, clock stamp,
// entity, entity id) and never reads a change's body.
package relay
