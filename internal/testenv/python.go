package testenv

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// PythonPath is Debian's Python, which has the python3-zmq and
// python3-msgpack packages; the python3 on PATH may be another
// installation without them.
const PythonPath = "/usr/bin/python3"

// A Python is PythonPath checked for the modules a package's tests import.
// The check runs once per test binary, when a test first asks for it. A
// Python is safe for concurrent use.
type Python struct {
	modules []string
	failure func() string // "" if the modules import; computed once
}

// NewPython returns a Python that needs modules (Python module names such
// as "zmq" and "msgpack", each from Debian's package python3-NAME); with
// none, it needs only PythonPath itself (Debian's package python3).
func NewPython(modules ...string) *Python {
	p := &Python{modules: modules}
	p.failure = sync.OnceValue(p.check)
	return p
}

// InstallHint says how to install the modules p needs, for example "run
// make test (installs python3-zmq python3-msgpack)".
func (p *Python) InstallHint() string {
	debs := []string{"python3"}
	if len(p.modules) > 0 {
		debs = debs[:0]
	}
	for _, m := range p.modules {
		debs = append(debs, "python3-"+m)
	}
	return "run make test (installs " + strings.Join(debs, " ") + ")"
}

// Require fails t, saying how to install them, unless PythonPath can
// import p's modules; it returns PythonPath.
func (p *Python) Require(t testing.TB) string {
	t.Helper()
	if msg := p.failure(); msg != "" {
		t.Fatal(msg)
	}
	return PythonPath
}

// check imports the modules and returns the failure message, if any.
func (p *Python) check() string {
	stmt := "import sys"
	if len(p.modules) > 0 {
		stmt = "import " + strings.Join(p.modules, ", ")
	}
	out, err := exec.Command(PythonPath, "-c", stmt).CombinedOutput()
	if err == nil {
		return ""
	}
	return p.InstallHint() + `: ` + PythonPath + ` -c "` + stmt + `" failed: ` +
		err.Error() + ": " + strings.TrimSpace(string(out))
}
