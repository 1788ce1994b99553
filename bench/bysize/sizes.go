package bysize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadSize is wrapped by every error about an entry of a size list.
var ErrBadSize = errors.New("bysize: bad message size")

// DefaultSizes are the classic table's message sizes, 1 B to 8 MB, as a
// -sizes flag writes them.
const DefaultSizes = "1,8,64,512,4k,32k,128k,512k,2M,8M"

// CanonicalSizes returns DefaultSizes in bytes, a new slice each time: the
// rows every table shows, measured or not.
func CanonicalSizes() []int {
	return []int{1, 8, 64, 512, 4 << 10, 32 << 10, 128 << 10, 512 << 10, 2 << 20, 8 << 20}
}

// ParseSizes reads a comma-separated list such as "1,8,4k,2M" (k = 1024,
// M = 1024×1024) into byte counts, in the order given, without
// duplicates. Each must be 1 to maxSize bytes. Every error wraps
// ErrBadSize and names the entry.
func ParseSizes(list string, maxSize int) ([]int, error) {
	var sizes []int
	seen := map[int]bool{}
	for _, field := range strings.Split(list, ",") {
		n, err := parseSize(strings.TrimSpace(field), maxSize)
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

func parseSize(field string, maxSize int) (int, error) {
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

// Label writes a byte count the way the table does: 1 B, 4 kB, 2 MB (and
// 1000 B, 5000 B for counts that are not whole kB or MB).
func Label(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
