"""A class on JupyterHub, for real: 8 students at once, each running notebooks 01–03 in their
own single-user server on this machine.

The hub is the real thing (PyPI ``jupyterhub``, ``configurable-http-proxy`` from the npm
registry, pinned in tests/hub/package.json and installed by ``make hub-proxy``), bound to
127.0.0.1 only, with the dummy authenticator and ``SimpleLocalProcessSpawner`` (every server
runs as the current user, each student with a home folder under ``tmp_path``). Students are
created and their servers started through the hub's REST API with a service token; each
student then opens the notebooks like JupyterLab does (sessions API, one kernel per
notebook) and runs every code cell over the kernel's websocket, through the proxy.

Reported per student (printed, and written to test-artifacts/hub/report.txt): seconds until
the server was running, seconds to run notebooks 01–03, the largest peak resident memory
(VmHWM, from /proc) of its three kernels and that of its single-user server. The test
passes when no cell of any student produced an error. Everything is bounded by timeouts;
the hub, the proxy, every server and every kernel are stopped in a ``finally``.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

requests = pytest.importorskip("requests")
websocket = pytest.importorskip("websocket")  # websocket-client
psutil = pytest.importorskip("psutil")
pytest.importorskip("jupyterhub", reason="jupyterhub is not installed in this environment")

ROOT = Path(__file__).resolve().parents[1]
from execute_notebooks import KERNEL_ENVIRONMENT  # noqa: E402

STUDENTS = 8  # a class on 2 cores; every one of them runs at the same time
NOTEBOOKS = ["01_rgb_channels.ipynb", "02_convolution.ipynb", "03_padding_stride.ipynb"]
PROXY = ROOT / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
REPORT = ROOT / "test-artifacts" / "hub" / "report.txt"

HUB_START_S = 90
SERVER_START_S = 240  # 8 servers spawned at once on 2 shared cores
CELL_S = 240
CLASS_S = 600  # the whole class, server starts included
SHUTDOWN_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _hub_config(folder: Path, *, port: int, hub_port: int, api_port: int, token: str) -> str:
    """jupyterhub_config.py: loopback only, dummy login, local servers as the current user."""
    spawner_args = ["--allow-root"] if os.geteuid() == 0 else []
    settings = {
        "JupyterHub.ip": "127.0.0.1",
        "JupyterHub.port": port,
        "JupyterHub.hub_ip": "127.0.0.1",
        "JupyterHub.hub_port": hub_port,
        "JupyterHub.db_url": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(folder / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(folder / "jupyterhub.pid"),
        "JupyterHub.authenticator_class": "dummy",
        "Authenticator.allow_all": True,
        "JupyterHub.spawner_class": "simple",
        "SimpleLocalProcessSpawner.home_dir_template": str(folder / "home" / "{username}"),
        "Spawner.cmd": [str(Path(sys.executable).parent / "jupyterhub-singleuser")],
        "Spawner.args": spawner_args,
        "Spawner.environment": KERNEL_ENVIRONMENT,
        "Spawner.start_timeout": SERVER_START_S,
        "Spawner.http_timeout": SERVER_START_S,
        "ConfigurableHTTPProxy.command": [str(PROXY)],
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{api_port}",
        "ConfigurableHTTPProxy.pid_file": str(folder / "proxy.pid"),
        # The lecturer's script: a service whose token may create users, start their
        # servers and use them (what a course-management service would hold).
        "JupyterHub.services": [{"name": "course-admin", "api_token": token}],
        "JupyterHub.load_roles": [{
            "name": "course-admin", "services": ["course-admin"],
            "scopes": ["admin:users", "admin:servers", "access:servers"],
        }],
    }
    return "".join(f"c.{key} = {value!r}\n" for key, value in settings.items())


class Hub:
    """A running hub: its URL, an authorised HTTP session, and its log file."""

    def __init__(self, url: str, token: str, log: Path):
        self.url = url
        self.token = token
        self.log = log
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"

    def api(self, method: str, path: str, **kwargs):
        response = self.http.request(method, f"{self.url}/hub/api{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def user_api(self, name: str, method: str, path: str, **kwargs):
        response = self.http.request(method, f"{self.url}/user/{name}/api{path}", timeout=60,
                                     **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])


def _wait_for_hub(hub: Hub, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + HUB_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            if requests.get(f"{hub.url}/hub/api/", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"JupyterHub did not answer within {HUB_START_S} s:\n{hub.log_tail()}")


def _start_server(hub: Hub, name: str) -> float:
    """Ask the hub for ``name``'s server; seconds until the hub reports it ready."""
    start = time.monotonic()
    hub.api("POST", f"/users/{name}/server")
    while time.monotonic() - start < SERVER_START_S:
        server = hub.api("GET", f"/users/{name}")["servers"].get("", {})
        if server.get("ready"):
            return time.monotonic() - start
        if not server.get("pending") and not server.get("ready"):
            raise RuntimeError(f"{name}: the server stopped while starting")
        time.sleep(1)
    raise TimeoutError(f"{name}: no running server after {SERVER_START_S} s")


def _kernel_pid(kernel_id: str) -> int:
    """The kernel process: the one whose command line names its connection file."""
    connection_file = f"kernel-{kernel_id}.json"
    for process in psutil.process_iter(["cmdline"]):
        if any(connection_file in part for part in process.info["cmdline"] or []):
            return process.pid
    raise LookupError(f"no process for kernel {kernel_id}")


def _peak_resident_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024


