module github.com/troupe-go/troupe/bench/compare

go 1.26

replace github.com/troupe-go/troupe => ../..

require (
	github.com/pebbe/zmq4 v1.4.0
	go.uber.org/goleak v1.3.0
)
