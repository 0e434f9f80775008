#!/usr/bin/env python3
"""Three rifa-host processes behind nginx on one PostgreSQL, the reference deployment as shipped.

nginx runs deploy/nginx/rifa1122.conf itself (TLS with a throwaway certificate, loopback ports in
place of the real ones). Players buy through it from a client address of their own (127.0.0.7)
while one host is killed with SIGKILL mid-run; clients retry failed requests with the same
Idempotency-Key, as the API asks them to. Then, read from the database:
  - no number is sold twice, every 201 is a sold ticket of that buyer and every sold ticket was
    answered 201 to exactly one key;
  - every retry or replay of a key got the first answer;
  - the per-account log-in limit holds across hosts (failures on two hosts add up);
  - the hosts log the client's address from X-Forwarded-For, and a forged X-Forwarded-For from a
    peer that is not a trusted proxy is ignored.

Usage: multi_host_test.py BUILD_DIR SOURCE_DIR, with RIFA_TEST_POSTGRES_URL set (scripts/test.sh
starts a throwaway server); exit 77 (skipped) without it unless RIFA_REQUIRE_POSTGRES=1.
"""
import http.client
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid

BUILD, SRC = sys.argv[1], sys.argv[2]
HOST_BIN = os.path.join(BUILD, "host/main/rifa-host")
CLIENT_ADDRESS = "127.0.0.7"    # the players' own address, as nginx sees it
UNTRUSTED_PEER = "127.0.0.9"    # a client reaching a host directly (not a trusted proxy)
JWT_SECRET = "multi-host-test-jwt-secret-0123456789abcdef0123456789"
SANDBOX_SECRET = "multi-host-test-sandbox-secret-0123456789abcdef"
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@multihost.test", "Multi-host-admin-password-2026!"
PLAYER_PASSWORD = "Multi-host-player-password-2026!"
TOTAL_NUMBERS = 2000
PLAYERS = 6
DRIVE_SECONDS = 8.0
KILL_AFTER_SECONDS = 2.5

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


pg_url = os.environ.get("RIFA_TEST_POSTGRES_URL", "")
if not pg_url:
    if os.environ.get("RIFA_REQUIRE_POSTGRES") == "1":
        print("FAIL: RIFA_TEST_POSTGRES_URL is not set and RIFA_REQUIRE_POSTGRES=1", file=sys.stderr)
        sys.exit(1)
    print("SKIPPED: RIFA_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway PostgreSQL)")
    sys.exit(77)
nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
if not os.access(nginx_bin, os.X_OK):
    print("FAIL: nginx is missing: run scripts/setup.sh --tests", file=sys.stderr)
    sys.exit(1)

work = tempfile.mkdtemp(prefix="rifa-multihost-")
database = f"multihost_{os.getpid()}"
psql(pg_url, f"CREATE DATABASE {database}")
db_url = pg_url.rsplit("/", 1)[0] + "/" + database
hosts = []  # (port, process, log path)
nginx = None


def host_config(port):
    return f"""
server:
  listen: 127.0.0.1
  port: {port}
  io_threads: 1
  trusted_proxies: [127.0.0.1]
  rate_limit: {{per_ip: {{per_second: 2000, burst: 4000}}, per_user: {{per_second: 2000, burst: 4000}}}}
database:
  url: "{db_url}"
  pool_size: 4
  migrate_on_start: true
  seed: {SRC}/fixtures/seed
secrets:
  jwt_secret: {JWT_SECRET}
sales:
  in_flight_takeover_s: 5
jobs: {{workers: 1}}
logging: {{level: info, format: json}}  # production's level: the access lines must be there
plugins:
  search_path: [{BUILD}/plugins]
  instances:
    mock: {{library: lottery_mock, kind: lottery, config: {{seed: multihost}}}}
    sandbox: {{library: payment_sandbox, kind: payment, config: {{webhook_secret: {SANDBOX_SECRET}}}}}
    log: {{library: notifier_log, kind: notifier}}
bindings:
  defaults: {{lottery: mock, payment: sandbox, notifiers: [log]}}
"""


def start_host(index):
    port = free_port()
    config = os.path.join(work, f"host{index}.yaml")
    with open(config, "w") as f:
        f.write(host_config(port))
    log_path = os.path.join(work, f"host{index}.log")
    process = subprocess.Popen([HOST_BIN, "--config", config, "serve"], stdout=open(log_path, "w"),
                               stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"host {index} exited: {open(log_path).read()[-3000:]}")
            time.sleep(0.1)
    hosts.append((port, process, log_path))
    return config


