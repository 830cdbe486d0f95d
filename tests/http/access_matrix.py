#!/usr/bin/env python3
"""Run the access-control matrix (tests/http/access-matrix.tsv) against a server.

Usage: access_matrix.py --url URL --users DIR --table TSV --routes serve.c
                        --replies DIR [--only REGEX] [--jobs N]

The table is the specification: one line per route, request variant and case,
one column per actor, each cell the expected outcome by name (see OUTCOMES and
docs/design/http.md, "The access matrix"). This file knows how to make each
request (VARIANTS), who the actors are (their credentials come from the users
DIR written by test_access_matrix.sh) and how to build the two cases; it holds
no expectation of its own.

Besides the cells it checks that the table covers every route of
serve_routes[] for every actor (and both cases for a case route), that every
refusal by the case access gate is in the audit chain (a case.access event
with the reply's request id), and that a hidden case is answered exactly as a
missing one, with none of its content. Replies are written to --replies in
tests/http/lib.sh's format for the openapi schema check. Exit 0 when all
holds, 1 otherwise, each difference on a line of its own with the table line.
"""
import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ACTORS = ("anon coord coord_m ck ck_nocsrf pend aud aud_m adm adm_m vend_cn_m vend_us_m "
          "vend_cn_n vend_us_n vend_decl rep_cn_m rep_us_m rep_cn_n rep_us_n rep_unv").split()
CASES = ("U", "D")  # undisclosed, disclosed (published)

# Planted in the fixture cases: none may appear in a reply that hides the case.
MARK_TITLE = "MX-TITLE-5150"
MARK_CONTACT = "MX-CONTACT-7781"
MARK_MSG = "MX-MESSAGE-3317"
MARK_NOTE = "MX-INTERNAL-NOTE-9924"
MARK_VULN = "MX-VULN-6402"
MARK_FILE = "mx-poc-2718.py"
MARKS = (MARK_TITLE, MARK_CONTACT, MARK_MSG, MARK_NOTE, MARK_VULN, MARK_FILE)
HIDDEN_BODY = {"code": 1001, "name": "NOT_FOUND", "hint": "No resource at this path.",
               "detail": "no such case"}


class Reply:
    def __init__(self, status, head, body):
        self.status, self.head, self.body = status, head, body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def name(self):
        return self.json.get("name") if isinstance(self.json, dict) else None

    def detail(self):
        return self.json.get("detail") if isinstance(self.json, dict) else None

    def text(self):
        return self.body.decode("utf-8", "replace")


class Auth:
    """Credentials: a bearer token, a cookie session (with or without its CSRF header), none."""

    def __init__(self, token=None, cookie=None, csrf=None):
        self.token, self.cookie, self.csrf = token, cookie, csrf

    def headers(self):
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = "emb_session=" + self.cookie
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        return h


class Client:
    """HTTP/1.1 with one keep-alive connection per thread; every reply kept for the schema check."""

    def __init__(self, url, replies):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.local = threading.local()
        self.replies = replies
        self.lock = threading.Lock()
        self.n = 0
        os.makedirs(replies, exist_ok=True)
        open(os.path.join(replies, "index.tsv"), "a").close()

    def _conn(self, fresh=False):
        if fresh or getattr(self.local, "c", None) is None:
            self.local.c = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.local.c

    def call(self, method, path, auth=None, body=None, ctype="application/json", extra=None):
        h = dict(auth.headers()) if auth else {}
        if extra:
            h.update(extra)
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h["Content-Type"] = ctype
        for attempt in (0, 1):
            c = self._conn(fresh=attempt == 1)
            try:
                c.request(method, path, body=data, headers=h)
                r = c.getresponse()
                payload = r.read()
                break
            except (http.client.HTTPException, OSError):
                c.close()
                self.local.c = None
                if attempt == 1:
                    raise
        head = "HTTP/1.1 %d %s\r\n" % (r.status, r.reason) + "".join(
            "%s: %s\r\n" % kv for kv in r.getheaders())
        if r.getheader("Connection", "").lower() == "close":
            c.close()
            self.local.c = None
        with self.lock:
            self.n += 1
            n = self.n
            with open(os.path.join(self.replies, "index.tsv"), "a") as f:
                f.write("%d\t%s\t%s\t%d\n" % (n, method, path, r.status))
        with open(os.path.join(self.replies, "%d.body" % n), "wb") as f:
            f.write(payload)
        with open(os.path.join(self.replies, "%d.head" % n), "w") as f:
            f.write(head)
        return Reply(r.status, head, payload)


