"""Run one command and print its wall time, CPU time, exit status and peak RSS as JSON.

    python -S bench/launch.py TIMEOUT COMMAND [ARG ...]

Why a launcher: on Linux a child's peak RSS (``ru_maxrss``) starts at the RSS of the process
that spawned it, so a command spawned by the benchmark, which holds large digests, would
report the benchmark's memory. This small process forks the command instead, so the figure
is the command's own (above a floor of a few megabytes). It uses only built-in modules, and
runs with ``-S``, to stay small. The command's output goes to /dev/null, its standard error
to the launcher's.
"""

import json
import os
import signal
import sys
import time


def main(argv: list[str]) -> int:
    """Fork, exec the command, wait for it; print the JSON result."""
    timeout = float(argv[0])
    command = argv[1:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: becomes the command
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    timed_out = False

    def kill(signum: int, frame: object) -> None:
        nonlocal timed_out
        timed_out = True
        os.kill(pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    result = {
        "seconds": time.perf_counter() - start,
        "exit": os.waitstatus_to_exitcode(status),
        "maxrss": usage.ru_maxrss * 1024,  # kilobytes on Linux
        "cpu": usage.ru_utime + usage.ru_stime,
        "timed_out": timed_out,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
