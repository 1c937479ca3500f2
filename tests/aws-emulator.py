#!/usr/bin/env python3
"""Deploys the AWS stack on a local AWS emulator and books through it.

Run by ./tests/run-all with the python of tests/.cache/ministack-venv, where
ministack (pinned) and awscli are installed:

    tests/.cache/ministack-venv/bin/python tests/aws-emulator.py

It starts ministack on 127.0.0.1 on a free port with its own TMPDIR, builds
the bundle with `deploy/package.sh --ci`, runs the generated DEPLOY.txt
(steps 1-4, as an operator would, from another directory) against the
emulator, and then, through the deployed stack: the site through CloudFront
with its security headers; the real `bootstrap` behind the HTTP API, which refuses requests
without the origin secret header CloudFront's api origin carries (the
secret DEPLOY.txt generated, kept by the update) and answers them with it
(health, availability, a booking posted with the distribution's Origin, a
second booking of the slot, an idempotent retry, a foreign origin refused,
a cancel); messages: the SES identity created, the stack switched to SES
e-mail and SNS 문자 by its parameters, and the booking's e-mail and 문자
(each with the management link) read back from the emulator after the
scheduled `dispatch` event; the staff API with a token put in the staff
tokens secret the way the operator guide says, and the booking's message
history there; the schedule firing and running the purge;
an update with a new bundle that keeps the bookings and the parameters;
deleting the stack, which keeps the table and the server secret; and a new
stack created over both. It fails (never skips) when the emulator cannot
start. ministack and every process it started are stopped by PID.

Emulator gaps, worked around here and not in the template:
  * TimeToLiveSpecification is ignored: applied with update-time-to-live.
  * The HTTP API is reached at /_aws/execute-api/{apiId}/$default/...;
    CloudFront with `Host: {dist}.cloudfront.net` and `X-Forwarded-Proto`.
  * CloudFront's origin fetch from S3 carries no aws:SecureTransport, so
    the bucket policy's TlsOnly deny refuses it: the test puts the policy
    back without that statement after each deployment.
  * CloudFront cannot reach the *.execute-api.amazonaws.com origin (it
    dials the real host), so /api/* is called on the API directly, with
    the distribution's Origin header as a browser on the site sends it and
    the x-sbiz-origin-verify header as CloudFront adds it (its value read
    from the distribution's config).

Measurements (cold start, warm p50/p99 through the HTTP API) are printed.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(os.path.abspath(sys.executable))
STACK = "sbiz-e2e"
REGION = "ap-northeast-2"
EQUIPMENT = "changsin-auto-cutter"
FACILITY = "changsin-manufacturing-center"
STAFF_TOKEN = "e2e-staff-token-" + "x" * 24
EMAIL_DOMAIN = "sbiz.example.kr"
EMAIL_FROM = f"소공인포털 <no-reply@{EMAIL_DOMAIN}>"
ORIGIN_HEADER = "x-sbiz-origin-verify"

passed = 0


def log(msg):
    print(f"aws-emulator: {msg}", flush=True)


def ok(what):
    global passed
    passed += 1
    log(f"ok {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, work):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = os.path.join(work, "ministack-tmp")
        os.makedirs(self.tmp)
        self.log_path = os.path.join(work, "ministack.log")
        # The Lambda inherits ministack's environment: nothing of the
        # caller's SBIZ_*/AWS_* settings may leak into the function.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SBIZ_", "AWS_", "RUST_LOG"))}
        env.update({
            "BIND_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(self.port),
            "TMPDIR": self.tmp,
            "S3_DATA_DIR": os.path.join(self.tmp, "s3"),
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": REGION,
            "MINISTACK_REGION": REGION,
            "LOG_LEVEL": "INFO",
        })
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [os.path.join(VENV_BIN, "ministack")], env=env, cwd=work,
            stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"aws-emulator: ministack exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_ministack/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"aws-emulator: ministack did not start in 60 s:\n{self.tail()}")
            time.sleep(0.3)

    def tail(self, n=60):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def descendants(self):
        """PIDs of every process below ministack (function bootstraps)."""
        children = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(pid))
        out, todo = [], [self.proc.pid]
        while todo:
            for c in children.get(todo.pop(), []):
                out.append(c)
                todo.append(c)
        return out

    def stop(self):
        pids = self.descendants()
        for pid in [self.proc.pid] + pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log_file.close()


class Env:
    def __init__(self, emu, work):
        self.emu = emu
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SBIZ_"))}
        self.env.update({
            "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""),
            "AWS_ENDPOINT_URL": emu.url,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.path.join(work, "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "aws-credentials"),
            "AWS_PAGER": "",
        })

    def run(self, args, cwd=None, capture=True):
        r = subprocess.run(args, env=self.env, cwd=cwd or self.work, text=True,
                           capture_output=capture)
        if r.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def aws(self, *args):
        out = self.run(["aws", *args, "--output", "json"])
        return json.loads(out) if out.strip() else None

    def outputs(self, stack=STACK):
        s = self.aws("cloudformation", "describe-stacks", "--stack-name", stack)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}, s

    def deploy(self, *overrides):
        # awscli names the change set after the current second
        # (awscli-cloudformation-package-deploy-<unix time>). Two deploys in
        # one second, or a CreateChangeSet that botocore retried after the
        # busy emulator had already made it, end in AlreadyExistsException
        # before anything is changed: wait for a new second and deploy again
        # (once; any other failure fails the test).
        wait = getattr(self, "last_deploy", 0) + 1.5 - time.time()
        if wait > 0:
            time.sleep(wait)
        args = ["aws", "cloudformation", "deploy", "--stack-name", STACK,
                "--template-file", os.path.join(ROOT, "deploy/template.yaml"),
                "--capabilities", "CAPABILITY_IAM", "--no-fail-on-empty-changeset",
                "--parameter-overrides", *overrides]
        try:
            self.last_deploy = time.time()
            self.run(args)
        except AssertionError as e:
            if "AlreadyExistsException" not in str(e):
                raise
            time.sleep(2)
            self.last_deploy = time.time()
            self.run(args)


def http(method, url, body=None, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def package(out, *extra):
    args = [os.path.join(ROOT, "deploy/package.sh"), "--ci", "--out", out,
            "--stack", STACK, *extra]
    r = subprocess.run(args, cwd=ROOT, text=True, capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"package.sh failed:\n{r.stderr[-3000:]}")
    return os.path.join(out, "DEPLOY.txt")


def emulator_fixups(e):
    """The emulator gaps named in the module's doc."""
    outs, _ = e.outputs()
    table = outs["TableName"]
    ttl = e.aws("dynamodb", "describe-time-to-live", "--table-name", table)
    if ttl["TimeToLiveDescription"].get("TimeToLiveStatus") != "ENABLED":
        e.aws("dynamodb", "update-time-to-live", "--table-name", table,
              "--time-to-live-specification", "Enabled=true,AttributeName=expires_at")
    bucket = outs["SiteBucketName"]
    policy = json.loads(e.aws("s3api", "get-bucket-policy", "--bucket", bucket)["Policy"])
    kept = [s for s in policy["Statement"] if s.get("Sid") != "TlsOnly"]
    if len(kept) != len(policy["Statement"]):
        policy["Statement"] = kept
        e.run(["aws", "s3api", "put-bucket-policy", "--bucket", bucket,
               "--policy", json.dumps(policy)])


