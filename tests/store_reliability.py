#!/usr/bin/env python3
"""Reliability tests of the case store through the `kelias case` CLI (issue 9, section 4).

    store_reliability.py kill KELIAS WORKDIR [--rounds N] [--seed S]
    store_reliability.py concurrency KELIAS WORKDIR [--workers N] [--seconds S]

kill: starts write commands (events, new cases) and SIGKILLs them at random points, many
times. After every kill the store must reopen and `case verify` pass; at the end every
acknowledged command (exit 0) must be present, and nothing half-done: each case's version
counts exactly its saved versions and audited changes.

concurrency: several processes update the same case and their own cases at once for a
while, with --expect-version (optimistic concurrency) and without. No command may fail
with a lock error; a stale update is refused (exit 4, E903); no acknowledged update is
lost (each case's version is 1 + the updates acknowledged on it).

Run from the repository root (the examples are read from there). Python 3 standard
library only. Exit 0 when every check holds.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

ADULT = "examples/cases/adult_to_halfway_house.yaml"
ADULT_ID = "LT-2025-0302"


class Store:
    def __init__(self, kelias, workdir):
        self.kelias = kelias
        os.makedirs(workdir, exist_ok=True)
        self.db = os.path.join(workdir, "reliability.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)

    def argv(self, actor, role, *args):
        return [self.kelias, "case", *args, "--db", self.db, "--actor", actor, "--role", role]

    def run(self, actor, role, *args):
        return subprocess.run(self.argv(actor, role, *args), capture_output=True, text=True)

    def must(self, actor, role, *args):
        r = self.run(actor, role, *args)
        if r.returncode != 0:
            sys.exit(f"FAIL: {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
        return r.stdout

    def export(self):
        lines = self.must("PA-1", "prison_administration", "export").splitlines()
        cases, versions, records = {}, {}, []
        for line in lines[1:]:
            row = json.loads(line)
            if "version_of" in row:
                versions.setdefault(row["version_of"], []).append(row)
            elif "record" in row:
                records.append(row)
            else:
                cases[row["case"]] = row
        return cases, versions, records

    def history(self, case_id):
        out = self.must("PA-1", "prison_administration", "history", case_id)
        return [line.split()[4] for line in out.splitlines()]


def check_consistent(store):
    """Every case's version counts its saved versions and audited changes; nothing partial."""
    cases, versions, records = store.export()
    for case_id, row in cases.items():
        version = int(row["version"])
        saved = [int(v["version"]) for v in versions.get(case_id, [])]
        if not saved or saved[-1] != version:
            sys.exit(f"FAIL: case {case_id} is at version {version}, its last saved version is {saved[-1:]}")
        changes = [a for a in store.history(case_id) if a in ("create_case", "edit_facts", "apply_event")]
        if len(changes) != version:
            sys.exit(f"FAIL: case {case_id} is at version {version} with {len(changes)} audited changes")
    return cases, versions


def kill_test(args):
    rng = random.Random(args.seed)
    store = Store(args.kelias, args.workdir)
    store.must("CM-1", "case_manager", "new", ADULT_ID, "--facts", ADULT)
    # How long one write takes, to kill within it.
    start = time.monotonic()
    store.must("CO-1", "contact_officer", "event", ADULT_ID, "incident", "--as-of", "2025-06-05", "--detail", "n=0")
    took = time.monotonic() - start
    acknowledged_events, acknowledged_cases, killed = {"0"}, set(), 0
    for i in range(1, args.rounds + 1):
        if rng.random() < 0.7:
            argv = store.argv("CO-1", "contact_officer", "event", ADULT_ID, "incident", "--as-of", "2025-06-05",
                              "--detail", f"n={i}")
            kind = ("event", str(i))
        else:
            argv = store.argv("CM-1", "case_manager", "new", f"K-{i}", "--as-of", "2025-06-01")
            kind = ("case", f"K-{i}")
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, took * 1.3))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        _, err = p.communicate()
        if p.returncode == 0:
            (acknowledged_events if kind[0] == "event" else acknowledged_cases).add(kind[1])
        elif p.returncode != -signal.SIGKILL:
            sys.exit(f"FAIL: round {i} exited {p.returncode}: {err.decode().strip()}")
        verify = store.run("PA-1", "prison_administration", "verify")
        if verify.returncode != 0:
            sys.exit(f"FAIL: after round {i} the store does not verify: {verify.stderr.strip()}")
    cases, versions = check_consistent(store)
    doc = json.loads(versions[ADULT_ID][-1]["document"])
    incidents = [e for e in doc.get("events", []) if e["type"] == "incident"]
    if len(incidents) != int(cases[ADULT_ID]["version"]) - 1:
        sys.exit(f"FAIL: {len(incidents)} incidents at version {cases[ADULT_ID]['version']} (a partial command)")
    present = {e.get("n") for e in incidents}
    lost = acknowledged_events - {str(n) for n in present}
    if lost:
        sys.exit(f"FAIL: acknowledged events lost: {sorted(lost)}")
    lost_cases = acknowledged_cases - set(cases)
    if lost_cases:
        sys.exit(f"FAIL: acknowledged cases lost: {sorted(lost_cases)}")
    print(f"kill test: {args.rounds} rounds, {killed} killed mid-command, {len(acknowledged_events)} events and "
          f"{len(acknowledged_cases)} cases acknowledged, all present; store consistent and verified")