def stop_everything():
    for _, process, _ in hosts:
        if process.poll() is None:
            process.terminate()
    for _, process, _ in hosts:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    if nginx and nginx.poll() is None:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
    try:
        psql(pg_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    except subprocess.CalledProcessError as e:
        print("could not drop", database, e.stderr, file=sys.stderr)


class Client:
    """One keep-alive HTTPS connection to nginx (certificate verified) or HTTP to one host."""

    def __init__(self, port, tls, source=CLIENT_ADDRESS):
        self.port, self.tls, self.source = port, tls, source
        self.connection = None

    def _connect(self):
        if self.tls:
            context = ssl.create_default_context(cafile=os.path.join(work, "cert.pem"))
            return http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=30,
                                               source_address=(self.source, 0))
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))

    def call(self, method, path, body=None, token=None, headers=None):
        """(status, json or text, headers); status 0 on a connection failure."""
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            all_headers["Authorization"] = "Bearer " + token
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None,
                                    headers=all_headers)
            response = self.connection.getresponse()
            raw = response.read().decode()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, payload, dict(response.getheaders())
        except (OSError, http.client.HTTPException) as e:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return 0, str(e), {}


def must(result, *statuses):
    status, payload, _ = result
    if status not in statuses:
        raise SystemExit(f"unexpected HTTP {status}: {payload}")
    return payload


