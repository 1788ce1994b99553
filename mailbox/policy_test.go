package mailbox

import (
	"strings"
	"testing"
)

func TestPolicyRoundTrip(t *testing.T) {
	names := map[Policy]string{Block: "block", DropNewest: "drop-newest", DropOldest: "drop-oldest", Fail: "fail"}
	for p, name := range names {
		if p.String() != name {
			t.Errorf("Policy(%d).String() = %q, want %q", uint8(p), p.String(), name)
		}
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
	if len(names) != len(policyNames) {
		t.Errorf("%d policies named, %d tested", len(policyNames), len(names))
	}
	var zero Policy
	if zero != Block {
		t.Errorf("zero Policy is %v, want block", zero)
	}
}

func TestParsePolicyRejectsUnknown(t *testing.T) {
	for _, s := range []string{"", "Block", "drop_newest", "dropnewest", "policy(4)", " fail"} {
		p, err := ParsePolicy(s)
		if err == nil {
			t.Errorf("ParsePolicy(%q) = %v, want an error", s, p)
			continue
		}
		if !strings.HasPrefix(err.Error(), "mailbox: ") || !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParsePolicy(%q) error %q should have the package prefix and quote the input", s, err)
		}
	}
}

func TestPolicyStringOutOfRange(t *testing.T) {
	if s := Policy(9).String(); s != "policy(9)" {
		t.Errorf("Policy(9).String() = %q", s)
	}
	if _, err := ParsePolicy(Policy(9).String()); err == nil {
		t.Error("an out-of-range policy's name parses")
	}
}

func TestDropReasonString(t *testing.T) {
	for r, want := range map[DropReason]string{DroppedNewest: "dropped-newest", DroppedOldest: "dropped-oldest", DroppedClosed: "closed", 0: "unknown", 9: "unknown"} {
		if r.String() != want {
			t.Errorf("DropReason(%d).String() = %q, want %q", uint8(r), r.String(), want)
		}
	}
}

func TestOptions(t *testing.T) {
	mb := New()
	if mb.Capacity() != DefaultCapacity || mb.Policy() != Block || mb.Len() != 0 || mb.Closed() {
		t.Errorf("New(): capacity %d policy %v len %d closed %v", mb.Capacity(), mb.Policy(), mb.Len(), mb.Closed())
	}
	for _, n := range []int{-5, 0, 1} {
		if c := New(WithCapacity(n)).Capacity(); c != 1 {
			t.Errorf("WithCapacity(%d) gave capacity %d, want 1", n, c)
		}
	}
	mb = New(WithCapacity(1000), WithPolicy(DropOldest))
	if mb.Capacity() != 1000 || mb.Policy() != DropOldest || mb.Stats().Capacity != 1000 || mb.Stats().Policy != DropOldest {
		t.Errorf("options not applied: %+v", mb.Stats())
	}
}