class SetupError(Exception):
    pass


def need(reply, status, what):
    if reply.status != status:
        raise SetupError("%s: status %d, expected %d: %s" % (what, reply.status, status,
                                                              reply.text()[:300]))
    return reply.json


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files {name: (filename, type, bytes)}."""
    b = "mx-boundary-5309"
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (b, k, v)).encode())
    for k, (fn, ty, data) in files.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: %s\r\n\r\n" % (b, k, fn, ty)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


class World:
    """The actors, the two shared cases and the means to make more (fresh) resources."""

    def __init__(self, client, users_dir):
        self.c = client
        self.users = {}
        self.counter = 0
        self.lock = threading.Lock()
        for fn in os.listdir(users_dir):
            if not fn.endswith(".tok"):
                continue
            uid = fn[:-4]
            with open(os.path.join(users_dir, fn)) as f:
                token = f.read().strip()
            with open(os.path.join(users_dir, uid + ".out")) as f:
                m = re.search(r"one-time password \(shown once\): (\S+)", f.read())
            self.users[uid] = {"token": token, "otp": m.group(1) if m else None}
        self.now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.auth = {}
        self.orgs = {}

    def uniq(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def tok(self, uid):
        return Auth(token=self.users[uid]["token"])

    # ---- sessions ----
    def login(self, login, password):
        r = self.c.call("POST", "/api/v1/session", None, {"login": login, "password": password})
        j = need(r, 201, "login " + login)
        m = re.search(r"emb_session=([^;\r\n]+)", r.head)
        if not m:
            raise SetupError("login %s: no session cookie" % login)
        return m.group(1), j["csrf_token"]

    def past_gate(self, uid, otp):
        """A cookie session of uid after replacing its one-time password; (cookie, csrf, password)."""
        cookie, csrf = self.login(uid, otp)
        pw = "mx-pass-%s-%d-%d" % (uid, os.getpid(), self.uniq())
        need(self.c.call("PUT", "/api/v1/session/password", Auth(cookie=cookie, csrf=csrf),
                         {"current_password": otp, "new_password": pw}), 200,
             "password change " + uid)
        return cookie, csrf, pw

    def fresh_user(self, role="coordinator", org="org-staff"):
        """A new user made by an administrator: (id, one-time password)."""
        uid = "u-fresh-%d" % self.uniq()
        j = need(self.c.call("POST", "/api/v1/users", self.tok("u-adm"),
                             {"id": uid, "roles": [role], "orgs": [org],
                              "real_name_verified": True}), 201, "user " + uid)
        return uid, j["one_time_password"]

    # ---- cases ----
    def case_body(self):
        return {
            "type": "product", "provider_org": "org-vus", "submitter_org": "org-rus",
            "aware_at": self.now,
            "products": [{"vendor": "MX", "name": "MX Router", "model": "MX-1",
                          "versions": "<2.0"}],
            "vulnerabilities": [{
                "name": MARK_VULN, "gbt_class": "code.resource",
                "gbt_vector": "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
                "technical_characteristics": "stack overflow", "harm": "code execution",
                "impact_scope": "MX-1 before 2.0"}],
            "details": {"title": MARK_TITLE, "contact": MARK_CONTACT,
                        "description": "A long host field overflows a stack buffer."},
        }

    def make_case(self, kind, shared=False):
        """A case as the table's cases are: U (verified, shared with the participants) or D
        (the same, then taken through the whole life to published)."""
        s1, s2, s3 = self.tok("u-s1"), self.tok("u-s2"), self.tok("u-s3")
        j = need(self.c.call("POST", "/api/v1/cases", self.tok("u-rep_us_m"), self.case_body()),
                 201, "case")
        cid = j["id"]
        base = "/api/v1/cases/" + cid
        for to in ("triaged", "verified"):
            need(self.c.call("POST", base + "/transition", s1, {"to": to}), 200, "to " + to)
        for org, role in (("org-vus", "vendor"), ("org-vcn", "downstream_vendor"),
                          ("org-rcn", "reporter"), ("org-cert", "coordinator"),
                          ("org-vdecl", "downstream_vendor")):
            need(self.c.call("POST", base + "/participants", s1, {"org": org, "role": role}),
                 201, "share with " + org)
        need(self.c.call("PATCH", base + "/participants/org-vdecl", self.tok("u-vend_decl"),
                         {"status": "declined"}), 200, "org-vdecl declines")
        if shared:
            need(self.c.call("POST", base + "/messages", s1, {"text": MARK_MSG}), 201, "message")
            need(self.c.call("POST", base + "/messages", s1,
                             {"text": MARK_NOTE, "internal": True}), 201, "note")
            body, ct = multipart({"class": "poc"},
                                 {"file": (MARK_FILE, "text/x-python", b"print(1)\n")})
            need(self.c.call("POST", base + "/attachments", self.tok("u-rep_us_m"), body, ct),
                 201, "attachment")
        if kind == "D":
            need(self.c.call("POST", base + "/transition", s1, {"to": "vendor_notified"}), 200,
                 "notify")
            need(self.c.call("PATCH", base + "/participants/org-vus", self.tok("u-vend_us_m"),
                             {"status": "active"}), 200, "provider acknowledges")
            need(self.c.call("POST", base + "/facts", s1,
                             {"fix_available_at": self.now, "fix_ref": "firmware 2.0"}), 201,
                 "fix")
            need(self.c.call("POST", base + "/transition", s1, {"to": "fix_available"}), 200,
                 "fix available")
            need(self.c.call("PUT", base + "/advisory", s1,
                             {"title": "MX Router overflow",
                              "remediation": "Upgrade the firmware to 2.0 or later."}), 200,
                 "advisory")
            need(self.c.call("POST", base + "/approvals", s2, None), 201, "approval 1")
            need(self.c.call("POST", base + "/approvals", s3, None), 201, "approval 2")
            need(self.c.call("POST", base + "/transition", s1, {"to": "approved"}), 200,
                 "approved")
            need(self.c.call("POST", base + "/publish", s1, {"channel": "web"}), 200, "publish")
        return cid

    def setup(self):
        self.case = {"U": self.make_case("U", shared=True), "D": self.make_case("D", shared=True)}
        for a in ACTORS:
            uid = "u-" + a
            if a == "anon":
                self.auth[a] = None
            elif a in ("ck", "ck_nocsrf", "pend"):
                continue
            else:
                self.auth[a] = self.tok(uid)
        cookie, csrf, pw = self.past_gate("u-ck", self.users["u-ck"]["otp"])
        self.users["u-ck"]["password"] = pw
        self.auth["ck"] = Auth(cookie=cookie, csrf=csrf)
        self.auth["ck_nocsrf"] = Auth(cookie=cookie)
        cookie, csrf = self.login("u-pend", self.users["u-pend"]["otp"])
        self.auth["pend"] = Auth(cookie=cookie, csrf=csrf)
        # each actor's organisations, as the directory says (for the "own" outcome)
        for a in ACTORS:
            if a in ("anon", "pend"):
                continue
            j = need(self.c.call("GET", "/api/v1/session", self.auth[a]), 200, "session " + a)
            self.orgs[a] = {o["id"] for o in j["orgs"]}


# ---- request variants: (route, whether an allowed row needs a fresh case, builder) ----------
# A builder gets (world, actor, case id or None, row context) and returns
# (method, path, auth, body, content type). It may make fresh resources.

def user_id(a):
    return "u-" + ("ck" if a in ("ck", "ck_nocsrf") else a)


def v_simple(method, path, body=None):
    def build(w, a, cid, ctx):
        p = path.replace("{id}", cid or "")
        b = body(w, a, cid) if callable(body) else body
        return method, p, w.auth[a], b, "application/json"
    return build


def v_login(w, a, cid, ctx):
    return "POST", "/api/v1/session", w.auth[a], \
        {"login": "u-login", "password": w.users["u-login"]["otp"]}, "application/json"


def session_for(w, a):
    """The session a row that ends or changes its own session must use: a fresh one."""
    if a == "ck":
        uid, otp = w.fresh_user()
        cookie, csrf, _ = w.past_gate(uid, otp)
        return Auth(cookie=cookie, csrf=csrf), uid
    if a == "pend":
        uid, otp = w.fresh_user()
        cookie, csrf = w.login(uid, otp)
        return Auth(cookie=cookie, csrf=csrf), uid
    return w.auth[a], user_id(a)


def v_logout(w, a, cid, ctx):
    auth = session_for(w, a)[0] if a in ("ck", "pend") else w.auth[a]
    return "DELETE", "/api/v1/session", auth, None, None


def v_password_fresh(w, a, cid, ctx):
    """PUT /session/password: a cookie actor's row gets a fresh user (a change ends the user's
    other sessions, which would end the shared ones)."""
    if a == "ck":
        uid, otp = w.fresh_user()
        cookie, csrf, pw = w.past_gate(uid, otp)
        auth, cur = Auth(cookie=cookie, csrf=csrf), pw
    elif a == "pend":
        uid, otp = w.fresh_user()
        cookie, csrf = w.login(uid, otp)
        auth, cur = Auth(cookie=cookie, csrf=csrf), otp
    elif a in ("anon", "ck_nocsrf"):
        auth, cur = w.auth[a], "mx-anything"
    else:
        auth, cur = w.auth[a], w.users[user_id(a)]["otp"]
    return "PUT", "/api/v1/session/password", auth, \
        {"current_password": cur, "new_password": "mx-new-password-%d" % w.uniq()}, \
        "application/json"


def own_token(w, a):
    """A token id of the actor's own, made for this row (none for those who cannot make one)."""
    src = w.auth["ck"] if a == "ck_nocsrf" else w.auth.get(a)
    if a in ("anon", "pend"):
        return "tok-0123456789abcdef"
    j = need(w.c.call("POST", "/api/v1/tokens", src, {"name": "mx"}), 201, "token for " + a)
    return j["id"]


