package cli

import (
	"flag"
	"io"
)

// NewFlagSet returns a flag set named name that returns its errors (it
// does not exit) and writes them, and its usage, to stderr. It already has
// the flag every example has: -v, bound to verbose, which asks for the
// runtime's events on stderr (see Logger).
func NewFlagSet(name string, stderr io.Writer, verbose *bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(verbose, "v", false, "log runtime events to stderr")
	return fs
}
