package bysize

import (
	"math"
	"time"
)

// The time budgets of one measurement at scale 1, and the most messages or
// round trips one gets whatever the model says.
const (
	ThroughputBudget = 700 * time.Millisecond
	LatencyBudget    = 500 * time.Millisecond
	MaxCount         = 10_000_000
)

// A CostModel is a rough per-message cost on a small loopback machine,
// used only to pick counts so that each size takes about its budget at
// scale 1. Being off by 2× only makes a size take half or twice its budget.
type CostModel struct {
	PerMessage       time.Duration // throughput: one small message
	Bandwidth        float64       // throughput: bytes/s on the large sizes
	OneWay           time.Duration // latency: one way, for a small message (wake-up bound)
	LatencyBandwidth float64       // latency: bytes/s for one large message
}

// ThroughputCount is the number of messages to stream at size for a run
// of about ThroughputBudget×scale; at least 2, since the first message
// only starts the clock (as in libzmq's local_thr).
func (m CostModel) ThroughputCount(size int, scale float64) int {
	per := m.PerMessage.Seconds() + float64(size)/m.Bandwidth
	return clampCount(scale*ThroughputBudget.Seconds()/per, 2)
}

// LatencyCount is the number of timed round trips at size for a run of
// about LatencyBudget×scale; at least 1.
func (m CostModel) LatencyCount(size int, scale float64) int {
	rtt := 2 * (m.OneWay.Seconds() + float64(size)/m.LatencyBandwidth)
	return clampCount(scale*LatencyBudget.Seconds()/rtt, 1)
}

func clampCount(f float64, low int) int {
	n := int(math.Round(f))
	return max(low, min(n, MaxCount))
}