def origin_secret(e):
    """The secret CloudFront's api origin sends (its distribution config),
    checked against the function's SBIZ_ORIGIN_SECRET."""
    outs, _ = e.outputs()
    conf = e.aws("cloudfront", "get-distribution-config", "--id",
                 outs["DistributionId"])["DistributionConfig"]
    api = next(o for o in conf["Origins"]["Items"] if o["Id"] == "api")
    site = next(o for o in conf["Origins"]["Items"] if o["Id"] == "site")
    headers = api.get("CustomHeaders", {}).get("Items", [])
    assert [h["HeaderName"] for h in headers] == [ORIGIN_HEADER], api
    assert not site.get("CustomHeaders", {}).get("Items"), site
    value = headers[0]["HeaderValue"]
    assert re.fullmatch(r"[0-9a-f]{64}", value), "openssl rand -hex 32"
    env = e.aws("lambda", "get-function-configuration",
                "--function-name", outs["FunctionName"])["Environment"]["Variables"]
    assert env["SBIZ_ORIGIN_SECRET"] == value, "the function and CloudFront share the secret"
    return value


class Api:
    """The HTTP API called as CloudFront calls it: with the origin secret
    header (direct=True: as anyone on the internet, without it)."""

    def __init__(self, e):
        outs, _ = e.outputs()
        api_id = outs["ApiUrl"].split("//", 1)[1].split(".", 1)[0]
        self.base = f"{e.emu.url}/_aws/execute-api/{api_id}/$default"
        self.site = outs["SiteUrl"]
        self.secret = origin_secret(e)

    def call(self, method, path, body=None, headers=None, direct=False):
        h = dict(headers or {})
        if not direct:
            h.setdefault(ORIGIN_HEADER, self.secret)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        status, headers, raw = http(method, self.base + path, data, h)
        try:
            j = json.loads(raw) if raw else None
        except ValueError:
            j = None
        return status, headers, j, raw