def write_nginx_config(port, host_ports):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", os.path.join(work, "key.pem"), "-out", os.path.join(work, "cert.pem")],
                   check=True, capture_output=True)
    with open(os.path.join(work, "upstreams.conf"), "w") as f:
        servers = "".join(f"  server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;\n" for p in host_ports)
        f.write("upstream rifa_hosts {\n  least_conn;\n" + servers + "  keepalive 16;\n}\n")
    # The shipped site file, with this test's ports, paths and certificate; anything else unchanged.
    site = open(os.path.join(SRC, "deploy/nginx/rifa1122.conf")).read()
    replacements = {
        "include /etc/nginx/rifa1122-upstreams.conf;": f"include {work}/upstreams.conf;",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "listen [::]:80;": "",
        "/etc/ssl/rifa1122/fullchain.pem": f"{work}/cert.pem",
        "/etc/ssl/rifa1122/privkey.pem": f"{work}/key.pem",
    }
    for old, new in replacements.items():
        if old not in site:
            raise SystemExit(f"deploy/nginx/rifa1122.conf no longer has '{old}': update this test with it")
        site = site.replace(old, new)
    with open(os.path.join(work, "site.conf"), "w") as f:
        f.write(site)
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log {work}/nginx-access.log;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  include {work}/site.conf;
}}
""")
    check = subprocess.run([nginx_bin, "-t", "-c", f"{work}/nginx.conf", "-p", work], capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit("nginx -t refuses the shipped config: " + check.stderr)


def main():
    global nginx
    first_config = start_host(0)  # migrates and seeds before the others start
    subprocess.run([HOST_BIN, "--config", first_config, "users", "create-admin", "--email", ADMIN_EMAIL,
                    "--nombre", "Admin"], env={**os.environ, "RIFA_ADMIN_PASSWORD": ADMIN_PASSWORD}, check=True,
                   capture_output=True)
    start_host(1)
    start_host(2)
    nginx_port = free_port()
    write_nginx_config(nginx_port, [p for p, _, _ in hosts])
    nginx = subprocess.Popen([nginx_bin, "-c", f"{work}/nginx.conf", "-p", work])
    proxy = Client(nginx_port, tls=True)
    for _ in range(100):
        if proxy.call("GET", "/health/ready")[0] == 200:
            break
        time.sleep(0.1)

    admin = must(proxy.call("POST", "/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}), 200)["access_token"]
    categoria = must(proxy.call("GET", "/categorias?per_page=100", token=admin), 200)["items"][0]["id"]
    loteria = [l for l in must(proxy.call("GET", "/loterias?per_page=100", token=admin), 200)["items"]
               if l["plugin_instance"] == "mock"][0]["id"]
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    fin = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30 * 86400))
    rifa = must(proxy.call("POST", "/rifas", {"nombre": "Multi-host", "categoria_id": categoria, "loteria_id": loteria,
                                              "fecha_inicio": now, "fecha_fin": fin, "total_boletas": TOTAL_NUMBERS},
                           token=admin), 201)["id"]
    must(proxy.call("PATCH", f"/rifas/{rifa}", {"estado": "activa"}, token=admin), 200)

    players = []
    for i in range(PLAYERS + 1):
        email = f"player{i}@multihost.test"
        # An adult with a document of their own who accepts the data policy (issue 15's sign-up rules).
        must(proxy.call("POST", "/auth/register", {"nombre": f"Jugador {i}", "email": email, "password": PLAYER_PASSWORD,
                                                   "fecha_nacimiento": "1990-05-17", "documento_tipo": "CC",
                                                   "documento_numero": str(54000000 + i), "acepta_politica_datos": True}),
             201, 202)
        login = must(proxy.call("POST", "/auth/login", {"email": email, "password": PLAYER_PASSWORD}), 200)
        players.append((email, login["access_token"]))
    throttle_player = players.pop()

    # --- purchases through nginx while host 1 is killed -------------------------------------------
    answers = {}            # key -> (player email, first 201 body)
    replays_checked = [0]
    retried_keys = [0]
    trouble = {"connection": 0, "502/503/504": 0, "409 in flight": 0}
    gave_up = []
    lock = threading.Lock()
    stop = threading.Event()

    def buyer(email, token):
        client = Client(nginx_port, tls=True)
        while not stop.is_set():
            key = str(uuid.uuid4())
            deadline = time.time() + 30
            attempts = 0
            while True:
                attempts += 1
                status, body, headers = client.call("POST", f"/rifas/{rifa}/tickets", {"quantity": 1}, token,
                                                    {"Idempotency-Key": key})
                if status == 201:
                    break
                # The key's first request died with its host: 409 until sales.in_flight_takeover_s, then resumed.
                in_flight = status == 409 and "still being processed" in json.dumps(body)
                if status == 409 and not in_flight and "sold" in json.dumps(body).lower():
                    stop.set()  # sold out
                    return
                transient = status in (0, 502, 503, 504) or in_flight
                if not transient or time.time() > deadline:
                    with lock:
                        gave_up.append((key, status, body))
                    fail(f"key {key}: gave up after {attempts} attempt(s), last HTTP {status}: {body}")
                    return
                with lock:
                    trouble["connection" if status == 0 else "409 in flight" if in_flight else "502/503/504"] += 1
                time.sleep(float(headers.get("Retry-After", "0.5")) if in_flight else 0.2)
            with lock:
                answers[key] = (email, body)
                if attempts > 1:
                    retried_keys[0] += 1
            if random.random() < 0.25:  # a client that never saw the answer sends the same key again
                for _ in range(50):  # through the same transient failures as any request
                    status, again, _ = client.call("POST", f"/rifas/{rifa}/tickets", {"quantity": 1}, token,
                                                   {"Idempotency-Key": key})
                    if status not in (0, 502, 503, 504):
                        break
                    time.sleep(0.2)
                if status != 201 or again.get("transaccion_id") != body.get("transaccion_id") or \
                        again.get("tickets") != body.get("tickets"):
                    fail(f"key {key}: a replay answered HTTP {status} {again}, not the first answer {body}")
                with lock:
                    replays_checked[0] += 1

    threads = [threading.Thread(target=buyer, args=p) for p in players]
    started = time.time()
    for t in threads:
        t.start()
    time.sleep(KILL_AFTER_SECONDS)
    killed_port, killed, _ = hosts[1]
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    print(f"killed the host on port {killed_port} with SIGKILL at {time.time() - started:.1f} s", flush=True)
    time.sleep(max(0.0, DRIVE_SECONDS - (time.time() - started)))
    stop.set()
    for t in threads:
        t.join(timeout=60)

    # --- the database agrees with what clients were told -------------------------------------------
    answered = {}
    for key, (email, body) in answers.items():
        for ticket in body["tickets"]:
            if ticket["numero"] in answered:
                fail(f"number {ticket['numero']} was answered 201 to two keys ({answered[ticket['numero']][0]}, {key})")
            answered[ticket["numero"]] = (key, email, ticket["id"])
    rows = psql(db_url, f"""SELECT t.numero, t.id, u.email FROM tickets t JOIN users u ON u.id = t.usuario_id
                            WHERE t.rifa_id = '{rifa}' AND t.estado = 'vendido' ORDER BY t.numero""")
    sold = {}
    for line in rows.splitlines():
        numero, ticket_id, email = line.split("|")
        sold[int(numero)] = (ticket_id, email)
    for numero, (key, email, ticket_id) in answered.items():
        if numero not in sold:
            fail(f"number {numero} was answered 201 (key {key}) but is not sold")
        elif sold[numero] != (ticket_id, email):
            fail(f"number {numero}: answered as ticket {ticket_id} to {email}, sold as {sold[numero]}")
    for numero in sold:
        if numero not in answered:
            fail(f"number {numero} is sold but no client was answered 201 for it")
    held = psql(db_url, f"SELECT count(*) FROM tickets WHERE rifa_id = '{rifa}' AND estado = 'reservado'")
    sold_cents, paid_cents = psql(db_url, f"""
        SELECT (SELECT COALESCE(sum(precio), 0) FROM tickets WHERE rifa_id = '{rifa}' AND estado = 'vendido'),
               (SELECT COALESCE(sum(amount), 0) FROM transacciones WHERE rifa_id = '{rifa}' AND status = 'succeeded')
    """).split("|")
    if sold_cents != paid_cents:
        fail(f"sold numbers are worth {sold_cents} but succeeded transacciones add up to {paid_cents}")
    print(f"purchases: {len(answers)} keys answered 201, {len(sold)} numbers sold, {held} held, "
          f"{retried_keys[0]} key(s) needed a retry, {replays_checked[0]} replays checked, transient answers {trouble}",
          flush=True)
    if len(answers) < 20:
        fail(f"only {len(answers)} purchases went through: the run says too little")

    # --- the per-account log-in limit across hosts ---------------------------------------------------
    live = [hosts[0][0], hosts[2][0]]
    email, _ = throttle_player
    for i in range(6):  # 5 free failures, the 6th blocks: three on each live host
        status, body, _ = Client(live[i % 2], tls=False, source="127.0.0.1").call(
            "POST", "/auth/login", {"email": email, "password": "wrong-password-123456"},
            headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
        if status != 401:
            fail(f"failed log-in {i + 1} answered {status}: {body}")
    status, body, _ = Client(live[0], tls=False, source="127.0.0.1").call(
        "POST", "/auth/login", {"email": email, "password": PLAYER_PASSWORD}, headers={"X-Forwarded-For": "198.51.100.9"})
    if status != 429:
        fail(f"after 6 failures spread over two hosts the right password answered {status}, not 429: {body}")

    # --- the client's address in the hosts' logs ------------------------------------------------------
    through_proxy = "rq-" + uuid.uuid4().hex[:20]
    direct = "rq-" + uuid.uuid4().hex[:20]
    must(proxy.call("GET", "/categorias", headers={"X-Forwarded-For": "6.6.6.6", "X-Request-Id": through_proxy}), 200)
    must(Client(live[0], tls=False, source=UNTRUSTED_PEER).call(
        "GET", "/categorias", headers={"X-Forwarded-For": "6.6.6.6", "X-Request-Id": direct}), 200)
    time.sleep(0.3)
    logs = "".join(open(path).read() for _, _, path in hosts)

    def logged_address(request_id):
        for line in logs.splitlines():
            if f"request {request_id} from " in line:
                return line.split(f"request {request_id} from ", 1)[1].split(" ", 1)[0]
        return None

    if logged_address(through_proxy) != CLIENT_ADDRESS:
        fail(f"through nginx with a forged X-Forwarded-For the log says {logged_address(through_proxy)}, not {CLIENT_ADDRESS}")
    if logged_address(direct) != UNTRUSTED_PEER:
        fail(f"from an untrusted peer with a forged X-Forwarded-For the log says {logged_address(direct)}, "
             f"not {UNTRUSTED_PEER}")
    if f"from {CLIENT_ADDRESS} POST /api/v1/rifas/{{id}}/tickets -> 201" not in logs:
        fail("no purchase is logged (at info, with its route's template) with the client's own address")
    if f"/api/v1/rifas/{rifa}/tickets" in logs:
        fail("the access log names a request's target, not its route's template")

    # --- the client's address in the audit log ----------------------------------------------------------
    # The rifa was created through nginx: its audit entry has the player's address, not nginx's.
    created = psql(db_url, f"SELECT client_address FROM audit_log WHERE action = 'rifa.created' AND entity_id = '{rifa}'")
    if created != CLIENT_ADDRESS:
        fail(f"the audit entry of a rifa created through nginx says client_address {created!r}, not {CLIENT_ADDRESS}")
    # An untrusted peer's forged X-Forwarded-For is ignored there too.
    forged = must(Client(live[0], tls=False, source=UNTRUSTED_PEER).call(
        "POST", "/categorias", {"nombre": "Forjada", "valor_boleta": 1000, "rake": "0.1"}, token=admin,
        headers={"X-Forwarded-For": "6.6.6.6"}), 201)["id"]
    audited = psql(db_url, f"SELECT client_address FROM audit_log WHERE action = 'categoria.created' "
                           f"AND entity_id = '{forged}'")
    if audited != UNTRUSTED_PEER:
        fail(f"a categoria created directly by {UNTRUSTED_PEER} with a forged X-Forwarded-For is audited as "
             f"{audited!r}")
    # The chain covers the address; sealed (audit.seal_interval_ms, 500 by default), it still verifies.
    time.sleep(1.5)
    verify = subprocess.run([HOST_BIN, "--config", first_config, "audit", "verify"], capture_output=True, text=True)
    if verify.returncode != 0:
        fail(f"audit verify fails with client addresses in the chain: {verify.stdout} {verify.stderr}")


try:
    main()
except SystemExit as e:
    fail(str(e))
finally:
    stop_everything()
    if failures:
        for _, _, path in hosts:
            print(f"--- tail of {path}", file=sys.stderr)
            print("".join(open(path).readlines()[-30:]), file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
print("PASS" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
