#!/usr/bin/env python3
"""deploy/prometheus and deploy/grafana as an operator loads them: promtool accepts the alert rules
and the scrape config, the dashboard is valid JSON with a query per panel, and every rifa_* metric
either names is one rifa-host registers (a renamed metric must not leave an alert that never fires).

Usage: monitoring_test.py SOURCE_DIR. Needs promtool (Debian's prometheus: scripts/setup.sh --tests).
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

src = pathlib.Path(sys.argv[1])
deploy = src / "deploy"
failures = []

promtool = shutil.which("promtool")
if not promtool:
    print("FAIL: promtool is missing: run scripts/setup.sh --tests", file=sys.stderr)
    sys.exit(1)
for args in (["check", "rules", str(deploy / "prometheus/rifa-alerts.yml")],
             ["check", "config", str(deploy / "prometheus/prometheus.yml")]):
    run = subprocess.run([promtool, *args], capture_output=True, text=True)
    print(run.stdout + run.stderr)
    if run.returncode != 0:
        failures.append("promtool " + " ".join(args[:2]) + " refused the file")

dashboard = json.loads((deploy / "grafana/rifa1122-dashboard.json").read_text())
exprs = []
for panel in dashboard["panels"]:
    targets = panel.get("targets", [])
    if not targets or not all(t.get("expr") for t in targets):
        failures.append(f"dashboard panel {panel.get('title')!r} has no query")
    exprs += [t["expr"] for t in targets]

# The names rifa-host registers: every "rifa_..." string literal passed to counter/gauge/histogram.
registered = set()
for path in list((src / "host").rglob("*.cpp")) + list((src / "api").rglob("*.cpp")):
    registered |= set(re.findall(r'(?:counter|gauge|histogram)\(\s*"(rifa_[a-z0-9_]+)"', path.read_text()))
print("rifa-host registers:", ", ".join(sorted(registered)))
if len(registered) < 10:
    failures.append(f"found only {len(registered)} registered metrics: is the pattern stale?")

used = set(re.findall(r"\brifa_[a-z0-9_]+", (deploy / "prometheus/rifa-alerts.yml").read_text()))
for e in exprs:
    used |= set(re.findall(r"\brifa_[a-z0-9_]+", e))
used.discard("rifa_1122")
for name in sorted(used):
    base = re.sub(r"_(bucket|sum|count)$", "", name)
    if name not in registered and base not in registered:
        failures.append(f"{name} is used by deploy/ but rifa-host registers no such metric")

for f in failures:
    print("FAIL:", f, file=sys.stderr)
print("PASS" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
