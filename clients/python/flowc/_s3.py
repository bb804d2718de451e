"""S3 requests signed with AWS Signature Version 4, standard library only.

Shared byte for byte by the task runtime inside containers (Argo pods, Batch jobs) and the notebook client, so
that neither needs boto3. What it reads from the environment, as the AWS SDKs do:

- credentials, first found wins: ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``; EKS web
  identity (``AWS_WEB_IDENTITY_TOKEN_FILE`` + ``AWS_ROLE_ARN``, exchanged through STS
  AssumeRoleWithWebIdentity, an unsigned call); ECS/Batch container credentials
  (``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` or ``_FULL_URI``, with ``AWS_CONTAINER_AUTHORIZATION_TOKEN`` or
  ``_TOKEN_FILE``); the shared credentials file (``AWS_SHARED_CREDENTIALS_FILE``, ``~/.aws/credentials``,
  profile ``AWS_PROFILE``) for notebooks. Temporary credentials are refreshed before they expire.
- region: ``FLOWC_S3_REGION`` (the datastore's region, set by the Batch target from ``batch.region``), then
  ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then ``us-east-1``; a bucket in another region is followed (S3
  names it in ``x-amz-bucket-region``).
- endpoint: ``AWS_ENDPOINT_URL_S3``, then ``AWS_ENDPOINT_URL``, then ``FLOWC_S3_ENDPOINT``; with an endpoint,
  requests are path-style (what S3-compatible servers expect). STS: ``AWS_ENDPOINT_URL_STS``, then
  ``AWS_ENDPOINT_URL``.

Every failure raises :class:`StoreError` naming the operation, bucket, key, HTTP status and AWS error code.
Server errors (5xx, throttling) and unreachable endpoints are retried a few times with backoff
(``FLOWC_S3_ATTEMPTS``, default 4).
"""
import configparser
import datetime
import hashlib
import hmac
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

__all__ = ["StoreError", "S3", "parse_s3_url"]


class StoreError(Exception):
    """A datastore operation failed: the message says which object, where and why."""


def parse_s3_url(url):
    """``s3://bucket/prefix`` -> (bucket, prefix without surrounding slashes)."""
    m = re.match(r"^s3://([^/]+)/?(.*)$", url)
    if not m:
        raise StoreError("'%s' is not an S3 URL (expected s3://bucket/prefix)" % url)
    return m.group(1), m.group(2).strip("/")


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _parse_time(text):
    if not text:
        return None
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", text.strip())
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def _xml_text(root, name):
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == name:
            return el.text or ""
    return None


class _Creds(object):
    def __init__(self, access_key, secret_key, token=None, expires=None, source=""):
        self.access_key, self.secret_key, self.token, self.expires, self.source = access_key, secret_key, token, expires, source

    def fresh(self):
        return self.expires is None or self.expires - _now() > datetime.timedelta(minutes=5)


