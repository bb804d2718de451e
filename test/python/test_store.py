"""The Python datastore (clients/python/flowc/_store.py, _s3.py) against a directory and a real S3-protocol server.

Run by test/python/store.test.ts, which starts s3rver on loopback (bucket in FLOWC_TEST_BUCKET, endpoint in
FLOWC_TEST_ENDPOINT) and a loopback server that plays STS and the container credentials endpoint
(FLOWC_TEST_AUTH), both handing out s3rver's keys.
"""
import hashlib
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))

from flowc._s3 import S3, StoreError, _Creds, canonical_query_string, sign_v4  # noqa: E402
from flowc._store import copy_prefix, object_key, open_store  # noqa: E402

ENDPOINT = os.environ["FLOWC_TEST_ENDPOINT"]
BUCKET = os.environ["FLOWC_TEST_BUCKET"]
AUTH = os.environ["FLOWC_TEST_AUTH"]
KEYS = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER", "AWS_REGION": "us-east-1"}


def s3_env(**extra):
    env = {"AWS_ENDPOINT_URL_S3": ENDPOINT, "HOME": tempfile.mkdtemp(), "FLOWC_S3_ATTEMPTS": "2"}
    env.update(extra)
    return env


class Contract(object):
    """The same checks against both implementations."""

    def store(self):
        raise NotImplementedError

    def test_objects_round_trip_and_are_content_addressed(self):
        st = self.store()
        sha = st.put_bytes(b"hello")
        self.assertEqual(sha, hashlib.sha256(b"hello").hexdigest())
        self.assertEqual(st.put_bytes("hello"), sha)
        self.assertEqual(st.get_bytes(sha), b"hello")
        d = tempfile.mkdtemp()
        src = os.path.join(d, "big.bin")
        with open(src, "wb") as f:
            f.write(os.urandom(3 << 20))
        fsha = st.put_file(src)
        self.assertEqual(st.put_file(src), fsha)
        dest = os.path.join(d, "sub", "copy.bin")
        st.fetch_to(fsha, dest)
        with open(src, "rb") as a, open(dest, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_docs_and_listing(self):
        st = self.store()
        self.assertIsNone(st.read_doc("runs/F/r1/run.json"))
        st.write_doc("runs/F/r1/run.json", '{"id": "r1"}')
        st.write_doc("runs/F/r2/run.json", '{"id": "r2"}')
        st.write_doc("runs/F/r1/tasks/start/0.json", "{}")
        st.write_doc("runs/F/r1/tasks/start/1.2.json", "{}")
        self.assertEqual(st.read_doc("runs/F/r1/run.json"), '{"id": "r1"}')
        self.assertEqual(st.list("runs/F"), ["r1", "r2"])
        self.assertEqual(st.list("runs/F/r1/tasks/start"), ["0.json", "1.2.json"])
        self.assertEqual(st.list("runs/Nope"), [])

    def test_missing_object_names_its_key(self):
        st = self.store()
        sha = hashlib.sha256(b"never stored").hexdigest()
        with self.assertRaises(StoreError) as cm:
            st.get_bytes(sha)
        self.assertIn(object_key(sha), str(cm.exception))
        with self.assertRaises(StoreError) as cm:
            st.fetch_to(sha, os.path.join(tempfile.mkdtemp(), "x"))
        self.assertIn(object_key(sha), str(cm.exception))


class SigV4Test(unittest.TestCase):
    """The worked examples of the S3 SigV4 documentation (s3rver does not check V4 signatures)."""
    creds = _Creds("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    def sig(self, h):
        return h["Authorization"].rsplit("Signature=", 1)[1]

    def test_get_object(self):
        h = sign_v4("GET", "examplebucket.s3.amazonaws.com", "/test.txt", "", {"Range": "bytes=0-9"}, self.empty, self.creds, "us-east-1", "20130524T000000Z")
        self.assertEqual(self.sig(h), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        self.assertIn("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,", h["Authorization"])

    def test_list_objects(self):
        q = canonical_query_string({"max-keys": "2", "prefix": "J"})
        h = sign_v4("GET", "examplebucket.s3.amazonaws.com", "/", q, {}, self.empty, self.creds, "us-east-1", "20130524T000000Z")
        self.assertEqual(self.sig(h), "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")


class DirStoreTest(Contract, unittest.TestCase):
    def store(self):
        return open_store(tempfile.mkdtemp())

    def test_corrupt_object_names_its_key(self):
        st = self.store()
        sha = st.put_bytes(b"original")
        with open(os.path.join(st.location, *object_key(sha).split("/")), "wb") as f:
            f.write(b"tampered")
        with self.assertRaises(StoreError) as cm:
            st.get_bytes(sha)
        self.assertIn(object_key(sha), str(cm.exception))
        self.assertIn("corrupt", str(cm.exception))


class S3StoreTest(Contract, unittest.TestCase):
    def setUp(self):
        self.prefix = "py/" + os.urandom(4).hex()

    def store(self, **env):
        e = s3_env(**KEYS)
        e.update(env)
        return open_store("s3://%s/%s" % (BUCKET, self.prefix), e)

    def test_corrupt_object_names_its_key(self):
        st = self.store()
        sha = hashlib.sha256(b"original").hexdigest()
        st.s3.put(BUCKET, st.key(object_key(sha)), b"tampered")
        with self.assertRaises(StoreError) as cm:
            st.get_bytes(sha)
        self.assertIn("s3://%s/%s" % (BUCKET, st.key(object_key(sha))), str(cm.exception))
        self.assertIn("corrupt", str(cm.exception))

    def test_keys_with_odd_characters_are_signed_right(self):
        st = self.store()
        st.write_doc("runs/F/r 1+x=y~/tasks/a b/0.json", "ok")
        self.assertEqual(st.read_doc("runs/F/r 1+x=y~/tasks/a b/0.json"), "ok")
        self.assertEqual(st.list("runs/F/r 1+x=y~/tasks"), ["a b"])

    def test_denied_request_names_bucket_key_and_code(self):
        st = self.store(AWS_ACCESS_KEY_ID="NOT-A-KEY")
        with self.assertRaises(StoreError) as cm:
            st.write_doc("runs/F/r1/run.json", "{}")
        msg = str(cm.exception)
        self.assertIn("s3://%s/%s/runs/F/r1/run.json" % (BUCKET, self.prefix), msg)
        self.assertIn("403", msg)
        self.assertIn("InvalidAccessKeyId", msg)

    def test_missing_bucket_names_the_code(self):
        st = open_store("s3://no-such-bucket-here/p", s3_env(**KEYS))
        with self.assertRaises(StoreError) as cm:
            st.write_doc("runs/F/r/run.json", "{}")
        self.assertIn("NoSuchBucket", str(cm.exception))
        self.assertIn("s3://no-such-bucket-here/p/runs/F/r/run.json", str(cm.exception))

    def test_unreachable_endpoint_names_bucket_and_key(self):
        env = dict(KEYS, AWS_ENDPOINT_URL="http://127.0.0.1:9", FLOWC_S3_ATTEMPTS="1")
        st = open_store("s3://%s/x" % BUCKET, env)
        with self.assertRaises(StoreError) as cm:
            st.read_doc("runs/F/r/run.json")
        msg = str(cm.exception)
        self.assertIn("s3://%s/x/runs/F/r/run.json" % BUCKET, msg)
        self.assertIn("cannot reach", msg)

    def test_no_credentials_is_an_error(self):
        st = open_store("s3://%s/x" % BUCKET, s3_env())
        with self.assertRaises(StoreError) as cm:
            st.read_doc("a")
        self.assertIn("no AWS credentials", str(cm.exception))

    def test_web_identity_through_sts(self):
        token = os.path.join(tempfile.mkdtemp(), "token")
        with open(token, "w") as f:
            f.write("good-token")
        st = open_store("s3://%s/%s" % (BUCKET, self.prefix), s3_env(
            AWS_WEB_IDENTITY_TOKEN_FILE=token, AWS_ROLE_ARN="arn:aws:iam::1:role/flowc", AWS_ENDPOINT_URL_STS=AUTH + "/sts"))
        st.write_doc("wi.json", "via sts")
        self.assertEqual(st.read_doc("wi.json"), "via sts")
        self.assertEqual(st.s3.credentials().source, "web identity")
        with open(token, "w") as f:
            f.write("bad-token")
        bad = open_store("s3://%s/x" % BUCKET, s3_env(
            AWS_WEB_IDENTITY_TOKEN_FILE=token, AWS_ROLE_ARN="arn:aws:iam::1:role/flowc", AWS_ENDPOINT_URL_STS=AUTH + "/sts"))
        with self.assertRaises(StoreError) as cm:
            bad.read_doc("wi.json")
        self.assertIn("InvalidIdentityToken", str(cm.exception))

    def test_container_credentials_with_token_file(self):
        tok = os.path.join(tempfile.mkdtemp(), "auth")
        with open(tok, "w") as f:
            f.write("secret-auth")
        st = open_store("s3://%s/%s" % (BUCKET, self.prefix), s3_env(
            AWS_CONTAINER_CREDENTIALS_FULL_URI=AUTH + "/creds", AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tok))
        st.write_doc("cc.json", "via container")
        self.assertEqual(st.read_doc("cc.json"), "via container")
        self.assertEqual(st.s3.credentials().source, "container")

    def test_shared_credentials_file(self):
        home = tempfile.mkdtemp()
        os.makedirs(os.path.join(home, ".aws"))
        with open(os.path.join(home, ".aws", "credentials"), "w") as f:
            f.write("[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n\n[lab]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n")
        st = open_store("s3://%s/%s" % (BUCKET, self.prefix), s3_env(HOME=home, AWS_PROFILE="lab"))
        st.write_doc("sf.json", "shared")
        self.assertEqual(st.read_doc("sf.json"), "shared")

    def test_endpoint_variables_in_order(self):
        e = dict(KEYS, AWS_ENDPOINT_URL_S3="http://a", AWS_ENDPOINT_URL="http://b", FLOWC_S3_ENDPOINT="http://c")
        self.assertEqual(S3(e).endpoint, "http://a")
        del e["AWS_ENDPOINT_URL_S3"]
        self.assertEqual(S3(e).endpoint, "http://b")
        del e["AWS_ENDPOINT_URL"]
        self.assertEqual(S3(e).endpoint, "http://c")
        self.assertEqual(S3(dict(KEYS))._url("bkt", "a/b c", "eu-west-1"), ("https", "bkt.s3.eu-west-1.amazonaws.com", "/a/b%20c"))

    def test_a_copy_of_the_prefix_is_a_readable_directory_datastore(self):
        st = self.store()
        sha = st.put_bytes(b"artifact bytes")
        st.write_doc("runs/Copy/r9/run.json", '{"id": "r9"}')
        dest = tempfile.mkdtemp()
        copy_prefix(st.s3, BUCKET, self.prefix, dest)
        local = open_store(dest)
        self.assertEqual(local.get_bytes(sha), b"artifact bytes")
        self.assertEqual(local.read_doc("runs/Copy/r9/run.json"), '{"id": "r9"}')
        self.assertEqual(local.list("runs/Copy"), ["r9"])
        shutil.rmtree(dest)


if __name__ == "__main__":
    unittest.main(verbosity=1)
