"""Cross-language fleet refresh (issue 15), run by tests/fleet/run.sh.

Eight workers, two each in Rust, Node, Python and Go, share one token through one Redis
(token_store = FLEET_STORE). They log in at once, then the emulator revokes every token
and each worker sends 100 calls at once. Expected: one token request for the eight logins,
exactly one for the forced expiry, and 800 successes. Fails (exit 1) naming what differs.
"""

import json
import os
import subprocess
import sys
import threading
import urllib.request

EMULATOR = os.environ["EMULATOR_URL"]
CALLS = 100


def admin(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(EMULATOR + path, data=data, method="GET" if body is None else "POST")
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read()
    return json.loads(text) if text else None


class Worker:
    def __init__(self, name, cmd, env):
        self.name = name
        self.proc = subprocess.Popen(
            cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines = []
        self.cond = threading.Condition()
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if "FLEET " in line:
                with self.cond:
                    self.lines.append(line.split("FLEET ", 1)[1].strip())
                    self.cond.notify_all()
        with self.cond:
            self.lines.append("EOF")
            self.cond.notify_all()

    def expect(self, prefix, timeout=90):
        with self.cond:
            if not self.cond.wait_for(lambda: self.lines, timeout=timeout):
                fail(f"{self.name} said nothing within {timeout} s; stderr: {''.join(self.stderr)[-2000:]}")
            line = self.lines.pop(0)
        if not line.startswith(prefix):
            fail(f"{self.name}: expected {prefix}, got {line}; stderr: {''.join(self.stderr)[-2000:]}")
        return line

    def go(self):
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()


def fail(msg):
    print("FAIL fleet: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    env = dict(os.environ, FLEET_EMULATOR=EMULATOR, FLEET_STORE=os.environ["FLEET_STORE"], FLEET_CALLS=str(CALLS))
    commands = {
        "rust": [os.environ["FLEET_RUST_WORKER"]],
        "node": ["node", os.path.join(os.path.dirname(__file__), "worker.js")],
        "python": [os.environ["FLEET_PYTHON"], os.path.join(os.path.dirname(__file__), "worker.py")],
        "go": [os.environ["FLEET_GO_WORKER"]],
    }
    before_logins = admin("/admin/counters")["token_requests"]
    workers = [Worker(f"{lang}-{i}", cmd, env) for lang, cmd in commands.items() for i in (1, 2)]
    try:
        for w in workers:
            w.expect("READY")
        logins = admin("/admin/counters")["token_requests"] - before_logins
        admin("/admin/expire-tokens", {})
        for w in workers:
            w.go()
        results = {w.name: w.expect("DONE") for w in workers}
    finally:
        for w in workers:
            try:
                w.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.proc.kill()
    refreshes = admin("/admin/counters")["token_requests"] - before_logins - logins
    ok = 0
    for name, line in results.items():
        fields = dict(f.split("=", 1) for f in line.split(" ")[1:3])
        ok += int(fields["ok"])
        w = next(w for w in workers if w.name == name)
        alerts = [l.strip() for l in w.stderr if "token_store" in l or "ERROR" in l]
        print(f"  {name}: {line}" + (f" (log: {alerts[:3]})" if alerts else ""))
        if fields["failed"] != "0":
            fail(f"{name} had failed calls: {line}")
    print(f"fleet: {len(workers)} processes, {ok} successes, {logins} token request(s) for the logins, "
          f"{refreshes} for the forced expiry")
    if ok != CALLS * len(workers):
        fail(f"{ok} successes, expected {CALLS * len(workers)}")
    if logins != 1:
        fail(f"{logins} token requests for 8 logins at once, expected 1")
    if refreshes != 1:
        fail(f"{refreshes} token requests after the forced expiry, expected exactly 1")
    print("fleet: ok")


if __name__ == "__main__":
    main()
