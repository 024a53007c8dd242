"""A real IMAP server for the tests and the bench: Debian's Dovecot (dovecot-imapd), run as its own
unprivileged process with a config of its own in a temporary directory, on a free loopback port,
with one mailbox user and a plaintext password. Never used in production."""

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = Path("/usr/sbin/dovecot")


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    directory: Path
    folder: str = "INBOX"
    tls_port: int | None = None  # IMAP over TLS (993's kind), when started with tls=True
    ca_file: Path | None = None  # the certificate authority that signed the server's certificate

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, messages, folder: str | None = None) -> None:
        """Put the messages in by IMAP APPEND, over one connection."""
        folder = folder or self.folder
        client = self.client()
        try:
            for raw in messages:
                status, data = client.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            client.logout()

    def settings(self) -> dict:
        """The INBOUND_IMAP_* settings that point the poller at this server."""
        return {"INBOUND_IMAP_HOST": self.host, "INBOUND_IMAP_PORT": self.port, "INBOUND_IMAP_SSL": False,
                "INBOUND_IMAP_STARTTLS": False, "INBOUND_IMAP_USER": self.user,
                "INBOUND_IMAP_PASSWORD": self.password, "INBOUND_IMAP_FOLDER": self.folder}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _users() -> tuple[str, str, str, int, int]:
    """(login user, internal user, internal group, mail uid, mail gid). Unprivileged: the current
    user; run as root (a container), Dovecot refuses root for its login and mail processes, so its
    own system users (which the Debian package creates) take their place."""
    if os.geteuid() != 0:
        me, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
        return me, me, group, os.getuid(), os.getgid()
    dovecot = pwd.getpwnam("dovecot")
    return "dovenull", "dovecot", grp.getgrgid(dovecot.pw_gid).gr_name, dovecot.pw_uid, dovecot.pw_gid


CONFIG = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
ssl = {ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login{mechanisms}
protocols = imap
listen = 127.0.0.1
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
mail_location = maildir:{d}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
  mechanisms = plain login
}}
{oauth2_passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A certificate authority of our own, and a certificate it signed for 127.0.0.1."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kirklees test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_file, cert_file, key_file


OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/dovecot-oauth2.conf.ext
}}
"""

OAUTH2_CONFIG = """\
introspection_url = {url}
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
"""


@contextlib.contextmanager
def dovecot(user: str = "council", password: str = "not-a-real-password", *, tls: bool = False,
            oauth2_introspection_url: str | None = None):
    """Start Dovecot, wait until it answers, yield it; stop it and delete its files at the end.
    With `tls`, it also speaks STARTTLS on its plain port and TLS on a second one, with a
    certificate for 127.0.0.1 signed by a certificate authority of its own (`ca_file`).
    With `oauth2_introspection_url`, it also takes AUTHENTICATE XOAUTH2 (and OAUTHBEARER): it asks
    that URL (RFC 7662 token introspection, by POST) whether a token is active and whose it is;
    the password still works for LOGIN, which the tests use to put messages in."""
    if not DOVECOT.exists():
        raise FileNotFoundError(f"{DOVECOT} is missing: apt-get install dovecot-imapd")
    # Not under pytest's tmp_path: Dovecot's own users must be able to reach it (mode 0700 there).
    directory = Path(tempfile.mkdtemp(prefix="kirklees-dovecot-"))
    directory.chmod(0o755)
    login_user, internal_user, internal_group, uid, gid = _users()
    port = _free_port()
    tls_port, ca_file, ssl_setting = 0, None, "no"
    if tls:
        tls_port = _free_port()
        ca_file, cert_file, key_file = _certificates(directory)
        ssl_setting = f"yes\nssl_cert = <{cert_file}\nssl_key = <{key_file}"
    for sub in ("run", "state", "mail", "home"):
        (directory / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(directory / sub, uid, gid)
    (directory / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    mechanisms, oauth2_passdb = "", ""
    if oauth2_introspection_url:
        mechanisms, oauth2_passdb = " xoauth2 oauthbearer", OAUTH2_PASSDB.format(d=directory)
        (directory / "dovecot-oauth2.conf.ext").write_text(OAUTH2_CONFIG.format(url=oauth2_introspection_url))
    (directory / "dovecot.conf").write_text(CONFIG.format(
        d=directory, login_user=login_user, internal_user=internal_user, internal_group=internal_group,
        uid=uid, gid=gid, port=port, tls_port=tls_port, ssl=ssl_setting, mechanisms=mechanisms,
        oauth2_passdb=oauth2_passdb))
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(directory / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Dovecot("127.0.0.1", port, user, password, directory, tls_port=tls_port or None, ca_file=ca_file)
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {process.stderr.read().decode(errors='replace')}")
            try:
                server.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                if time.monotonic() > deadline:
                    log = (directory / "dovecot.log")
                    raise RuntimeError("dovecot did not answer: " + (log.read_text() if log.exists() else ""))
                time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class TokenEndpoint:
    """A stand-in for the Microsoft identity platform's token endpoint (the client-credentials flow)
    and, for Dovecot, an RFC 7662 introspection endpoint that knows the tokens it issued."""
    url: str  # POST grant_type=client_credentials&client_id=..&client_secret=..&scope=..
    introspection_url: str  # POST token=..
    client_id: str
    client_secret: str
    scope: str
    user: str  # the mailbox a token it issued is for
    issued: list[str]
    revoked: set[str]
    refusals: int = 0
    body: bytes | None = None  # when set, the token endpoint answers this (200) instead of a token


@contextlib.contextmanager
def token_endpoint(*, user: str, client_id: str = "11111111-2222-3333-4444-555555555555",
                   client_secret: str = "not-a-real-secret", scope: str = "https://outlook.office365.com/.default"):
    """Serve the stand-in on a free loopback port, in a thread; yield its TokenEndpoint."""
    import http.server
    import json
    import secrets
    import threading
    from urllib.parse import parse_qs

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    endpoint = TokenEndpoint(f"{base}/tenant-id/oauth2/v2.0/token", f"{base}/introspect", client_id,
                             client_secret, scope, user, [], set())

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, body) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/introspect":
                token = form.get("token", "")
                if token in endpoint.issued and token not in endpoint.revoked:
                    return self._answer(200, {"active": True, "username": endpoint.user})
                return self._answer(200, {"active": False})
            if self.path != "/tenant-id/oauth2/v2.0/token":
                return self._answer(404, {"error": "not_found"})
            if form.get("grant_type") != "client_credentials" or form.get("scope") != endpoint.scope:
                endpoint.refusals += 1
                return self._answer(400, {"error": "invalid_request", "error_description": "AADSTS900144: bad form"})
            if form.get("client_id") != endpoint.client_id or form.get("client_secret") != endpoint.client_secret:
                endpoint.refusals += 1
                return self._answer(401, {"error": "invalid_client",
                                          "error_description": "AADSTS7000215: Invalid client secret provided."})
            if endpoint.body is not None:
                return self._answer(200, endpoint.body)
            token = "eyJ0eXAi." + secrets.token_urlsafe(32)
            endpoint.issued.append(token)
            return self._answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3599})

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        httpd.shutdown()
        httpd.server_close()
