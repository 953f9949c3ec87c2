"""Start moto server with batchctl's runtime fixes, bound to 127.0.0.1 only.

    python3 launcher.py --port PORT [--strict] [--no-validation] [--parent-pid PID] [--verbose]

--strict        start with AWS-rules strict mode on (switchable later over HTTP)
--no-validation start with model validation off (on by default; switchable later over HTTP)
--parent-pid    exit as soon as that process is gone, so no server is left behind
--verbose       keep werkzeug's per-request log lines (off by default)

The fixes monkeypatch private moto internals, so any moto but 5.2.1 is refused.
"""

import argparse
import logging
import os
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED_MOTO = "5.2.1"
EXIT_WRONG_MOTO = 3


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    try:  # a dead parent that nobody has reaped yet is a zombie
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _watch_parent(pid: int) -> None:
    while _parent_alive(pid):
        time.sleep(0.5)
    os._exit(0)


def _check_moto() -> None:
    try:
        import moto
    except ImportError as err:
        sys.stderr.write(f"batchctl emulator: moto is not installed for {sys.executable}: {err}\n")
        sys.exit(EXIT_WRONG_MOTO)
    if moto.__version__ != REQUIRED_MOTO:
        sys.stderr.write(
            f"batchctl emulator: moto {moto.__version__} found at {os.path.dirname(moto.__file__)}, "
            f"but the runtime fixes are written for moto {REQUIRED_MOTO} (they patch private internals). "
            f'Install it with: pip install "moto[server]=={REQUIRED_MOTO}"\n'
        )
        sys.exit(EXIT_WRONG_MOTO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--no-validation", action="store_true")
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    if args.parent_pid is not None:
        threading.Thread(target=_watch_parent, args=(args.parent_pid,), daemon=True, name="parent-watch").start()

    _check_moto()

    # The Step Functions interpreter calls Batch back at http://localhost:$MOTO_PORT,
    # so MOTO_PORT must be this server's port whatever the environment says.
    os.environ["MOTO_PORT"] = str(args.port)

    sys.path.insert(0, HERE)
    import fixes
    from fixes import routes, state

    fixes.apply_all()
    state.default_strict = state.strict = args.strict
    state.default_validation = state.validation = not args.no_validation

    # Same settings the harness POSTs to /moto-api/config; set here too so that no
    # request can ever reach the wrong Step Functions backend.
    from moto.core.config import default_user_config

    default_user_config["batch"] = {"use_docker": False}
    default_user_config["stepfunctions"] = {"execute_state_machine": True}

    # Import the ASL interpreter now rather than inside the first StartExecution.
    import moto.stepfunctions.parser.models  # noqa: F401
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def stop(signum: int, frame: object) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", args.port, routes.wrap(app), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