def _execute(channel, code: str, session: str) -> list[str]:
    """Run ``code`` in the kernel behind ``channel``; the errors it raised (empty: clean)."""
    msg_id = uuid.uuid4().hex
    channel.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                   "username": "student", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    errors, replied, idle = [], False, False
    deadline = time.monotonic() + CELL_S
    while not (replied and idle):
        channel.settimeout(max(deadline - time.monotonic(), 0.1))
        frame = channel.recv()  # websocket-client raises WebSocketTimeoutException at the deadline
        if isinstance(frame, bytes):  # widget messages with binary buffers; never an error
            continue
        message = json.loads(frame)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "execute_reply":
            replied = True
            if content["status"] != "ok" and not errors:
                errors.append(f"execute_reply status {content['status']}")
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    return errors


def _run_notebook(hub: Hub, name: str, notebook: str) -> tuple[list[str], int, int]:
    """Open ``notebook`` as JupyterLab does and run its code cells.

    Returns the errors, the kernel's peak memory and its server's (the kernel's parent).
    """
    session = hub.user_api(name, "POST", "/sessions", json={
        "path": f"notebooks/{notebook}", "name": notebook, "type": "notebook",
        "kernel": {"name": "python3"}})
    kernel_id = session["kernel"]["id"]
    try:
        pid = _kernel_pid(kernel_id)
        server_pid = psutil.Process(pid).ppid()
        ws_url = hub.url.replace("http", "ws", 1)
        channel = websocket.create_connection(
            f"{ws_url}/user/{name}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {hub.token}"], timeout=CELL_S)
        try:
            cells = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
            client_session = uuid.uuid4().hex
            errors = []
            for index, cell in enumerate(c for c in cells if c.cell_type == "code"):
                errors += [f"{notebook} code cell {index}: {e}"
                           for e in _execute(channel, cell.source, client_session)]
            # Read before the kernel is shut down.
            return errors, _peak_resident_bytes(pid), _peak_resident_bytes(server_pid)
        finally:
            channel.close()
    finally:
        hub.user_api(name, "DELETE", f"/sessions/{session['id']}")


def _student(hub: Hub, name: str) -> dict:
    server_s = _start_server(hub, name)
    start = time.monotonic()
    errors, peaks, server_peak = [], [], 0
    for notebook in NOTEBOOKS:
        notebook_errors, peak, server_peak = _run_notebook(hub, name, notebook)
        errors += notebook_errors
        peaks.append(peak)
    return {"name": name, "server_s": server_s, "notebooks_s": time.monotonic() - start,
            "peak_bytes": max(peaks), "server_peak_bytes": server_peak, "errors": errors}


def _stop(process: subprocess.Popen, folder: Path) -> None:
    """Stop the hub (which stops the servers and the proxy), then anything of ours left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(SHUTDOWN_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(SHUTDOWN_S)
    # Servers and kernels run in their students' homes; the proxy wrote its pid file.
    leftovers = []
    for process_info in psutil.process_iter(["cwd"]):
        if (process_info.info["cwd"] or "").startswith(str(folder)):
            leftovers.append(process_info)
    proxy_pid = folder / "proxy.pid"
    if proxy_pid.exists() and psutil.pid_exists(int(proxy_pid.read_text())):
        leftovers.append(psutil.Process(int(proxy_pid.read_text())))
    for leftover in leftovers:
        try:
            leftover.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(leftovers, timeout=SHUTDOWN_S)


def _report(results: list[dict], wall_s: float) -> str:
    lines = [f"{STUDENTS} students at once on JupyterHub, {os.cpu_count()} CPU cores visible; "
             f"notebooks {', '.join(n[:2] for n in NOTEBOOKS)} each, one kernel per notebook",
             f"{'student':<12} {'server ready':>12} {'notebooks':>10} {'kernel peak':>12} "
             f"{'server peak':>12}  errors"]
    for result in results:
        lines.append(f"{result['name']:<12} {result['server_s']:11.1f}s "
                     f"{result['notebooks_s']:9.1f}s {result['peak_bytes'] / 1024**2:9,.0f} MB"
                     f" {result['server_peak_bytes'] / 1024**2:9,.0f} MB"
                     f"  {len(result['errors'])}")
    lines.append(f"wall time of the whole class: {wall_s:.1f} s")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_eight_students_run_notebooks_01_to_03_at_once_on_jupyterhub(tmp_path):
    if not os.access(PROXY, os.X_OK):
        pytest.skip("configurable-http-proxy missing: run `make hub-proxy` (needs npm)")
    names = [f"student{i + 1}" for i in range(STUDENTS)]
    for name in names:  # what nbgitpuller does on a real hub: the course in each home
        shutil.copytree(ROOT / "notebooks", tmp_path / "home" / name / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token = secrets.token_hex(32)
    port = _free_port()
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(_hub_config(tmp_path, port=port, hub_port=_free_port(),
                                  api_port=_free_port(), token=token))
    hub = Hub(f"http://127.0.0.1:{port}", token, tmp_path / "jupyterhub.log")
    with open(hub.log, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                   cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    pool = concurrent.futures.ThreadPoolExecutor(STUDENTS)
    try:
        _wait_for_hub(hub, process)
        hub.api("POST", "/users", json={"usernames": names})
        start = time.monotonic()
        futures = [pool.submit(_student, hub, name) for name in names]
        _, late = concurrent.futures.wait(futures, timeout=CLASS_S)
        if late:
            raise TimeoutError(f"{len(late)} students still running after {CLASS_S} s")
        results = [future.result() for future in futures]
        report = _report(results, time.monotonic() - start)
    except Exception:
        print(hub.log_tail())
        raise
    finally:
        # Stopping the hub ends the servers, so a student thread still waiting fails fast.
        pool.shutdown(wait=False, cancel_futures=True)
        _stop(process, tmp_path)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report)
    print("\n" + report)
    errors = [error for result in results for error in result["errors"]]
    assert errors == [], "\n".join(errors)
    assert len(results) == STUDENTS
