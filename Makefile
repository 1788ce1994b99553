# Troupe's two commands: `make demo` (the same as `go run ./examples/pipeline`)
# and `make test`, which installs what the interop tests need and runs
# every test, race detector on, plus short fuzzing runs.

GO        ?= go
DEBS      := python3-zmq python3-msgpack libzmq3-dev pkg-config
FUZZTIME  ?= 10s
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps test-go test-bench fuzz bench

demo:
	$(GO) run ./examples/pipeline

test: deps test-go test-bench fuzz

# Debian's python3-zmq and python3-msgpack (for /usr/bin/python3, Debian's
# Python) and libzmq3-dev (for the cgo libzmq benchmark module), installed
# only when missing.
deps:
	@if ! dpkg -s $(DEBS) >/dev/null 2>&1; then \
		echo "installing $(DEBS)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBS); \
	fi
	@/usr/bin/python3 -c 'import zmq, msgpack' || { echo "python3-zmq/python3-msgpack unusable" >&2; exit 1; }

test-go:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$unformatted" ]; then echo "gofmt: not formatted:" $$unformatted >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 8m ./...

test-bench:
	cd bench/compare && $(GO) vet ./... && $(GO) test -count=1 -timeout 5m ./...
	QUICK=1 bash bench/w5.sh 2>/dev/null | grep -q 'GOMAXPROCS=1 .*× libzmq' || { echo "bench/w5.sh: no W5 line beside libzmq" >&2; exit 1; }

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./net/internal/wire
	$(GO) test -run '^$$' -fuzz '^FuzzReadMessage$$' -fuzztime $(FUZZTIME) ./net/internal/zmtp

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./bench
	cd bench/compare && $(GO) run ./cmd/actors
