"""The bad-input table (``bad_input_table.py``) in a child process: every case
must end in a typed exception (see the table's contract), never a crash (the
child dying), a hang (no answer within the per-case time) or an untyped error."""

import os
import select
import subprocess
import sys
import time
from pathlib import Path

TABLE = Path(__file__).with_name("bad_input_table.py")
CASE_TIMEOUT = 30.0  # seconds per case, beyond the table's own 10 s wait on awaitables


def _run_table(url, env=None, case_timeout=CASE_TIMEOUT):
    """Runs every case, restarting the child after a crash or a hang; returns ([(n, name, outcome, detail)], total)."""
    env = {**os.environ, **(env or {})}
    total = int(subprocess.run([sys.executable, str(TABLE), "--count"], capture_output=True, text=True,
                               check=True, timeout=120, env=env).stdout)
    results = {}
    names = {}
    n = 0
    while n < total:
        child = subprocess.Popen([sys.executable, str(TABLE), url, str(n)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, env=env)
        fd = child.stdout.fileno()
        pending = b""  # read straight from the pipe: a buffered reader would hide lines from select()
        current = None
        try:
            while True:
                if b"\n" not in pending:
                    ready, _, _ = select.select([fd], [], [], case_timeout)
                    if not ready:
                        results[current if current is not None else n] = ("hang", "no answer within %ss" % case_timeout)
                        break
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        code = child.wait()
                        if current is not None:
                            results[current] = ("crash", "the process died (exit status %s)" % code)
                        break
                    pending += chunk
                    continue
                raw, pending = pending.split(b"\n", 1)
                word, num, rest = (raw.decode("utf-8", "replace").split(" ", 2) + ["", ""])[:3]
                if word == "START":
                    current = int(num)
                    names[current] = rest
                elif word == "END":
                    outcome, _, detail = rest.partition(" ")
                    results[int(num)] = (outcome, detail)
                    current = None
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
        n = max(results) + 1 if results else n + 1
    return [(k, names.get(k, "?"), *results[k]) for k in sorted(results)], total


# Bad input the core accepts today (the binding passes it on unchanged): reported, not hidden.
# A case missing from here that is accepted fails the test; one listed here that is refused
# fails it too, so the list shrinks as the core is fixed.
KNOWN_CORE_GAPS = {
    "setting host = 'https://-.com'": "a host label starting with '-' is accepted",
    "setting gateway_configuration = {'host': 'gw\\r\\n.example'}": "a gateway host with CR/LF is accepted",
    "setting gateway_configuration = {'host': 'xxxxxxxx": "a 200 kB gateway host is accepted",
    "set_access_token(CR/LF)": "a token with CR/LF is accepted (requests with it then fail)",
}


def _known_gap(name):
    return next((k for k in KNOWN_CORE_GAPS if name.startswith(k)), None)


def _summary(rows):
    counts = {}
    for _, _, outcome, _ in rows:
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def test_bad_input_table(emu, capsys):
    start = time.monotonic()
    rows, total = _run_table(emu.url)
    counts = _summary(rows)
    crashes, hangs = counts.get("crash", 0), counts.get("hang", 0)
    untyped, internal = counts.get("untyped", 0), counts.get("internal", 0)
    accepted = [name for _, name, outcome, _ in rows if outcome == "accepted"]
    for k, name, outcome, detail in rows:
        if outcome != "typed":
            gap = _known_gap(name) if outcome == "accepted" else None
            note = " (known core gap: %s)" % KNOWN_CORE_GAPS[gap] if gap else ""
            print("  case %d %s: %s: %s%s" % (k, name, outcome.upper(), detail, note))
    summary = "bad input: %d cases, %d crashes, %d hangs, %d untyped errors (%d caught panics, %d accepted, " \
        "all known core gaps) in %.0fs" % (len(rows), crashes, hangs, untyped, internal, len(accepted),
                                           time.monotonic() - start)
    with capsys.disabled():  # the summary shows in the test run's output, passing or not
        print("\n" + summary)
    assert len(rows) == total >= 100, "every case ran"
    assert (crashes, hangs, untyped) == (0, 0, 0)
    assert internal == 0, "a panic was caught: a bug in purecore (see the cases above)"
    assert [n for n in accepted if not _known_gap(n)] == [], "bad input accepted"
    still_listed = [g for g in KNOWN_CORE_GAPS if not any(n.startswith(g) for n in accepted)]
    assert still_listed == [], "fixed in the core: remove from KNOWN_CORE_GAPS"


def test_the_table_counts_crashes_hangs_and_untyped_errors(emu):
    rows, total = _run_table(emu.url, {"PURECORE_BAD_INPUT_SELFTEST": "1",
                                       "PURECORE_BAD_INPUT_ASYNC_TIMEOUT": "1"}, case_timeout=10)
    outcomes = {name: outcome for _, name, outcome, _ in rows}
    assert outcomes == {
        "selftest: typed": "typed",
        "selftest: abort": "crash",
        "selftest: typed after a crash": "typed",
        "selftest: blocks forever": "hang",
        "selftest: pending future": "hang",
        "selftest: caught panic": "internal",
        "selftest: untyped": "untyped",
        "selftest: accepted": "accepted",
    }
    assert len(rows) == total
