package actor

// SubscriptionCount returns the number of entries in s's subscription list,
// functions included. Tests use it to check that subscriptions end with
// their actor.
func SubscriptionCount(s *System) int { return len(*s.subs.Load()) }
