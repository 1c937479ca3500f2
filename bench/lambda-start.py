#!/usr/bin/env python3
"""Cold start and warm latency of Lambda `bootstrap` binaries, side by side.

    bench/lambda-start.py [--rounds 7] [--warm 40] [--task DIR] BOOTSTRAP [BOOTSTRAP ...]

Runs each binary as Lambda runs it, without Lambda: this script is the Lambda
runtime API (`AWS_LAMBDA_RUNTIME_API`) and Secrets Manager (the server
secret and the staff tokens secret, as the stack names them in
SBIZ_SECRET_ARN and SBIZ_STAFF_TOKENS_SECRET), and DynamoDB Local (the jar
the tests use, tests/.cache/dynamodb-local/, fetched by the DynamoDB tests)
is the table. The environment is the stack's (deploy/template.yaml):
SBIZ_TABLE, both secrets, SES e-mail and SNS 문자 (their clients are built at
start, nothing is sent), JSON logs; credentials and region come from
AWS_* variables as Lambda gives them.

For each round and each binary, in alternation (this machine is shared and
noisy, so each binary sees the same conditions):
  * cold start: from just before the process is spawned to the moment the
    answer to the first invocation, an API Gateway HTTP API (payload 2.0)
    `GET /api/health` (its store probe reads the table), is posted back;
  * warm: `--warm` more invocations alternating `GET /api/health` and
    `GET /api/equipment/{id}/availability`, each timed from the moment the
    event is handed out to the moment its answer is posted;
  * a scheduled event `{"sbiz":"scheduled","tasks":["dispatch"]}` and one
    with `"purge"` must succeed too.
Each is also measured as CPU time (all of the process's threads, from
/proc/PID/task/*/schedstat): until the first answer, and per warm request;
CPU time is far less noisy than wall time on a shared machine, and it is
what a binary's own code costs. A first round warms DynamoDB Local (Java)
and is not counted. It prints, per binary, the medians over rounds, and
their ratios to the first binary's.

TASK (default: public/, as `sbiz build` writes it) holds catalog.json,
forms.json and search/index.json, the bundle's files beside `bootstrap`.
"""
import argparse
import json
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "ap-northeast-2"
SECRET = "bench-server-secret-" + "s" * 40
TABLE = "sbiz-bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Runtime:
    """The Lambda runtime API and Secrets Manager, on one loopback port: a
    new one for every process, since a killed process leaves a `next` request
    behind that would take the following process's first event."""

    def __init__(self):
        self.events = queue.Queue()
        self.answers = queue.Queue()
        self.handed = {}
        self.next_id = 0
        self.lock = threading.Lock()
        runtime = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_):
                pass

            def handle(self):
                try:
                    super().handle()
                except ConnectionError:
                    pass  # a process killed at the end of its round

            def reply(self, status, body, headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n)

            def do_GET(self):
                if self.path == "/2018-06-01/runtime/invocation/next":
                    payload = runtime.events.get()
                    with runtime.lock:
                        runtime.next_id += 1
                        rid = f"req-{runtime.next_id}"
                        runtime.handed[rid] = time.perf_counter()
                    deadline = int(time.time() * 1000) + 30_000
                    self.reply(200, payload.encode(), [
                        ("Lambda-Runtime-Aws-Request-Id", rid),
                        ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                        ("Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:ap-northeast-2:000000000000:function:bench"),
                        ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000"),
                        ("Content-Type", "application/json"),
                    ])
                else:
                    self.reply(404, {"message": "not found"})

            def do_POST(self):
                now = time.perf_counter()
                data = self.body()
                parts = self.path.split("/")
                if self.path.startswith("/2018-06-01/runtime/invocation/"):
                    rid, kind = parts[4], parts[5]
                    self.reply(202, {"status": "OK"})
                    runtime.answers.put((kind, runtime.handed.pop(rid, now), now, data))
                elif self.path.startswith("/2018-06-01/runtime/init/error"):
                    self.reply(202, {"status": "OK"})
                    runtime.answers.put(("init-error", now, now, data))
                elif self.headers.get("X-Amz-Target") == "secretsmanager.GetSecretValue":
                    sid = json.loads(data or b"{}").get("SecretId", "")
                    if sid == "bench/server-secret":
                        self.reply(200, {"ARN": "arn:aws:secretsmanager:ap-northeast-2:000000000000:secret:" + sid,
                                         "Name": sid, "SecretString": SECRET, "VersionId": "v1",
                                         "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9},
                                   [("Content-Type", "application/x-amz-json-1.1")])
                    else:
                        self.reply(400, {"__type": "ResourceNotFoundException",
                                         "message": "Secrets Manager can't find the specified secret."},
                                   [("Content-Type", "application/x-amz-json-1.1")])
                else:
                    self.reply(400, {"__type": "UnknownOperationException"})

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def invoke(self, payload, timeout=60):
        self.events.put(payload)
        kind, handed, answered, data = self.answers.get(timeout=timeout)
        return kind, answered - handed, answered, data


def cpu_seconds(pid):
    """CPU time of every thread of `pid` so far (ns resolution: schedstat)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def http_event(path, query=""):
    now = time.time()
    return json.dumps({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": "abc123.execute-api.ap-northeast-2.amazonaws.com",
                    "user-agent": "bench", "accept": "application/json"},
        "requestContext": {
            "accountId": "000000000000", "apiId": "abc123",
            "domainName": "abc123.execute-api.ap-northeast-2.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.7", "userAgent": "bench"},
            "requestId": "bench", "routeKey": "$default", "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    })


def start_dynamodb_local():
    base = os.environ.get("SBIZ_DYNAMODB_LOCAL_DIR") or os.path.join(ROOT, "tests", ".cache", "dynamodb-local")
    jar_dir = os.path.join(base, "package", "emulator")
    if not os.path.exists(os.path.join(jar_dir, "DynamoDBLocal.jar")):
        sys.exit(f"lambda-start: no DynamoDB Local in {jar_dir} (run the DynamoDB tests once to fetch it)")
    port = free_port()
    proc = subprocess.Popen(
        [os.environ.get("JAVA", "java"), "-Djava.library.path=DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
         "-inMemory", "-sharedDb", "-port", str(port), "-disableTelemetry"],
        cwd=jar_dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
            continue
        return proc, f"http://127.0.0.1:{port}"
    proc.kill()
    sys.exit("lambda-start: DynamoDB Local did not answer within 90 s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--warm", type=int, default=40)
    ap.add_argument("--task", default=os.path.join(ROOT, "public"))
    ap.add_argument("bootstraps", nargs="+")
    args = ap.parse_args()
    bins = [os.path.abspath(b) for b in args.bootstraps]

    work = tempfile.mkdtemp(prefix="lambda-start-")
    task = os.path.join(work, "task")
    os.makedirs(os.path.join(task, "search"))
    for name in ("catalog.json", "forms.json", os.path.join("search", "index.json")):
        shutil.copy(os.path.join(args.task, name), os.path.join(task, name))
    equipment = json.load(open(os.path.join(task, "catalog.json"), encoding="utf-8"))["equipment"][0]["id"]

    ddb, ddb_url = start_dynamodb_local()
    runtime = Runtime()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SBIZ_", "RUST_LOG"))}
    env.update({
        "HOME": work,
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_SESSION_TOKEN": "bench",
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL_DYNAMODB": ddb_url,
        "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
        "LAMBDA_TASK_ROOT": task,
        "SBIZ_TABLE": TABLE,
        "SBIZ_SECRET_ARN": "bench/server-secret",
        "SBIZ_STAFF_TOKENS_SECRET": "bench/staff-tokens",
        "SBIZ_PUBLIC_BASE": "https://bench.example.kr",
        "SBIZ_EMAIL": "ses", "SBIZ_EMAIL_FROM": "bench <no-reply@bench.example.kr>",
        "SBIZ_SMS": "sns",
    })

    def env_for(rt):
        return {**env, **{
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": f"http://127.0.0.1:{rt.port}",
            # SES and SNS: built at start, never called by these events.
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{rt.port}",
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{rt.port}",
        }}
    logs = open(os.path.join(work, "function.log"), "wb")
    results = {b: {"cold": [], "cold_cpu": [], "warm": [], "warm_cpu": []} for b in bins}
    try:
        made = subprocess.run([bins[0], "create-table", TABLE],
                              env={k: v for k, v in env_for(runtime).items() if k != "AWS_LAMBDA_RUNTIME_API"},
                              capture_output=True, text=True)
        if made.returncode != 0:
            sys.exit(f"lambda-start: create-table failed: {made.stderr}")
        # Round 0 warms DynamoDB Local (Java) and the page cache; not counted.
        for r in range(args.rounds + 1):
            order = bins if r % 2 == 0 else list(reversed(bins))
            for b in order:
                runtime.server.shutdown()
                runtime = Runtime()
                launch_env = env_for(runtime)
                t0 = time.perf_counter()
                proc = subprocess.Popen([b], env=launch_env, cwd=task, stdout=logs, stderr=logs)
                try:
                    kind, _, answered, data = runtime.invoke(http_event("/api/health"))
                    cold = answered - t0
                    cold_cpu = cpu_seconds(proc.pid)
                    body = json.loads(data)
                    if kind != "response" or body.get("statusCode") != 200:
                        sys.exit(f"lambda-start: {b}: first answer {kind}: {data[:400]!r}")
                    warm = []
                    cpu0 = cpu_seconds(proc.pid)
                    for i in range(args.warm):
                        ev = (http_event("/api/health") if i % 2 == 0 else
                              http_event(f"/api/equipment/{equipment}/availability"))
                        kind, took, _, data = runtime.invoke(ev)
                        if kind != "response" or json.loads(data).get("statusCode") != 200:
                            sys.exit(f"lambda-start: {b}: warm answer {kind}: {data[:400]!r}")
                        warm.append(took)
                    warm_cpu = (cpu_seconds(proc.pid) - cpu0) / args.warm
                    for task_name in ("dispatch", "purge"):
                        kind, _, _, data = runtime.invoke(json.dumps({"sbiz": "scheduled", "tasks": [task_name]}))
                        if kind != "response":
                            sys.exit(f"lambda-start: {b}: scheduled {task_name}: {kind} {data[:400]!r}")
                finally:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                print(f"round {r} {b}: cold {cold * 1000:.1f} ms (CPU {cold_cpu * 1000:.1f} ms), "
                      f"warm p50 {statistics.median(warm) * 1000:.2f} ms (CPU {warm_cpu * 1000:.3f} ms)"
                      + (" [warm-up, not counted]" if r == 0 else ""), flush=True)
                if r == 0:
                    continue
                results[b]["cold"].append(cold)
                results[b]["cold_cpu"].append(cold_cpu)
                results[b]["warm"].append(statistics.median(warm))
                results[b]["warm_cpu"].append(warm_cpu)
    finally:
        ddb.kill()
        ddb.wait()
        runtime.server.shutdown()
        logs.close()
    base = {k: statistics.median(v) for k, v in results[bins[0]].items()}
    print("\nmedians over rounds; ratio = this binary's median / the first binary's")
    print(f"{'binary':<40} {'bytes':>11} {'cold':>9} {'ratio':>6} {'cold CPU':>9} {'ratio':>6}"
          f" {'warm p50':>9} {'ratio':>6} {'warm CPU':>9} {'ratio':>6}")
    for b in bins:
        m = {k: statistics.median(v) for k, v in results[b].items()}
        row = f"{b[-40:]:<40} {os.path.getsize(b):>11,}"
        for k in ("cold", "cold_cpu", "warm", "warm_cpu"):
            row += f" {m[k] * 1000:>6.2f} ms {m[k] / base[k]:>6.3f}"
        print(row)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
