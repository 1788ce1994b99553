// Package cli is the scaffolding every example program shares, so that each
// example's main package holds only its pattern:
//
//   - [Main] (and [Run], its testable core) parses the flags, runs the
//     example under a context that ends on Ctrl-C or after a time limit,
//     prints a failure to stderr and sets the exit code;
//   - [NewFlagSet] makes the flag set with the -v flag every example has;
//   - [Logger] and [Shutdown] make and stop the example's actor.System the
//     same way everywhere: quiet unless -v, a few seconds to shut down;
//   - [Wait] and [SimulateWork] wait on a channel or a timer, and give up
//     when the context ends.
//
// Errors carry the example's name as their prefix ("clone: shutdown: …"),
// as the examples' own errors do.
package cli
