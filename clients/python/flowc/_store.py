"""The flowc datastore from Python: a directory or an ``s3://bucket/prefix``, one layout (docs/targets.md):

    objects/<sha[0..2]>/<sha256>                     artifact bytes, dir manifests, logs (content-addressed)
    runs/<Flow>/<RunId>/run.json                     the run record
    runs/<Flow>/<RunId>/ir.json                      the IR the run executed
    runs/<Flow>/<RunId>/tasks/<step>/<task>.json     one task record per finished task

Mirrors the TypeScript ``Datastore`` (targets/local/datastore.ts). Keys are the same on disk and in S3, so a
plain copy of an S3 prefix into a directory is a readable datastore, and the other way round.

Invariants: an object is visible under its name only complete (temp file + rename on disk, one PUT in S3);
objects are verified against their SHA-256 when read, so a missing or corrupt object fails naming its key.
"""
import hashlib
import os
import shutil

from ._s3 import S3, StoreError, file_sha256, parse_s3_url

__all__ = ["open_store", "object_key", "StoreError", "DirStore", "S3Store"]

#: Objects above this size are looked for (HEAD) before they are uploaded; smaller ones are just PUT.
HEAD_FIRST_BYTES = 1 << 20


def object_key(sha):
    return "objects/%s/%s" % (sha[:2], sha)


def _check_sha(sha):
    if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise StoreError("'%s' is not an object id (a SHA-256 in hex)" % (sha,))


def open_store(location, env=None):
    """A datastore at ``s3://bucket/prefix`` or at a local directory (created on first write)."""
    if location.startswith("s3://"):
        bucket, prefix = parse_s3_url(location)
        return S3Store(bucket, prefix, S3(env))
    return DirStore(location)


class DirStore(object):
    def __init__(self, root):
        self.location = os.path.abspath(root)

    def _path(self, key):
        return os.path.join(self.location, *key.split("/"))

    def _atomic(self, target, write):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = "%s.tmp-%d-%s" % (target, os.getpid(), os.urandom(4).hex())
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    def _write_bytes(self, data):
        def write(tmp):
            with open(tmp, "wb") as f:
                f.write(data)
        return write

    def put_bytes(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        target = self._path(object_key(sha))
        if not os.path.exists(target):
            self._atomic(target, self._write_bytes(data))
        return sha

    def put_file(self, path):
        sha = file_sha256(path)
        target = self._path(object_key(sha))
        if not os.path.exists(target):
            self._atomic(target, lambda tmp: shutil.copyfile(path, tmp))
        return sha

    def get_bytes(self, sha):
        _check_sha(sha)
        key = object_key(sha)
        try:
            with open(self._path(key), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise StoreError("object %s is missing from the datastore %s" % (key, self.location))
        if hashlib.sha256(data).hexdigest() != sha:
            raise StoreError("object %s in the datastore %s is corrupt (its content does not match its name)" % (key, self.location))
        return data

    def fetch_to(self, sha, path):
        _check_sha(sha)
        key = object_key(sha)
        src = self._path(key)
        if not os.path.exists(src):
            raise StoreError("object %s is missing from the datastore %s" % (key, self.location))
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        self._atomic(os.path.abspath(path), lambda tmp: shutil.copyfile(src, tmp))
        if file_sha256(path) != sha:
            os.remove(path)
            raise StoreError("object %s in the datastore %s is corrupt (its content does not match its name)" % (key, self.location))

    def write_doc(self, key, text):
        self._atomic(self._path(key), self._write_bytes(text.encode("utf-8") if isinstance(text, str) else text))

    def read_doc(self, key):
        try:
            with open(self._path(key), "rb") as f:
                return f.read().decode("utf-8")
        except FileNotFoundError:
            return None

    def list(self, prefix):
        try:
            names = os.listdir(self._path(prefix))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(n for n in names if ".tmp-" not in n)


class S3Store(object):
    def __init__(self, bucket, prefix, s3=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.s3 = s3 or S3()
        self.location = "s3://%s%s" % (bucket, "/" + self.prefix if self.prefix else "")

    def key(self, key):
        return self.prefix + "/" + key if self.prefix else key

    def put_bytes(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        key = self.key(object_key(sha))
        if len(data) > HEAD_FIRST_BYTES and self.s3.exists(self.bucket, key):
            return sha
        self.s3.put(self.bucket, key, data)
        return sha

    def put_file(self, path):
        sha = file_sha256(path)
        key = self.key(object_key(sha))
        if os.path.getsize(path) > HEAD_FIRST_BYTES and self.s3.exists(self.bucket, key):
            return sha
        self.s3.put_file(self.bucket, key, path, sha)
        return sha

    def _missing(self, key):
        return StoreError("object s3://%s/%s is missing from the datastore" % (self.bucket, key))

    def _corrupt(self, key):
        return StoreError("object s3://%s/%s is corrupt (its content does not match its name)" % (self.bucket, key))

    def get_bytes(self, sha):
        _check_sha(sha)
        key = self.key(object_key(sha))
        data = self.s3.get(self.bucket, key)
        if data is None:
            raise self._missing(key)
        if hashlib.sha256(data).hexdigest() != sha:
            raise self._corrupt(key)
        return data

    def fetch_to(self, sha, path):
        _check_sha(sha)
        key = self.key(object_key(sha))
        got = self.s3.download(self.bucket, key, path)
        if got is None:
            raise self._missing(key)
        if got != sha:
            os.remove(path)
            raise self._corrupt(key)

    def write_doc(self, key, text):
        self.s3.put(self.bucket, self.key(key), text.encode("utf-8") if isinstance(text, str) else text, "application/json")

    def read_doc(self, key):
        data = self.s3.get(self.bucket, self.key(key))
        return None if data is None else data.decode("utf-8")

    def list(self, prefix):
        full = self.key(prefix).rstrip("/") + "/"
        keys, prefixes = self.s3.list(self.bucket, full, "/")
        names = set(p[len(full):].rstrip("/") for p in prefixes)
        names.update(k[len(full):] for k in keys)
        if not names:
            # Some S3-compatible servers (s3rver) answer a delimited listing of a deeper prefix with nothing;
            # derive the children from a plain listing then.
            keys, _ = self.s3.list(self.bucket, full)
            names.update(k[len(full):].split("/")[0] for k in keys)
        return sorted(n for n in names if n)


def copy_prefix(s3, bucket, prefix, dest):
    """Downloads every object under ``s3://bucket/prefix/`` into ``dest`` at the same relative key."""
    full = prefix.strip("/") + "/" if prefix.strip("/") else ""
    keys, _ = s3.list(bucket, full)
    for key in keys:
        if key.endswith("/"):
            continue
        s3.download(bucket, key, os.path.join(dest, *key[len(full):].split("/")))
    return len(keys)
