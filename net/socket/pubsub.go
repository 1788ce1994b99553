package socket

import "bytes"

// subEvent reports a subscription or cancellation a PUB's peer sent.
type subEvent struct {
	p     *peer
	topic string
	on    bool
}

// subscribe updates a PUB peer's subscriptions. As in libzmq, a prefix
// subscribed twice needs two cancellations.
func (s *sock) subscribe(p *peer, topic string, on bool) {
	if p.closing {
		return
	}
	switch {
	case on:
		p.subs[topic]++
	case p.subs[topic] > 1:
		p.subs[topic]--
	default:
		delete(p.subs, topic)
	}
	s.sys.PublishEvent(TopicSubscription, Subscription{Socket: s.self, Remote: p.remote, Topic: topic, Subscribe: on})
}

// wants reports whether one of the peer's subscriptions is a prefix of
// topic (the first frame of a message).
func (p *peer) wants(topic []byte) bool {
	for prefix := range p.subs {
		if len(prefix) <= len(topic) && string(topic[:len(prefix)]) == prefix {
			return true
		}
	}
	return false
}

// matchAny reports whether one of prefixes starts topic.
func matchAny(prefixes []string, topic []byte) bool {
	for _, prefix := range prefixes {
		if bytes.HasPrefix(topic, []byte(prefix)) {
			return true
		}
	}
	return false
}
