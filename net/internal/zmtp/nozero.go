package zmtp

import (
	"strings"
	"unsafe"
)

// NewBuffer returns a byte slice of length and capacity n whose contents
// are unspecified: the memory is not cleared first. Read buffers use it:
// the connection overwrites what the decoder reads, and frames only ever
// cover bytes read, so the old contents never show. Clearing a buffer
// that the kernel then fills cost 12 % of the receiving node's CPU at
// 4 kB messages, and delayed the reading of big ones.
//
// strings.Builder.Grow is the standard library's one public way to
// allocate without clearing; the slice is taken over its memory. Should
// Grow ever clear, this only gets slower.
func NewBuffer(n int) []byte {
	if n <= 0 {
		return nil
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte(0) // cannot fail; a non-empty string has a defined data pointer
	return unsafe.Slice(unsafe.StringData(b.String()), n)
}
