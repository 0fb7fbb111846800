// Package app is the local shop: the SQLite store, its migrations, the
// commands that change it and the reports that read it. Every write commits
// together with its change records, so sync can replay it elsewhere; changes
// from other devices go through the same materialization as local ones.
package app
