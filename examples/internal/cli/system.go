package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/troupe-go/troupe/actor"
)

// ShutdownGrace is how long Shutdown gives a system to stop.
const ShutdownGrace = 5 * time.Second

// Logger returns the logger of an example's actor.System: every event at
// debug level and above as text on stderr when verbose (-v), else one that
// discards everything.
func Logger(verbose bool) *slog.Logger {
	if !verbose {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Shutdown stops sys, giving it ShutdownGrace, and blocks until it has
// stopped or the grace is over. Its error says "NAME: shutdown: …", name
// being the example's. It is meant for a deferred call that joins its
// error to the example's own.
func Shutdown(sys *actor.System, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := sys.Shutdown(ctx); err != nil {
		return fmt.Errorf("%s: shutdown: %w", name, err)
	}
	return nil
}