def other_token(w):
    j = need(w.c.call("POST", "/api/v1/tokens", w.tok("u-target"), {"name": "mx"}), 201,
             "token of u-target")
    return j["id"]


def v_token_delete(which):
    def build(w, a, cid, ctx):
        tid = own_token(w, a) if which == "own" else other_token(w)
        return "DELETE", "/api/v1/tokens/" + tid, w.auth[a], None, None
    return build


def v_org_new(w, a, cid, ctx):
    n = w.uniq()
    return "POST", "/api/v1/orgs", w.auth[a], \
        {"id": "org-mx-%d" % n, "kind": "reporter_team", "jurisdiction": "CN",
         "name": "MX %d" % n}, "application/json"


def v_user_new(w, a, cid, ctx):
    return "POST", "/api/v1/users", w.auth[a], \
        {"id": "u-mx-%d" % w.uniq(), "roles": ["reporter"], "orgs": ["org-rcn2"]}, \
        "application/json"


def v_org_get(which):
    def build(w, a, cid, ctx):
        org = {"own": "org-cert" if a in ("coord_m", "aud_m", "adm_m") else
               {"anon": "org-staff", "pend": "org-staff"}.get(a) or
               sorted(w.orgs.get(a, {"org-staff"}))[0], "other": "org-xus"}[which]
        return "GET", "/api/v1/orgs/" + org, w.auth[a], None, None
    return build


