// Package testenv holds the scaffolding that the tests of several packages
// of this module share: Debian's Python with the modules an interop test
// needs ([Python]), scripts under a package's testdata and other programs
// run with a time bound, to their end or beside the test ([Script],
// [Result], [Command], [Peer]), short ipc socket paths ([IPCPath],
// [IPCEndpoint]) and test-bound contexts ([Context]).
//
// It is for tests only: everything takes a [testing.TB] and fails the test
// (never skips it) when something is missing, with a message that says how
// to install it. Every process it starts is killed when its time bound
// runs out and waited for when the test ends; no goroutine outlives that.
package testenv
