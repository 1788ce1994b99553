package mailbox

import "fmt"

// A Policy decides what a post does when the mailbox is at its high-water
// mark. The zero value is Block.
type Policy uint8

const (
	// Block waits for room until the sender's context ends.
	Block Policy = iota
	// DropNewest discards the message being posted.
	DropNewest
	// DropOldest evicts the oldest queued message to make room for the new one.
	DropOldest
	// Fail returns ErrFull to the sender.
	Fail
)

var policyNames = [...]string{"block", "drop-newest", "drop-oldest", "fail"}

// String returns the policy's name, such as "drop-newest".
func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("policy(%d)", uint8(p))
}

// ParsePolicy returns the policy named s, as printed by Policy.String.
func ParsePolicy(s string) (Policy, error) {
	for i, n := range policyNames {
		if n == s {
			return Policy(i), nil
		}
	}
	return 0, fmt.Errorf("mailbox: unknown policy %q", s)
}