def v_user(method, which, body=None):
    def build(w, a, cid, ctx):
        uid = "u-target" if which == "other" else user_id(a)
        return method, "/api/v1/users/" + uid + ("/password" if method == "POST" else ""), \
            w.auth[a], body, "application/json"
    return build


def v_report(w, a, cid, ctx):
    b = w.case_body()
    b["provider_org"], b["submitter_org"] = "org-xcn", None
    del b["submitter_org"]
    return "POST", "/api/v1/cases", w.auth[a], b, "application/json"


def v_case(method, sub, body=None, ctype="application/json"):
    def build(w, a, cid, ctx):
        b = body(w, ctx) if callable(body) else body
        ct = ctype
        if isinstance(b, tuple):
            b, ct = b
        return method, "/api/v1/cases/%s%s" % (cid, sub), w.auth[a], b, ct
    return build


def transition_body(w, ctx):
    return {"to": "vendor_notified" if ctx["case"] == "U" else "tracking"}


def upload_body(w, ctx):
    return multipart({"class": "doc"}, {"file": ("mx.txt", "text/plain", b"matrix\n")})


# route -> variant -> (fresh?, builder). "fresh": an allowed row changes the case in a way
# other rows would see (state, participants, facts, tasks), so it gets a case of its own.
VARIANTS = {
    "GET /healthz": {"plain": (False, v_simple("GET", "/healthz"))},
    "GET /metrics": {"plain": (False, v_simple("GET", "/metrics"))},
    "POST /api/v1/cases": {"report": (False, v_report)},
    "GET /api/v1/cases": {"list": (False, v_simple("GET", "/api/v1/cases?limit=200"))},
    "GET /api/v1/cases/{id}": {"read": (False, v_case("GET", ""))},
    "POST /api/v1/cases/{id}/transition": {"next": (True, v_case("POST", "/transition",
                                                                 transition_body))},
    "GET /api/v1/cases/{id}/decision": {"publish": (False, v_case("GET",
                                                                  "/decision?action=publish"))},
    "GET /api/v1/cases/{id}/export": {
        "nvdb": (False, v_case("GET", "/export?format=nvdb")),
        "osv": (False, v_case("GET", "/export?format=osv")),
        "osv_to_us": (False, v_case("GET", "/export?format=osv&to=org-xus")),
        "osv_to_provider": (False, v_case("GET", "/export?format=osv&to=org-vus")),
    },
    "GET /api/v1/audit/verify": {"plain": (False, v_simple("GET", "/api/v1/audit/verify"))},
    "POST /api/v1/cases/{id}/participants": {
        "share_cn": (True, v_case("POST", "/participants",
                                  {"org": "org-xcn", "role": "downstream_vendor"})),
        "share_us": (True, v_case("POST", "/participants",
                                  {"org": "org-xus", "role": "downstream_vendor"})),
    },
    "GET /api/v1/cases/{id}/participants": {"list": (False, v_case("GET", "/participants"))},
    "PATCH /api/v1/cases/{id}/participants/{org}": {
        "vcn_decline": (True, v_case("PATCH", "/participants/org-vcn", {"status": "declined"})),
        "vcn_remove": (True, v_case("PATCH", "/participants/org-vcn", {"status": "removed"})),
        "rcn_decline": (True, v_case("PATCH", "/participants/org-rcn", {"status": "declined"})),
        "cert_decline": (True, v_case("PATCH", "/participants/org-cert",
                                      {"status": "declined"})),
        # the caller's own organisation, not a participant: a submitter (S)
        # or an auditor (A) has no say in participation (participants.status_own)
        "rus_decline": (True, v_case("PATCH", "/participants/org-rus", {"status": "declined"})),
        "audit_decline": (True, v_case("PATCH", "/participants/org-audit",
                                       {"status": "declined"})),
    },
    "POST /api/v1/cases/{id}/messages": {
        "shared": (False, v_case("POST", "/messages", {"text": "matrix message"})),
        "internal": (False, v_case("POST", "/messages",
                                   {"text": "matrix note", "internal": True})),
    },
    "GET /api/v1/cases/{id}/messages": {"list": (False, v_case("GET", "/messages?limit=200"))},
    "POST /api/v1/cases/{id}/attachments": {"doc": (False, v_case("POST", "/attachments",
                                                                  upload_body))},
    "GET /api/v1/cases/{id}/attachments": {"list": (False, v_case("GET", "/attachments"))},
    "GET /api/v1/cases/{id}/attachments/{aid}": {"att1": (False, v_case("GET",
                                                                        "/attachments/att-1"))},
    "POST /api/v1/cases/{id}/vulnerabilities": {"new": (False, v_case(
        "POST", "/vulnerabilities", {
            "name": "matrix vulnerability",
            "gbt_vector": "GBT30279/AV:N/AC:H/PR:L/UI:R/C:L/I:N/A:N/E:H/RL:L/S:L"}))},
    "GET /api/v1/cases/{id}/vulnerabilities": {"list": (False, v_case("GET",
                                                                      "/vulnerabilities"))},
    "PATCH /api/v1/cases/{id}/vulnerabilities/{n}": {"cwe": (False, v_case(
        "PATCH", "/vulnerabilities/1", {"cwe": "CWE-121"}))},
    "PUT /api/v1/cases/{id}/advisory": {"draft": (True, v_case(
        "PUT", "/advisory", {"title": "MX Router overflow",
                             "remediation": "Upgrade the firmware to 2.0 or later."}))},
    "GET /api/v1/cases/{id}/advisory": {"read": (False, v_case("GET", "/advisory"))},
    "POST /api/v1/cases/{id}/approvals": {"approve": (True, v_case("POST", "/approvals"))},
    "POST /api/v1/cases/{id}/publish": {
        # case D was published on "web" while it was built: "web" again is
        # refused (once per channel), a further channel is not
        "web": (True, v_case("POST", "/publish", {"channel": "web"})),
        "mirror": (True, v_case("POST", "/publish", {"channel": "mirror"})),
    },
    "POST /api/v1/cases/{id}/facts": {"nvdb": (True, v_case(
        "POST", "/facts", lambda w, ctx: {"nvdb_reported_at": w.now, "nvdb_ref": "NVDB-MX-1"}))},
    "POST /api/v1/session": {"login": (False, v_login)},
    "GET /api/v1/session": {"plain": (False, v_simple("GET", "/api/v1/session"))},
    "DELETE /api/v1/session": {"plain": (False, v_logout)},
    "PUT /api/v1/session/password": {"change": (False, v_password_fresh)},
    "POST /api/v1/tokens": {"new": (False, v_simple("POST", "/api/v1/tokens", {"name": "mx"}))},
    "GET /api/v1/tokens": {
        "own": (False, v_simple("GET", "/api/v1/tokens")),
        "user": (False, v_simple("GET", "/api/v1/tokens?user=u-target")),
    },
    "DELETE /api/v1/tokens/{id}": {"own": (False, v_token_delete("own")),
                                   "other": (False, v_token_delete("other"))},
    "POST /api/v1/orgs": {"new": (False, v_org_new)},
    "GET /api/v1/orgs": {"list": (False, v_simple("GET", "/api/v1/orgs?limit=200"))},
    "GET /api/v1/orgs/{id}": {"own": (False, v_org_get("own")),
                              "other": (False, v_org_get("other"))},
    "POST /api/v1/users": {"new": (False, v_user_new)},
    "GET /api/v1/users": {"list": (False, v_simple("GET", "/api/v1/users"))},
    "GET /api/v1/users/{id}": {"self": (False, v_user("GET", "self")),
                               "other": (False, v_user("GET", "other"))},
    "PATCH /api/v1/users/{id}": {
        "self": (False, v_user("PATCH", "self", {"real_name_verified": True})),
        "other": (False, v_user("PATCH", "other", {"real_name_verified": True})),
    },
    "POST /api/v1/users/{id}/password": {"other": (False, v_user("POST", "other"))},
    "GET /api/v1/tasks": {"case": (False, lambda w, a, cid, ctx: (
        "GET", "/api/v1/tasks?limit=200&case=" + cid, w.auth[a], None, None))},
    "GET /api/v1/cases/{id}/tasks": {"list": (False, v_case("GET", "/tasks"))},
    "POST /api/v1/cases/{id}/tasks/{n}/done": {"t1": (True, v_case("POST", "/tasks/1/done"))},
    "GET /api/v1/audit/events": {"plain": (False, v_simple("GET", "/api/v1/audit/events?limit=1"))},
    "GET /api/v1/audit/checkpoints": {"plain": (False, v_simple("GET",
                                                               "/api/v1/audit/checkpoints"))},
}

