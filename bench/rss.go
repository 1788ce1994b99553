package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// ReadStatus returns the value in bytes of a memory field such as "VmHWM"
// or "VmRSS" from /proc/self/status (Linux only).
func ReadStatus(field string) (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("bench: read %s: %w", field, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || string(name) != field {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("bench: %s: unexpected line %q", field, sc.Text())
		}
		kb, err := strconv.ParseUint(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bench: %s: %w", field, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("bench: %s not in /proc/self/status", field)
}

// A PeakProbe brackets a run whose peak memory is measured (W4): StartPeak
// returns memory to the OS and resets the peak, Finish reads the peak.
type PeakProbe struct {
	base  uint64
	reset bool
}

// StartPeak collects garbage, returns free memory to the OS and, where the
// kernel allows it (writing 5 to /proc/self/clear_refs), resets VmHWM to
// the current RSS, so that the peak read by Finish belongs to this run even
// in a process that ran other things before. If the reset is refused,
// Finish reports the process's lifetime peak and sets Result.HWMReset to
// false.
func StartPeak() (PeakProbe, error) {
	runtime.GC()
	debug.FreeOSMemory()
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	base, err := ReadStatus("VmRSS")
	return PeakProbe{base: base, reset: reset}, err
}

// Finish fills r's PeakRSS, BaseRSS and HWMReset.
func (p PeakProbe) Finish(r *Result) error {
	peak, err := ReadStatus("VmHWM")
	r.PeakRSS, r.BaseRSS, r.HWMReset = peak, p.base, p.reset
	return err
}
