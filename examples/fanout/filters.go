package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/troupe-go/troupe/actor"
)

// topics are what the filtering publisher publishes on.
var topics = []string{"weather.paris", "weather.lima", "weather.london", "sport.golf", "sport.tennis", "news"}

// filters are the subscribers' prefix filters, one each; "" matches
// everything and "stocks." matches nothing published here.
var filters = []string{"", "weather.", "weather.l", "sport.", "news", "stocks."}

// errMismatch is returned when a subscriber did not get what its filter
// promises.
var errMismatch = errors.New("fanout: subscriber received the wrong publications")

// publishBatch asks a publisher to publish on each topic in turn; it
// replies with the number published once done.
type publishBatch struct{ Topics []string }

// batchPublisher publishes batches as source name.
func batchPublisher(name string) actor.Behavior {
	return actor.Func(func(p *actor.Process) error {
		b, ok := p.Message().(publishBatch)
		if !ok {
			return nil // lifecycle messages
		}
		for i, topic := range b.Topics {
			p.System().Publish(topic, quote{Source: name, Seq: i + 1})
		}
		return p.Reply(len(b.Topics))
	})
}

// runFilters publishes cfg.messages messages on random topics to
// subscribers with different prefix filters, and checks that each got
// exactly the messages its filter matches.
func runFilters(ctx context.Context, w io.Writer, sys *actor.System, cfg config, dlc actor.Ref) error {
	batch := randomTopics(cfg)
	subs := make([]actor.Ref, cfg.subscribers)
	for i := range subs {
		ref, err := spawnSubscriber(ctx, sys, cfg, fmt.Sprintf("filter-%d", i+1), nil, nil)
		if err != nil {
			return err
		}
		sys.Subscribe(ref, filters[i])
		subs[i] = ref
	}
	pub, err := sys.Spawn(ctx, batchPublisher("pub"), actor.WithName("pub"))
	if err != nil {
		return fmt.Errorf("fanout: spawn publisher: %w", err)
	}
	if _, err := sys.Request(ctx, pub, publishBatch{Topics: batch}); err != nil {
		return fmt.Errorf("fanout: publish: %w", err)
	}
	lost, err := askDrops(ctx, sys, dlc)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "filters: 1 publisher, %d messages on %d topics, %d subscribers\n", len(batch), len(topics), len(subs))
	var errs []error
	for i, ref := range subs {
		t, err := askTally(ctx, sys, ref)
		if err != nil {
			return err
		}
		want := matching(batch, filters[i])
		fmt.Fprintf(w, "  %-9s filter=%-12q received=%-4d expected=%-4d dropped=%-4d topics=%s\n",
			ref.Name, filters[i], t.Count, want, lost[ref.Name], topicList(t.ByTopic))
		if t.Events > 0 {
			fmt.Fprintf(w, "            and %d runtime events: %q matches %s* too\n", t.Events, filters[i], actor.TopicEvents)
		}
		if t.Count != want || (filters[i] == "" && t.Gaps != 0) {
			errs = append(errs, fmt.Errorf("%w: %s (filter %q) got %d, want %d; its mailbox (HWM %d) dropped %d",
				errMismatch, ref.Name, filters[i], t.Count, want, cfg.hwm, lost[ref.Name]))
		}
		for topic := range t.ByTopic {
			if !strings.HasPrefix(topic, filters[i]) {
				errs = append(errs, fmt.Errorf("%w: %s (filter %q) got topic %q", errMismatch, ref.Name, filters[i], topic))
			}
		}
	}
	return errors.Join(errs...)
}

// randomTopics draws the topic of each message.
func randomTopics(cfg config) []string {
	rng := rand.New(rand.NewPCG(cfg.seed, 1))
	batch := make([]string, cfg.messages)
	for i := range batch {
		batch[i] = topics[rng.IntN(len(topics))]
	}
	return batch
}

// matching counts the topics of batch that start with prefix.
func matching(batch []string, prefix string) int {
	n := 0
	for _, t := range batch {
		if strings.HasPrefix(t, prefix) {
			n++
		}
	}
	return n
}

// topicList prints the topics a subscriber saw, in the order of topics.
func topicList(by map[string]int) string {
	var parts []string
	for _, t := range topics {
		if by[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", t, by[t]))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}