def concurrency_test(args):
    store = Store(args.kelias, args.workdir)
    store.must("CM-1", "case_manager", "new", ADULT_ID, "--facts", ADULT)
    own = [f"W-{w}" for w in range(args.workers)]
    for case_id in own:
        store.must("CM-1", "case_manager", "new", case_id, "--as-of", "2025-06-01")
    lock = threading.Lock()
    updates = {case_id: 0 for case_id in [ADULT_ID, *own]}
    events = [0]
    stale = [0]
    failures = []
    deadline = time.monotonic() + args.seconds

    def worker(w):
        rng = random.Random(w)
        i = 0
        while time.monotonic() < deadline and not failures:
            i += 1
            choice = rng.random()
            if choice < 0.3:
                # An event on the shared case, no expected version: must always go through.
                r = store.run(f"CO-{w}", "contact_officer", "event", ADULT_ID, "incident", "--as-of", "2025-06-05",
                              "--detail", f"w={w}-{i}")
                if r.returncode != 0:
                    failures.append(f"event by worker {w}: exit {r.returncode}: {r.stderr.strip()}")
                    return
                with lock:
                    events[0] += 1
                    updates[ADULT_ID] += 1
                continue
            case_id = ADULT_ID if choice < 0.65 else own[w]
            shown = store.run(f"CM-{w}", "case_manager", "show", case_id, "--format", "json")
            if shown.returncode != 0:
                failures.append(f"show by worker {w}: exit {shown.returncode}: {shown.stderr.strip()}")
                return
            version = json.loads(shown.stdout)["version"]
            value = rng.choice(["true", "false"])
            r = store.run(f"CM-{w}", "case_manager", "facts", case_id, "--set", f"employed_or_studying={value}",
                          "--expect-version", str(version))
            if r.returncode == 0:
                with lock:
                    updates[case_id] += 1
            elif r.returncode == 4 and "E903" in r.stderr:
                with lock:
                    stale[0] += 1
            else:
                failures.append(f"facts by worker {w}: exit {r.returncode}: {r.stderr.strip()}")
                return
            if "locked" in r.stderr or "busy" in r.stderr:
                failures.append(f"worker {w} saw a lock error: {r.stderr.strip()}")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("FAIL: " + "\n".join(failures))
    cases, _ = check_consistent(store)
    for case_id, n in updates.items():
        version = int(cases[case_id]["version"])
        if version != 1 + n:
            sys.exit(f"FAIL: case {case_id} is at version {version}, but {n} updates were acknowledged (lost update)")
    verify = store.run("PA-1", "prison_administration", "verify")
    if verify.returncode != 0:
        sys.exit(f"FAIL: the store does not verify: {verify.stderr.strip()}")
    total = sum(updates.values())
    print(f"concurrency test: {args.workers} workers, {total} updates acknowledged ({events[0]} events), "
          f"{stale[0]} stale updates refused, none lost, no lock error; store verified")
    if stale[0] == 0:
        print("note: no update was stale this time (the workers did not collide)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("test", choices=["kill", "concurrency"])
    parser.add_argument("kelias")
    parser.add_argument("workdir")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    kill_test(args) if args.test == "kill" else concurrency_test(args)


if __name__ == "__main__":
    main()