class S3(object):
    """An S3 client configured from an environment mapping (``os.environ`` by default)."""

    def __init__(self, env=None):
        self.env = os.environ if env is None else env
        e = self.env
        self.region = e.get("FLOWC_S3_REGION") or e.get("AWS_REGION") or e.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.endpoint = (e.get("AWS_ENDPOINT_URL_S3") or e.get("AWS_ENDPOINT_URL") or e.get("FLOWC_S3_ENDPOINT") or "").rstrip("/")
        self.attempts = max(1, int(e.get("FLOWC_S3_ATTEMPTS") or 4))
        self._regions = {}
        self._creds = None
        self.requests = 0

    # -- credentials -------------------------------------------------------------------------------------------
    def credentials(self):
        if self._creds is None or not self._creds.fresh():
            self._creds = self._resolve()
        return self._creds

    def _resolve(self):
        e = self.env
        if e.get("AWS_ACCESS_KEY_ID") and e.get("AWS_SECRET_ACCESS_KEY"):
            return _Creds(e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"], e.get("AWS_SESSION_TOKEN") or None, None, "environment")
        if e.get("AWS_WEB_IDENTITY_TOKEN_FILE") and e.get("AWS_ROLE_ARN"):
            return self._web_identity()
        if e.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or e.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
            return self._container()
        shared = self._shared_file()
        if shared is not None:
            return shared
        raise StoreError(
            "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run with a role (Batch job role, "
            "EKS service account with AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), or configure ~/.aws/credentials"
        )

    def _web_identity(self):
        e = self.env
        path = e["AWS_WEB_IDENTITY_TOKEN_FILE"]
        try:
            with open(path, encoding="utf-8") as f:
                token = f.read().strip()
        except OSError as err:
            raise StoreError("cannot read the web identity token %s: %s" % (path, err))
        endpoint = (e.get("AWS_ENDPOINT_URL_STS") or e.get("AWS_ENDPOINT_URL") or "https://sts.%s.amazonaws.com" % self.region).rstrip("/")
        query = urllib.parse.urlencode({
            "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": e["AWS_ROLE_ARN"],
            "RoleSessionName": e.get("AWS_ROLE_SESSION_NAME") or "flowc-%d" % int(time.time()), "WebIdentityToken": token,
        })
        status, _, body = self._send(urllib.request.Request(endpoint + "/", data=query.encode(), method="POST",
                                                            headers={"Content-Type": "application/x-www-form-urlencoded"}),
                                     "STS AssumeRoleWithWebIdentity for %s at %s" % (e["AWS_ROLE_ARN"], endpoint))
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            raise StoreError("STS AssumeRoleWithWebIdentity at %s answered HTTP %d with no XML" % (endpoint, status))
        if status != 200:
            raise StoreError("STS AssumeRoleWithWebIdentity for %s failed: HTTP %d %s: %s" % (
                e["AWS_ROLE_ARN"], status, _xml_text(root, "Code") or "", _xml_text(root, "Message") or ""))
        ak, sk = _xml_text(root, "AccessKeyId"), _xml_text(root, "SecretAccessKey")
        if not ak or not sk:
            raise StoreError("STS AssumeRoleWithWebIdentity at %s returned no credentials" % endpoint)
        return _Creds(ak, sk, _xml_text(root, "SessionToken"), _parse_time(_xml_text(root, "Expiration")), "web identity")

    def _container(self):
        e = self.env
        rel = e.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        url = "http://169.254.170.2" + rel if rel else e["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
        req = urllib.request.Request(url)
        auth = e.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if not auth and e.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
            with open(e["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], encoding="utf-8") as f:
                auth = f.read().strip()
        if auth:
            req.add_header("Authorization", auth)
        status, _, body = self._send(req, "container credentials at %s" % url)
        if status != 200:
            raise StoreError("container credentials at %s: HTTP %d %s" % (url, status, body[:200].decode("utf-8", "replace")))
        try:
            c = json.loads(body.decode("utf-8"))
            return _Creds(c["AccessKeyId"], c["SecretAccessKey"], c.get("Token"), _parse_time(c.get("Expiration")), "container")
        except (ValueError, KeyError) as err:
            raise StoreError("container credentials at %s are not valid: %s" % (url, err))

    def _shared_file(self):
        e = self.env
        path = e.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.join(e.get("HOME") or os.path.expanduser("~"), ".aws", "credentials")
        if not os.path.isfile(path):
            return None
        cp = configparser.RawConfigParser()
        try:
            cp.read(path, encoding="utf-8")
        except (configparser.Error, OSError):
            return None
        profile = e.get("AWS_PROFILE") or "default"
        if not cp.has_section(profile) or not cp.has_option(profile, "aws_access_key_id"):
            return None
        get = lambda k: cp.get(profile, k) if cp.has_option(profile, k) else None
        return _Creds(get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token"), None, "shared file")

    # -- requests ----------------------------------------------------------------------------------------------
    def _send(self, req, what, stream_to=None):
        """Sends with retries; returns (status, headers, body bytes). Network failures raise StoreError."""
        last = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(min(0.2 * 2 ** (attempt - 1), 5))
                if hasattr(req.data, "seek"):
                    req.data.seek(0)
            self.requests += 1
            try:
                with urllib.request.urlopen(req, timeout=300) as r:
                    if stream_to is not None:
                        stream_to(r)
                        return r.status, r.headers, b""
                    return r.status, r.headers, r.read()
            except urllib.error.HTTPError as err:
                body = err.read()
                if err.code >= 500 or err.code == 429 or b"<Code>SlowDown</Code>" in body:
                    last = (err.code, err.headers, body)
                    continue
                return err.code, err.headers, body
            except (urllib.error.URLError, OSError) as err:
                reason = getattr(err, "reason", err)
                last = StoreError("%s failed: cannot reach %s: %s" % (what, req.full_url.split("?")[0], reason))
        if isinstance(last, StoreError):
            raise last
        return last

    def _url(self, bucket, key, region):
        path_key = urllib.parse.quote(key, safe="/~")
        if self.endpoint:
            u = urllib.parse.urlsplit(self.endpoint)
            base = u.path.rstrip("/")
            return u.scheme, u.netloc, base + "/" + bucket + "/" + path_key
        if "." in bucket:
            return "https", "s3.%s.amazonaws.com" % region, "/" + bucket + "/" + path_key
        return "https", "%s.s3.%s.amazonaws.com" % (bucket, region), "/" + path_key

    def request(self, method, bucket, key, body=b"", query=None, headers=None, payload_hash=None, stream_to=None):
        """One signed request; returns (status, headers, body). Errors other than 404 raise StoreError."""
        region = self._regions.get(bucket, self.region)
        scheme, host, path = self._url(bucket, key, region)
        c = self.credentials()
        canonical_query = canonical_query_string(query)
        digest = payload_hash or hashlib.sha256(body if isinstance(body, bytes) else b"").hexdigest()
        h = sign_v4(method, host, path, canonical_query, headers or {}, digest, c, region, _now().strftime("%Y%m%dT%H%M%SZ"))
        url = scheme + "://" + host + path + ("?" + canonical_query if canonical_query else "")
        data = body if method in ("PUT", "POST") else None
        what = "S3 %s s3://%s/%s" % (method, bucket, key)
        status, rh, rbody = self._send(urllib.request.Request(url, data=data, method=method, headers=h), what, stream_to)
        if status < 300 or status == 404 and method in ("GET", "HEAD") and key:
            return status, rh, rbody
        moved = rh.get("x-amz-bucket-region") if rh is not None else None
        if moved and moved != region and bucket not in self._regions:
            self._regions[bucket] = moved
            if hasattr(body, "seek"):
                body.seek(0)
            return self.request(method, bucket, key, body, query, headers, payload_hash, stream_to)
        code, message = "", ""
        try:
            root = ET.fromstring(rbody)
            code, message = _xml_text(root, "Code") or "", _xml_text(root, "Message") or ""
        except ET.ParseError:
            pass
        if not code:
            code = {403: "AccessDenied", 404: "NoSuchBucket"}.get(status, "")
        raise StoreError("%s failed: HTTP %d %s%s" % (what, status, code or "(no error code)", ": " + message if message else ""))

    # -- operations --------------------------------------------------------------------------------------------
    def get(self, bucket, key):
        """The object's bytes, or None when it does not exist."""
        status, _, body = self.request("GET", bucket, key)
        return None if status == 404 else body

    def exists(self, bucket, key):
        status, _, _ = self.request("HEAD", bucket, key)
        return status != 404

    def put(self, bucket, key, data, content_type=None):
        self.request("PUT", bucket, key, data, headers={"Content-Type": content_type} if content_type else None)

    def put_file(self, bucket, key, path, sha256_hex=None):
        """Uploads a local file in one streamed PUT (S3 takes up to 5 GB that way)."""
        if sha256_hex is None:
            sha256_hex = file_sha256(path)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            self.request("PUT", bucket, key, f, headers={"Content-Length": str(size)}, payload_hash=sha256_hex)

    def download(self, bucket, key, path):
        """Streams the object into ``path`` (complete or not at all); returns its SHA-256, or None if missing."""
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        tmp = "%s.tmp-%d" % (path, os.getpid())
        h = [hashlib.sha256()]

        def sink(r):
            h[0] = hashlib.sha256()
            with open(tmp, "wb") as f:
                while True:
                    chunk = r.read(1 << 20)
                    if not chunk:
                        break
                    h[0].update(chunk)
                    f.write(chunk)
        try:
            status, _, _ = self.request("GET", bucket, key, stream_to=sink)
            if status == 404:
                return None
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        return h[0].hexdigest()

    def list(self, bucket, prefix, delimiter=None):
        """Every key (and common prefix, with a delimiter) under ``prefix``, following continuation tokens."""
        keys, prefixes, token = [], [], None
        while True:
            q = {"list-type": "2", "prefix": prefix}
            if delimiter:
                q["delimiter"] = delimiter
            if token:
                q["continuation-token"] = token
            _, _, body = self.request("GET", bucket, "", query=q)
            try:
                root = ET.fromstring(body)
            except ET.ParseError:
                raise StoreError("S3 LIST s3://%s/%s returned no XML" % (bucket, prefix))
            token = None
            truncated = False
            for el in root:
                tag = el.tag.rsplit("}", 1)[-1]
                if tag == "Contents":
                    keys.append(_xml_text(el, "Key"))
                elif tag == "CommonPrefixes":
                    prefixes.append(_xml_text(el, "Prefix"))
                elif tag == "NextContinuationToken":
                    token = el.text
                elif tag == "IsTruncated":
                    truncated = (el.text or "").strip() == "true"
            if not truncated or not token:
                return keys, prefixes


def canonical_query_string(query):
    """The SigV4 canonical query: names and values percent-encoded (RFC 3986 unreserved kept), sorted."""
    q = sorted((urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~")) for k, v in (query or {}).items())
    return "&".join(k + "=" + v for k, v in q)


def sign_v4(method, host, path, canonical_query, headers, payload_hash, creds, region, stamp, service="s3"):
    """The headers of a request signed with SigV4 (``host`` excluded: urllib sends it). ``path`` is encoded."""
    h = {"host": host, "x-amz-content-sha256": payload_hash, "x-amz-date": stamp}
    if creds.token:
        h["x-amz-security-token"] = creds.token
    for k, v in headers.items():
        h[k.lower()] = str(v).strip()
    names = sorted(h)
    canonical = "\n".join([method, path, canonical_query, "".join(n + ":" + h[n] + "\n" for n in names), ";".join(names), payload_hash])
    scope = "%s/%s/%s/aws4_request" % (stamp[:8], region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + creds.secret_key).encode()
    for part in (stamp[:8], region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (creds.access_key, scope, ";".join(names), sig)
    del h["host"]
    return h


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                return h.hexdigest()
            h.update(chunk)