# ---- outcomes: name -> predicate over (reply, world, actor, case id) -------------------------


def is_err(r, status, *names):
    return r.status == status and r.name() in names


def items(r):
    return r.json.get("items", []) if isinstance(r.json, dict) else []


OUTCOMES = {
    "ok": lambda r, w, a, cid: 200 <= r.status < 300,
    "hidden": lambda r, w, a, cid: is_err(r, 404, "NOT_FOUND") and r.detail() == "no such case",
    "absent": lambda r, w, a, cid: is_err(r, 404, "NOT_FOUND") and r.detail() != "no such case",
    "forbidden": lambda r, w, a, cid: is_err(r, 403, "FORBIDDEN"),
    "unauth": lambda r, w, a, cid: is_err(r, 401, "UNAUTHENTICATED"),
    "csrf": lambda r, w, a, cid: is_err(r, 403, "CSRF"),
    "pwchange": lambda r, w, a, cid: is_err(r, 403, "PASSWORD_CHANGE_REQUIRED"),
    "notsession": lambda r, w, a, cid: is_err(r, 400, "NOT_A_SESSION"),
    "policy": lambda r, w, a, cid: (is_err(r, 403, "POLICY_DENIED") or
                                    is_err(r, 409, "POLICY_NEEDS")),
    "taskdeny": lambda r, w, a, cid: is_err(r, 403, "TASK_CLOSE_DENIED"),
    # an export both the gate and the policy engine allowed, which the format cannot carry
    "noformat": lambda r, w, a, cid: is_err(r, 422, "EXPORT_NOT_EXPRESSIBLE"),
    "again": lambda r, w, a, cid: is_err(r, 409, "ALREADY_PUBLISHED"),
    # lists: the case (or its tasks) listed or not
    "listed": lambda r, w, a, cid: r.status == 200 and any(
        i.get("id") == cid or i.get("case_id") == cid for i in items(r)),
    "unlisted": lambda r, w, a, cid: r.status == 200 and not any(
        i.get("id") == cid or i.get("case_id") == cid for i in items(r)),
    # messages: with the internal notes, or only the shared ones
    "internal": lambda r, w, a, cid: r.status == 200 and MARK_NOTE in r.text(),
    "shared": lambda r, w, a, cid: (r.status == 200 and MARK_MSG in r.text() and
                                    MARK_NOTE not in r.text()),
    # the directory: only the caller's own organisations, or all of them
    "own": lambda r, w, a, cid: r.status == 200 and items(r) != [] and all(
        i["id"] in w.orgs[a] for i in items(r)),
    "all": lambda r, w, a, cid: r.status == 200 and any(
        i["id"] not in w.orgs[a] for i in items(r)),
}
# Rows that hash passwords (argon2id, 64 MiB): run last.
SLOW_ROUTES = ("POST /api/v1/session", "PUT /api/v1/session/password", "DELETE /api/v1/session",
               "POST /api/v1/users")
