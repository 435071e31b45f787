#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and answers its questions (a tiny `expect`), for the CLI's PTY tests.

Usage: pty-run.py <script.json>; the JSON object has "argv" (list), "env" (dict, merged into os.environ),
"steps" (list of [text to wait for, line to type]) and "timeout" (seconds per step). Prints one JSON object:
{"transcript": everything the terminal showed, "status": exit status or null, "error": null or why it stopped}.
"""
import json, os, pty, select, sys, time

def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        spec = json.load(f)
    timeout = float(spec.get('timeout', 20))
    env = dict(os.environ)
    env.update(spec.get('env', {}))
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvpe(spec['argv'][0], spec['argv'], env)
        finally:
            os._exit(127)
    out = b''
    error = None

    def read_some(deadline):
        nonlocal out
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], min(left, 0.2))
        if fd in r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return None
            if not chunk:
                return None
            out += chunk
        return True

    pos = 0
    for wait_for, answer in spec['steps']:
        needle = wait_for.encode('utf-8')
        deadline = time.monotonic() + timeout
        while True:
            idx = out.find(needle, pos)
            if idx >= 0:
                pos = idx + len(needle)
                break
            got = read_some(deadline)
            if got is None:
                error = 'EOF while waiting for %r' % wait_for
                break
            if got is False:
                error = 'timed out waiting for %r' % wait_for
                break
        if error:
            break
        time.sleep(0.05)
        os.write(fd, answer.encode('utf-8') + b'\r')
    deadline = time.monotonic() + timeout
    while error is None:
        got = read_some(deadline)
        if got is None:
            break
        if got is False:
            error = 'timed out waiting for the end'
            break
    status = None
    if error is not None:
        os.kill(pid, 9)
    _, st = os.waitpid(pid, 0)
    if os.WIFEXITED(st):
        status = os.WEXITSTATUS(st)
    print(json.dumps({'transcript': out.decode('utf-8', 'replace'), 'status': status, 'error': error}))

main()
