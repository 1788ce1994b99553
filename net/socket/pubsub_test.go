package socket_test

import (
	"testing"

	"github.com/troupe-go/troupe/net/internal/zmtp"
	"github.com/troupe-go/troupe/net/socket"
)

// A PUB understands both subscription forms — ZMTP 3.0 messages
// (\x01topic, \x00topic) and ZMTP 3.1 commands (SUBSCRIBE, CANCEL) — and
// counts them as libzmq does: a prefix subscribed twice needs two
// cancellations.
func TestPubSubscriptionForms(t *testing.T) {
	sys := newSystem(t)
	subs := events(t, sys, socket.TopicSubscription)
	pub, err := socket.Pub(testCtx(t), sys, socket.Bind(ipcEndpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := zmtp.Dial(testCtx(t), endpoint(t, sys, pub), zmtp.WithSocketType(zmtp.Sub))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	write := func(f func() error) {
		t.Helper()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	subscription := func(topic string, on bool) {
		t.Helper()
		waitEvent(t, subs, func(e socket.Subscription) bool { return e.Topic == topic && e.Subscribe == on })
	}
	write(func() error { return c.WriteCommand(zmtp.CmdSubscribe, []byte("a")) })
	subscription("a", true)
	write(func() error { return c.WriteMessage([]byte("\x01b")) })
	subscription("b", true)
	write(func() error { return c.WriteMessage([]byte("\x01b")) }) // twice
	subscription("b", true)

	for _, topic := range []string{"a1", "b1", "c1"} {
		send(t, sys, pub, socket.Text(topic))
	}
	write(func() error { return c.WriteCommand(zmtp.CmdCancel, []byte("a")) })
	subscription("a", false)
	write(func() error { return c.WriteMessage([]byte("\x00b")) }) // once: b stays
	subscription("b", false)
	for _, topic := range []string{"a2", "b2", "END-c"} {
		send(t, sys, pub, socket.Text(topic))
	}
	write(func() error { return c.WriteMessage([]byte("\x00b")) })
	subscription("b", false)
	send(t, sys, pub, socket.Text("b3"))

	var got []string
	var m zmtp.Message
	for len(got) < 3 {
		if err := c.ReadMessage(&m); err != nil {
			t.Fatal(err)
		}
		if m.Kind == zmtp.KindData {
			got = append(got, string(m.Frames[0]))
		}
	}
	if want := []string{"a1", "b1", "b2"}; !equalStrings(got, want) {
		t.Fatalf("the SUB got %q, want %q", got, want)
	}
	st := stats(t, sys, pub)
	if st.Dropped[socket.DropNoSubscriber] != 4 || len(st.Peers) != 1 || len(st.Peers[0].Topics) != 0 {
		t.Errorf("PUB stats: drops %v, peers %+v; want 4 unwanted (c1 a2 END-c b3), no topics left", st.Dropped, st.Peers)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
