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
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
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
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@contextlib.contextmanager
def dovecot(user: str = "council", password: str = "not-a-real-password"):
    """Start Dovecot, wait until it answers, yield it; stop it and delete its files at the end."""
    if not DOVECOT.exists():
        raise FileNotFoundError(f"{DOVECOT} is missing: apt-get install dovecot-imapd")
    # Not under pytest's tmp_path: Dovecot's own users must be able to reach it (mode 0700 there).
    directory = Path(tempfile.mkdtemp(prefix="kirklees-dovecot-"))
    directory.chmod(0o755)
    login_user, internal_user, internal_group, uid, gid = _users()
    port = _free_port()
    for sub in ("run", "state", "mail", "home"):
        (directory / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(directory / sub, uid, gid)
    (directory / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    (directory / "dovecot.conf").write_text(CONFIG.format(
        d=directory, login_user=login_user, internal_user=internal_user, internal_group=internal_group,
        uid=uid, gid=gid, port=port))
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(directory / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Dovecot("127.0.0.1", port, user, password, directory)
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