# Refusals by the case access gate: audited as case.access (docs/design/http.md).
GATE_REFUSALS = ("hidden", "forbidden")


def parse_routes(serve_c):
    text = open(serve_c).read()
    body = text[text.index("serve_routes[] = {"):]
    body = body[:body.index("};")]
    routes = set()
    for methods, p in re.findall(r'\{\s*(EMB_[A-Z_|\s]+?),\s*"([^"]+)"', body):
        for m in methods.split("|"):
            if m.strip() != "EMB_INLINE":  # a scheduling flag, not a method
                routes.add("%s %s" % (m.strip()[4:], p))
    return routes


def parse_table(path):
    rows, header = [], None
    for ln, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise SystemExit("%s:%d: %d cells, the header has %d" % (path, ln, len(cells),
                                                                     len(header)))
        rows.append((ln, dict(zip(header, cells))))
    return header, rows


def check_table(header, rows, routes, problems):
    actors = header[3:]
    if header[:3] != ["route", "variant", "case"] or actors != ACTORS:
        problems.append("table header: expected route, variant, case, then %s" % " ".join(ACTORS))
        return
    seen = {}
    for ln, row in rows:
        key = (row["route"], row["variant"], row["case"])
        if key in seen:
            problems.append("line %d: repeats line %d" % (ln, seen[key]))
        seen[key] = ln
        if row["route"] not in VARIANTS or row["variant"] not in VARIANTS[row["route"]]:
            problems.append("line %d: no request variant %s for %s" % (ln, row["variant"],
                                                                       row["route"]))
        want_cases = CASES if per_case(row["route"]) else ("-",)
        if row["case"] not in want_cases:
            problems.append("line %d: case %s (expected one of %s)" % (ln, row["case"],
                                                                      ", ".join(want_cases)))
        for a in actors:
            if row[a] not in OUTCOMES:
                problems.append("line %d, %s: unknown outcome %r" % (ln, a, row[a]))
    for r in sorted(routes):
        if r not in VARIANTS:
            problems.append("route %s: no request variant in access_matrix.py" % r)
            continue
        for v in VARIANTS[r]:
            for c in (CASES if per_case(r) else ("-",)):
                if (r, v, c) not in seen:
                    problems.append("route %s, variant %s, case %s: no row in the table" % (r, v, c))
    for r in VARIANTS:
        if r not in routes:
            problems.append("%s: in the table's variants but not in serve_routes[]" % r)


