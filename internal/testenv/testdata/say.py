"""say.py: the script of the testenv tests.

  say.py [--stdin] [--exit N] WORD...   prints each WORD on a line of its own
  and "err" on stderr; with --stdin it then waits for stdin's end of file;
  it exits with status N (0 by default).
"""
import sys

args = sys.argv[1:]
code = 0
wait_stdin = False
while args and args[0].startswith("--"):
    if args[0] == "--stdin":
        wait_stdin = True
        args = args[1:]
    elif args[0] == "--exit":
        code = int(args[1])
        args = args[2:]
    else:
        sys.exit("unknown option " + args[0])
for word in args:
    print(word, flush=True)
print("err", file=sys.stderr, flush=True)
if wait_stdin:
    sys.stdin.read()
sys.exit(code)
