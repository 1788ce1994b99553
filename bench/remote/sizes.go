package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrBadSize is wrapped by every error about a -sizes entry.
var ErrBadSize = errors.New("remote: bad message size")

// defaultSizes are the classic table's message sizes, 1 B to 8 MB.
const defaultSizes = "1,8,64,512,4k,32k,128k,512k,2M,8M"

// maxSize bounds one message body: the 8 MB row and then some, below the
// node's default maximum message size (64 MiB).
const maxSize = 32 << 20

// parseSizes reads a comma-separated list such as "1,8,4k,2M" (k = 1024,
// M = 1024×1024) into byte counts, in the order given, without duplicates.
func parseSizes(list string) ([]int, error) {
	var sizes []int
	seen := map[int]bool{}
	for _, field := range strings.Split(list, ",") {
		n, err := parseSize(strings.TrimSpace(field))
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, fmt.Errorf("%w: %q is listed twice", ErrBadSize, field)
		}
		seen[n] = true
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func parseSize(field string) (int, error) {
	mult, num := 1, field
	switch {
	case strings.HasSuffix(field, "k"), strings.HasSuffix(field, "K"):
		mult, num = 1<<10, field[:len(field)-1]
	case strings.HasSuffix(field, "M"):
		mult, num = 1<<20, field[:len(field)-1]
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not a number of bytes (use 512, 4k or 2M)", ErrBadSize, field)
	}
	if n < 1 || n > maxSize/mult {
		return 0, fmt.Errorf("%w: %q is outside 1 B … %d MB", ErrBadSize, field, maxSize>>20)
	}
	return n * mult, nil
}

// sizeLabel writes a byte count the way the table does: 1 B, 4 kB, 2 MB.
func sizeLabel(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// Cost model used only to pick counts, so that each size takes about its
// time budget at -scale 1 on a small loopback machine. Being off by 2× only
// makes a size take half or twice its budget.
const (
	thrBudget    = 700 * time.Millisecond
	thrPerMsg    = 500 * time.Nanosecond // small-message rate ≈ 2 M msgs/s
	thrBandwidth = 400e6                 // bytes/s on the large sizes
	latBudget    = 500 * time.Millisecond
	latOneWay    = 60 * time.Microsecond // wake-up bound one-way latency
	latBandwidth = 1e9                   // bytes/s for one large message
	maxCount     = 10_000_000
)

// throughputCount is the number of messages to stream at size for a run of
// about thrBudget×scale; at least 2, since the first message only starts
// the clock.
func throughputCount(size int, scale float64) int {
	per := thrPerMsg.Seconds() + float64(size)/thrBandwidth
	return clampCount(scale*thrBudget.Seconds()/per, 2)
}

// latencyCount is the number of timed round trips at size for a run of
// about latBudget×scale; at least 1.
func latencyCount(size int, scale float64) int {
	rtt := 2 * (latOneWay.Seconds() + float64(size)/latBandwidth)
	return clampCount(scale*latBudget.Seconds()/rtt, 1)
}

func clampCount(f float64, low int) int {
	n := int(math.Round(f))
	return max(low, min(n, maxCount))
}