def person(n):
    return {"name": f"김소공{n}", "phone": f"010-5555-{n:04d}", "business": f"소공봉제{n}",
            "email": f"owner{n}@example.kr", "consent": True}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    work = tempfile.mkdtemp(prefix="sbiz-aws-emulator-", dir=os.path.join(ROOT, "tests/.cache"))
    emu = Emulator(work)
    log(f"ministack {emu.url} (pid {emu.proc.pid}), work dir {work}")
    try:
        scenario(Env(emu, work))
    except BaseException:
        log("ministack log (tail):\n" + emu.tail())
        raise
    finally:
        emu.stop()
    shutil.rmtree(work, ignore_errors=True)
    print(f"aws-emulator: {passed} passed, 0 failed")


def scenario(e):
    measures = {}
    # ---- package and deploy as DEPLOY.txt says, from another directory
    dist1 = os.path.join(e.work, "dist1")
    deploy_txt = package(dist1, "--now", "2026-11-28")
    elsewhere = os.path.join(e.work, "elsewhere")
    os.makedirs(elsewhere)
    e.run(["bash", "-euo", "pipefail", deploy_txt], cwd=elsewhere)
    outs, stack = e.outputs()
    assert stack["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE"), stack["StackStatus"]
    assert outs["TableName"] == "sbiz-booking", outs
    ok("DEPLOY.txt steps 1-4 (artifact bucket, code, stack, site, invalidation): CREATE_COMPLETE")
    emulator_fixups(e)
    dist_host = outs["SiteUrl"].split("//", 1)[1]
    site_origin = outs["SiteUrl"]

    # ---- the site through CloudFront, with the security headers
    cf = {"Host": dist_host, "X-Forwarded-Proto": "https"}
    status, h, body = http("GET", e.emu.url + "/", headers=cf)
    assert status == 200, (status, body[:300])
    assert b"<html" in body[:500].lower()
    for name, want in [
        ("content-security-policy", "default-src 'none'"),
        ("strict-transport-security", "max-age=63072000; includeSubDomains"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", "camera=()"),
    ]:
        assert want in h.get(name, ""), (name, h)
    status, h, _ = http("GET", e.emu.url + "/equipment/", headers=cf)
    assert status == 200, status
    asset = next(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(dist1, "site/assets"))
                 for f in fs if f.endswith(".css"))
    asset_path = "/" + os.path.relpath(asset, os.path.join(dist1, "site"))
    status, h, _ = http("GET", e.emu.url + asset_path, headers=cf)
    assert status == 200 and "immutable" in h.get("cache-control", ""), (status, h)
    status, h, _ = http("GET", e.emu.url + "/no-such-page/", headers=cf)
    assert status == 404, status
    # One error page answers every path (CloudFront cannot choose it by
    # path): under /en/ too, the Korean 404 says it in English, with the
    # English home.
    status, h, body = http("GET", e.emu.url + "/en/no-such-page/", headers=cf)
    assert status == 404, status
    assert b'class="not-found-other" lang="en"' in body and b'href="/en/" hreflang="en"' in body, body[:800]
    ok("site through CloudFront: pages, assets (immutable), 404 (with its English part), security headers")

    # ---- messages on: the SES identity first (the operator guide's order),
    # then the stack's parameters; the function's cold start builds SES and
    # SNS senders from SBIZ_EMAIL=ses / SBIZ_SMS=sns.
    e.aws("sesv2", "create-email-identity", "--email-identity", EMAIL_DOMAIN)
    e.deploy(f"EmailFrom={EMAIL_FROM}", f"EmailIdentity={EMAIL_DOMAIN}", "SmsEnabled=true")
    emulator_fixups(e)
    conf = e.aws("lambda", "get-function-configuration", "--function-name", outs["FunctionName"])
    env = conf["Environment"]["Variables"]
    assert (env["SBIZ_EMAIL"], env["SBIZ_SMS"], env["SBIZ_EMAIL_FROM"]) == ("ses", "sns", EMAIL_FROM), env
    ok("messages on: SES identity, EmailFrom/EmailIdentity/SmsEnabled -> SBIZ_EMAIL=ses, SBIZ_SMS=sns")

    # ---- the function behind the HTTP API: only what CloudFront sends
    api = Api(e)
    ok("CloudFront's api origin carries x-sbiz-origin-verify with the secret DEPLOY.txt generated, "
       "the function has the same")
    t0 = time.perf_counter()
    status, _, j, raw = api.call("GET", "/api/health")
    measures["cold start (first /api/health after create)"] = time.perf_counter() - t0
    assert status == 200 and j["status"] == "ok" and j["store"] == "dynamodb", raw
    assert j["channels"] == {"email": "ses", "sms": "sns", "kakao": None, "any": True}, raw
    warm = []
    for _ in range(200):
        t = time.perf_counter()
        status, _, _, _ = api.call("GET", "/api/health")
        warm.append(time.perf_counter() - t)
        assert status == 200
    measures["warm /api/health p50"] = percentile(warm, 50)
    measures["warm /api/health p99"] = percentile(warm, 99)
    ok("the deployed bootstrap answers /api/health on DynamoDB")
    for what, extra in [("no header", {}), ("a wrong secret", {ORIGIN_HEADER: "0" * 64})]:
        status, _, j, raw = api.call("GET", "/api/health", headers=extra, direct=True)
        assert status == 403 and j["error"]["code"] == "direct_request", (what, raw)
        status, _, j, raw = api.call(
            "POST", "/api/my/code", {"phone": "010-5555-0999"},
            {"Origin": site_origin, "x-sbiz-client-ip": "198.51.100.7", **extra}, direct=True)
        assert status == 403 and j["error"]["code"] == "direct_request", (what, raw)
    ok("the HTTP API's own address without the origin secret: 403 direct_request")

    status, _, avail, raw = api.call("GET", f"/api/equipment/{EQUIPMENT}/availability")
    assert status == 200, raw
    warm = []
    for _ in range(50):
        t = time.perf_counter()
        api.call("GET", f"/api/equipment/{EQUIPMENT}/availability")
        warm.append(time.perf_counter() - t)
    measures["warm availability (14 days) p50"] = percentile(warm, 50)
    measures["warm availability (14 days) p99"] = percentile(warm, 99)
    # A day at least three days ahead (Korea time): the booking made there
    # can still be cancelled (deadlines are up to 48 hours before use),
    # whatever the time of day the test runs.
    import datetime as _dt
    kst_today = _dt.datetime.now(_dt.timezone(_dt.timedelta(hours=9))).date()
    earliest = (kst_today + _dt.timedelta(days=3)).isoformat()
    day, start = next((d["date"], s["start"]) for d in avail["days"]
                      if d["state"] == "open" and d["date"] >= earliest
                      for s in d["slots"] if s["free"])
    ok(f"availability: first free slot {day} {start}")

    browser = {"Origin": site_origin, "Idempotency-Key": "e2e-first-booking-0001"}
    booking = {"equipment": EQUIPMENT, "date": day, "start": start, "slots": 1, **person(1)}
    t = time.perf_counter()
    status, h, j, raw = api.call("POST", "/api/reservations", booking, browser)
    measures["warm booking (POST /api/reservations)"] = time.perf_counter() - t
    assert status == 201, raw
    code, token = j["reservation"]["code"], j["token"]
    assert j["manage_url"].startswith(f"{site_origin}/api/reservations/{code}?token="), j["manage_url"]
    ok("a booking posted with the distribution's Origin; links on the distribution's origin")

    # ---- its messages: the scheduled dispatch sends them through SES and SNS
    manage_url = j["manage_url"]
    phone = "+82" + person(1)["phone"].replace("-", "")[1:]
    deadline = time.time() + 90
    mail = sms = None
    while time.time() < deadline and not (mail and sms):
        out = os.path.join(e.work, "dispatch.json")
        # awscli v1 sends --payload as it is.
        e.run(["aws", "lambda", "invoke", "--function-name", outs["FunctionName"],
               "--payload", '{"sbiz":"scheduled","tasks":["dispatch"]}', out])
        with open(out) as f:
            report = json.load(f)
        assert report.get("failed") == [] and "dispatch" in report.get("done", {}), report
        _, _, raw_mail = http("GET", e.emu.url + "/_ministack/ses/messages")
        mails = [m for ms in json.loads(raw_mail).get("messages", {}).values()
                 for m in (ms if isinstance(ms, list) else [ms])] \
            if raw_mail.strip().startswith(b"{") else []
        mail = next((m for m in mails if code in json.dumps(m, ensure_ascii=False)), None)
        _, _, raw_sms = http("GET", e.emu.url + "/_ministack/sns/sms-messages?phoneNumber="
                             + urllib.parse.quote(phone))
        texts = [json.dumps(r, ensure_ascii=False) for r in
                 json.loads(raw_sms).get("sms_messages", {}).get(phone, [])]
        sms = next((t for t in texts if code in t), None)
        if not (mail and sms):
            time.sleep(3)
    assert mail, f"no e-mail for {code} in SES: {raw_mail[:1000]!r}"
    assert sms, f"no 문자 for {code} in SNS: {raw_sms[:1000]!r}"
    mail_text = json.dumps(mail, ensure_ascii=False)
    assert manage_url in mail_text and person(1)["email"] in mail_text, mail_text[:1500]
    assert "no-reply@" + EMAIL_DOMAIN in mail_text, mail_text[:1500]
    assert manage_url in sms, sms[:1500]
    ok("the scheduled dispatch sent the booking's e-mail (SES) and 문자 (SNS), each with the management link")

    status, h, j2, raw = api.call("POST", "/api/reservations", booking, browser)
    assert status == 201 and h.get("idempotent-replayed") == "true", (status, h, raw)
    assert j2["reservation"]["code"] == code
    ok("idempotent retry: the same reservation, replayed")

    other = {**booking, **person(2)}
    status, _, j, raw = api.call("POST", "/api/reservations", other, {"Origin": site_origin})
    assert status == 409 and j["error"]["code"] == "slot_taken", raw
    ok("a second booking of the slot: 409 slot_taken")

    status, _, j, raw = api.call("POST", "/api/reservations", other, {"Origin": "https://evil.example"})
    assert status == 403 and j["error"]["code"] == "origin_not_allowed", raw
    ok("a foreign Origin: 403 origin_not_allowed")

    # A form post from the site: post/redirect/get to the distribution.
    slot = next(s for d in avail["days"] if d["date"] == day for s in d["slots"]
                if s["free"] and s["start"] != start)
    form = urllib.parse.urlencode({
        "equipment": EQUIPMENT, "date": day, "start": slot["start"], "end": slot["end"],
        "name": "박소공", "phone": "010-5555-0003", "business": "소공봉제3",
        "consent": "on", "idempotency_key": "e2e-form-0001"}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(api.base + "/api/reservations", data=form, method="POST", headers={
        ORIGIN_HEADER: api.secret,
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html",
        "Origin": site_origin, "Referer": f"{site_origin}/equipment/{EQUIPMENT}/"})
    try:
        opener.open(req, timeout=30)
        raise AssertionError("the form post was not redirected")
    except urllib.error.HTTPError as err:
        assert err.code == 303, (err.code, err.read()[:500])
        location = err.headers["Location"]
        assert location.startswith(f"{site_origin}/api/reservations/"), location
    ok("a plain form post from the site: 303 to the distribution's origin")

    status, _, j, raw = api.call("GET", f"/api/reservations/{code}?token={token}")
    # The cutter's bookings wait for staff approval.
    assert status == 200 and j["reservation"]["status"] == "pending", raw

    # ---- staff: the token's hash in the staff tokens secret, then fresh instances
    status, _, j, raw = api.call("GET", "/api/admin/reservations",
                                 headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert status == 401, raw
    hashed = subprocess.run([os.path.join(dist1, "function/bootstrap"), "hash-token", STAFF_TOKEN],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert hashed == hashlib.sha256(STAFF_TOKEN.encode()).hexdigest()
    e.aws("secretsmanager", "create-secret", "--name", outs["StaffTokensSecretName"],
          "--secret-string", f"{FACILITY}:{hashed}")
    e.deploy("StaffTokensRevision=2")
    status, _, j, raw = api.call("GET", "/api/admin/reservations",
                                 headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert status == 200 and code.encode() in raw, raw[:500]
    ok("staff API with a token from the staff tokens secret (after StaffTokensRevision)")
    status, _, j, raw = api.call("GET", f"/api/admin/reservations/{code}/messages",
                                 headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert status == 200, raw
    sent = {(m["channel"], m["status"]) for m in j["messages"] if m["event"] == "reservation_received"}
    assert sent == {("email", "sent"), ("sms", "sent")}, j
    ok("staff API: the booking's message history (e-mail and 문자 sent)")

    # ---- cancel (a second booking, so that one stays for the redeploy)
    status, _, j, raw = api.call("POST", "/api/reservations",
                                 {**booking, "start": next(
                                     s["start"] for d in avail["days"] if d["date"] == day
                                     for s in reversed(d["slots"]) if s["free"]), **person(4)},
                                 {"Origin": site_origin})
    assert status == 201, raw
    c2, t2 = j["reservation"]["code"], j["token"]
    status, _, j, raw = api.call("POST", f"/api/reservations/{c2}/cancel", {"token": t2},
                                 {"Origin": site_origin})
    assert status == 200 and j["reservation"]["status"] == "cancelled", raw
    ok("a cancel")

    # ---- the schedule fires and runs the purge
    e.deploy("TaskSchedule=rate(1 minute)")
    group = outs["FunctionLogGroupName"]
    deadline = time.time() + 180
    seen = None
    while time.time() < deadline:
        events = e.aws("logs", "filter-log-events", "--log-group-name", group,
                       "--filter-pattern", "purged")["events"]
        seen = [ev["message"] for ev in events if "purged personal data" in ev["message"]]
        if seen:
            break
        time.sleep(5)
    assert seen, "no purge in the function's log within 180 s of the schedule"
    line = json.loads(seen[0])
    assert line["fields"]["reservations"] >= 0 and "idempotency_records" in line["fields"], line
    invocations = e.aws("logs", "filter-log-events", "--log-group-name", group,
                        "--filter-pattern", "scheduled")["events"]
    assert any("scheduled invocation" in ev["message"] for ev in invocations)
    ok("the schedule invoked the function, which ran the purge (its log)")

    # ---- a new bundle: the function changes, bookings and parameters stay
    fn = outs["FunctionName"]
    before = e.aws("lambda", "get-function-configuration", "--function-name", fn)["CodeSha256"]
    dist2 = os.path.join(e.work, "dist2")
    deploy_txt2 = package(dist2, "--now", "2026-11-28", "--base-url", site_origin)
    e.run(["bash", "-euo", "pipefail", deploy_txt2], cwd=elsewhere)
    emulator_fixups(e)
    after = e.aws("lambda", "get-function-configuration", "--function-name", fn)
    assert after["CodeSha256"] != before, "the function's code did not change"
    _, stack = e.outputs()
    params = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert params["TaskSchedule"] == "rate(1 minute)" and params["StaffTokensRevision"] == "2", params
    assert origin_secret(e) == api.secret, "DEPLOY.txt kept the origin secret"
    t0 = time.perf_counter()
    status, _, j, raw = api.call("GET", f"/api/reservations/{code}?token={token}")
    measures["cold start after the update (GET reservation)"] = time.perf_counter() - t0
    assert status == 200 and j["reservation"]["code"] == code, raw
    with open(os.path.join(dist2, "site/sitemap.xml")) as f:
        assert site_origin in f.read()
    status, _, j, raw = api.call("GET", "/api/admin/reservations",
                                 headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert status == 200 and code.encode() in raw
    ok("redeploy with a new bundle (--base-url SiteUrl): code updated, bookings, parameters "
       "and the origin secret kept")

    # ---- delete the stack: the table and the server secret stay
    secret_arn = e.aws("secretsmanager", "describe-secret", "--secret-id",
                       outs["ServerSecretArn"])["ARN"]
    e.run(["aws", "cloudformation", "delete-stack", "--stack-name", STACK])
    e.run(["aws", "cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK])
    table = e.aws("dynamodb", "describe-table", "--table-name", "sbiz-booking")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    items = e.aws("dynamodb", "scan", "--table-name", "sbiz-booking", "--select", "COUNT")["Count"]
    assert items > 0
    e.aws("secretsmanager", "describe-secret", "--secret-id", secret_arn)
    ok(f"stack deleted: table kept ({items} items), server secret kept")

    # ---- a new stack over the kept table and secret
    e.deploy(f"CodeS3Bucket={params['CodeS3Bucket']}", f"CodeS3Key={params['CodeS3Key']}",
             "UseExistingTable=true", "TableName=sbiz-booking",
             f"ExistingServerSecretArn={secret_arn}", f"OriginSecret={os.urandom(32).hex()}")
    outs, stack = e.outputs()
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack["StackStatus"]
    assert outs["TableName"] == "sbiz-booking" and outs["ServerSecretArn"] == secret_arn, outs
    api = Api(e)
    status, _, j, raw = api.call("GET", f"/api/reservations/{code}?token={token}", direct=True)
    assert status == 403 and j["error"]["code"] == "direct_request", raw
    status, _, j, raw = api.call("GET", f"/api/reservations/{code}?token={token}")
    assert status == 200 and j["reservation"]["code"] == code, raw
    status, _, j, raw = api.call("POST", "/api/reservations", other, {"Origin": api.site})
    assert status == 409 and j["error"]["code"] == "slot_taken", raw
    ok("a new stack over the kept table and secret: the old booking is there and holds its slot")

    for k, v in measures.items():
        log(f"measure: {k}: {v * 1000:.1f} ms")


if __name__ == "__main__":
    main()