# Routes without {id} whose rows are per case (the case is a filter).
CASE_LISTS = ("GET /api/v1/cases", "GET /api/v1/tasks")


def per_case(route):
    return "/api/v1/cases/{id}" in route or route in CASE_LISTS


def describe(r):
    return "%d %s%s" % (r.status, r.name() or "", (": " + r.detail()) if r.detail() else "")


def run_cell(w, ln, row, actor):
    route, variant, case = row["route"], row["variant"], row["case"]
    expect = row[actor]
    fresh, build = VARIANTS[route][variant]
    cid = None
    if case in CASES:
        changes = fresh and expect == "ok"
        cid = w.make_case(case) if changes else w.case[case]
    ctx = {"case": case, "line": ln}
    method, path, auth, body, ct = build(w, actor, cid, ctx)
    r = w.c.call(method, path, auth, body, ct or "application/json")
    out = {"line": ln, "actor": actor, "route": route, "variant": variant, "case": case,
           "cid": cid, "expect": expect, "reply": r, "path": path, "method": method}
    out["ok"] = OUTCOMES[expect](r, w, actor, cid)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--users", required=True)
    ap.add_argument("--table", required=True)
    ap.add_argument("--routes", required=True)
    ap.add_argument("--replies", required=True)
    ap.add_argument("--jobs", type=int, default=6)
    ap.add_argument("--only", help="run only lines whose route matches this regex")
    ap.add_argument("--fail-fast", action="store_true",
                    help="stop at the first difference (scripts/access-mutants.sh)")
    args = ap.parse_args()

    problems = []
    header, rows = parse_table(args.table)
    check_table(header, rows, parse_routes(args.routes), problems)
    if problems:
        for p in problems:
            print("FAIL: table: " + p, file=sys.stderr)
        return 1
    client = Client(args.url, args.replies)
    w = World(client, args.users)
    t0 = time.time()
    try:
        w.setup()
    except SetupError as e:
        print("FAIL: setup: %s" % e, file=sys.stderr)
        return 1
    t1 = time.time()
    cells = [(ln, row, a) for ln, row in rows for a in ACTORS
             if not args.only or re.search(args.only, row["route"])]
    # Cheap cells first (no fresh case, no password hashing), so that --fail-fast stops early.
    cells.sort(key=lambda c: (VARIANTS[c[1]["route"]][c[1]["variant"]][0] and c[1][c[2]] == "ok",
                              c[1]["route"] in SLOW_ROUTES))
    results, errors = [], []

    def one(cell):
        try:
            return run_cell(w, *cell)
        except SetupError as e:
            errors.append("line %d, %s: setup: %s" % (cell[0], cell[2], e))
            return None

    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for res in ex.map(one, cells):
            if res is not None:
                results.append(res)
                if args.fail_fast and not res["ok"]:
                    ex.shutdown(wait=True, cancel_futures=True)
                    break
            elif args.fail_fast:
                ex.shutdown(wait=True, cancel_futures=True)
                break
    t2 = time.time()

    # 1. every cell
    for res in results:
        if not res["ok"]:
            problems.append("line %d (%s %s, %s, case %s), actor %s: expected %s, got %s" % (
                res["line"], res["method"], res["path"], res["variant"], res["case"],
                res["actor"], res["expect"], describe(res["reply"])))
    # 2. a hidden case: the missing-case body, none of its content
    for res in results:
        r = res["reply"]
        if res["expect"] == "hidden" and res["ok"]:
            j = dict(r.json)
            j.pop("request_id", None)
            if j != HIDDEN_BODY:
                problems.append("line %d, %s: hidden, but not as a missing case: %s" % (
                    res["line"], res["actor"], r.text()[:200]))
        if res["cid"] and res["expect"] in ("hidden", "forbidden", "unauth", "csrf", "pwchange"):
            leaked = [m for m in MARKS if m in r.text()]
            if leaked:
                problems.append("line %d, %s: refused, but the reply holds %s" % (
                    res["line"], res["actor"], ", ".join(leaked)))
    # 3. every refusal by the access gate is audited with its request id
    gate = [res for res in results if res["cid"] and res["expect"] in GATE_REFUSALS and res["ok"]]
    audited = audited_requests(w, {res["cid"] for res in gate}, problems)
    for res in gate:
        rid = res["reply"].json.get("request_id")
        if rid not in audited:
            problems.append("line %d (%s %s), %s: refused (%s) but no case.access event for "
                            "request %s" % (res["line"], res["method"], res["path"],
                                            res["actor"], res["expect"], rid))
    problems.extend(errors)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    print("access matrix: %d lines, %d cells, %d differences; %d refusals audited; "
          "setup %.1f s, cells %.1f s" % (len(rows), len(results), len(problems), len(gate),
                                          t1 - t0, t2 - t1))
    return 1 if problems else 0


def audited_requests(w, cids, problems):
    """Request ids of the case.access events on these cases, read as an auditor."""
    out = set()
    for cid in sorted(cids):
        cursor = None
        while True:
            q = "/api/v1/audit/events?action=case.access&limit=200&object=" + cid
            if cursor:
                q += "&cursor=" + cursor
            r = w.c.call("GET", q, w.tok("u-aud"))
            if r.status != 200:
                problems.append("audit events of %s: %s" % (cid, describe(r)))
                break
            for e in items(r):
                out.add(e.get("request_id"))
            cursor = r.json.get("next_cursor")
            if not cursor:
                break
    return out


if __name__ == "__main__":
    sys.exit(main())
