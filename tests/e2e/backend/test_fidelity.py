#!/usr/bin/env python3
"""e2e: containers recreated through wiretap's backend keep their configuration.

Usage: test_fidelity.py [--print-run] [--only=N,M] [STATE_DIR]     (default: $WT_SANDBOX_DIR)
       (--only: just those lines, 0-based; WT_KEEP=1 leaves the containers for a look)

Default mode (fidelity + image inheritance): runs every line of run-lines.txt on the sandbox
engine from image v1, recreates each container with recreate_tool (the real DockerCli: inspect
container and old image by id, rename aside, create from the spec on image v2, stop, network
connect, start, remove old) and compares the normalized inspect of old and new
(inspect_compare.py holds the allow-list). Then checks image inheritance: a container that set
nothing gets v2's APP_VERSION and healthcheck, one with -e APP_VERSION=pinned keeps it, and files
written to anonymous volumes (image VOLUME, -v /path, --mount without source) before are readable
after.

--print-run: for a sample of the lines, `docker rm -f` the container, run the line printed by
`$WIRETAP_BIN --print-run=NAME` (or `recreate_tool print-run`, the same library call, while the
binary has no such option) with sh, and compare the same way (same image).

Needs WIRETAP_BUILD_DIR (recreate_tool is WIRETAP_BUILD_DIR/tests/e2e/backend/recreate_tool).
"""
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inspect_compare  # noqa: E402

E2E_DIR = os.path.dirname(HERE)
LABEL = "wiretap.e2e.test=backend_fidelity"
NETWORKS = [("fidnet", ["--subnet", "172.31.0.0/24", "--ipv6", "--subnet", "fd00:31::/64"]),
            ("fidnet2", []), ("fidnet3", ["--subnet", "172.31.1.0/24"])]
# Anonymous volumes whose data must survive: (line, mount point): image VOLUME, -v /path, --mount.
ANONYMOUS_VOLUMES = [(0, "/data"), (22, "/anon"), (23, "/anonmount")]
PRINT_RUN_SAMPLE = [0, 2, 4, 9, 10, 14, 15, 17, 19, 20, 23, 24, 30, 32, 34, 38, 40, 43, 46]
WORKERS = 4


def log(message):
    sys.stderr.write(f"[backend_fidelity {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def load_env(state_dir):
    out = subprocess.run(["bash", "-c", f'source "$1"/env && env -0', "bash", state_dir],
                         check=True, capture_output=True).stdout.decode()
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DOCKER_", "WT_"))})


def docker(*args, check=True):
    result = subprocess.run(["docker", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"docker {shlex.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def inspect(kind, *names):
    return json.loads(docker(kind, "inspect", *names)) if names else []


def build_images():
    script = (f'source "{E2E_DIR}/lib.sh"; source "{HERE}/images.sh"; e2e_load_env "$1" >&2; '
              'build_backend_images >&2; echo "$BACKEND_V1"; echo "$BACKEND_V2"')
    out = subprocess.run(["bash", "-c", script, "bash", os.environ["WT_SANDBOX_DIR"]], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    return out[0], out[1]


def read_lines():
    lines = []
    with open(os.path.join(HERE, "run-lines.txt"), encoding="utf-8") as f:
        for raw in f:
            raw = raw.strip()
            if raw and not raw.startswith("#"):
                lines.append(raw)
    return lines


def cleanup():
    ids = docker("ps", "-aq", "--filter", f"label={LABEL}").split()
    if ids:
        docker("rm", "-f", *ids, check=False)
    for name, _ in NETWORKS:
        docker("network", "rm", name, check=False)
    vols = [v for v in docker("volume", "ls", "-q").split() if v.startswith(("fidvol-", "fidmvol-"))]
    if vols:
        docker("volume", "rm", "-f", *vols, check=False)


def setup(image, bind_dir):
    cleanup()
    for name, opts in NETWORKS:
        docker("network", "create", *opts, name)
    docker("run", "-d", "--name", "fid-base", "--label", LABEL, "--ipc", "shareable", "-v", "/shared", image)
    docker("network", "connect", "fidnet", "fid-base")
    os.makedirs(bind_dir, exist_ok=True)


def start(index, line, image, bind_dir):
    """Runs line `index` as container fid-NN; returns its name, or an error message."""
    name = f"fid-{index:02d}"
    try:
        _start(name, line, image, bind_dir)
    except RuntimeError as e:
        return name, str(e)
    return name, None


def _start(name, line, image, bind_dir):
    parts = [p.strip() for p in line.split(";;")]
    verb = ["run", "-d"]
    if parts[0].startswith("!create "):  # cannot start here: created, recreated without starting
        verb, parts[0] = ["create"], parts[0][len("!create "):]
    words = shlex.split(parts[0].replace("@IMAGE@", image).replace("@BIND@", bind_dir).replace("@N@", name))
    docker(*verb, "--name", name, "--label", LABEL, *words)
    for extra in parts[1:]:
        docker(*shlex.split(extra.replace("@N@", name)))


def recreate(tool, name, image, start_it):
    result = subprocess.run([tool, "recreate", f"--image={image}", "--stop-time=1", name] +
                            ([] if start_it else ["--no-start"]), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"recreate {name}: {result.stderr.strip()}")


CREATED = set()


def old_state(name):
    return "created" if name in CREATED else "running"


def print_run_command(tool):
    """`wiretap --print-run=NAME` once the binary has the option, else recreate_tool (same library call)."""
    wiretap = os.environ.get("WIRETAP_BIN", "")
    if wiretap and os.access(wiretap, os.X_OK):
        help_text = subprocess.run([wiretap, "--help"], capture_output=True, text=True).stdout
        if "--print-run" in help_text:
            return lambda name: [wiretap, f"--print-run={name}"]
    return lambda name: [tool, "print-run", name]


def print_run_again(command, name):
    result = subprocess.run(command(name), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"print-run {name} failed: {result.stderr.strip()}")
    line = result.stdout.strip()
    docker("rm", "-f", name)
    if old_state(name) == "created":
        line = line.replace("docker run -d ", "docker create ", 1)
    result = subprocess.run(["sh", "-c", line], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"printed line of {name} failed: {line}\n{result.stderr.strip()}")
    return line


def wait_running(names, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        states = {c["Name"][1:]: c["State"]["Status"] for c in inspect("container", *names)}
        if all(s == "running" for s in states.values()):
            return
        time.sleep(0.3)


def check_inheritance(first, names, lines, v2):
    """The first line sets nothing: v2's APP_VERSION and healthcheck; the pinned one keeps its value."""
    v2_config = inspect("image", v2)[0]["Config"]
    plain = inspect("container", first)[0]
    env = inspect_compare._env_dict(plain["Config"]["Env"])
    problems = []
    if env.get("APP_VERSION") != "1.1":
        problems.append(f"{first}: APP_VERSION={env.get('APP_VERSION')!r}, expected v2's 1.1")
    if plain["Config"].get("Healthcheck") != v2_config.get("Healthcheck"):
        problems.append(f"{first}: healthcheck {plain['Config'].get('Healthcheck')} is not v2's")
    pinned = [n for n, line in zip(names, lines) if "APP_VERSION=pinned" in line]
    for name in pinned:
        env = inspect_compare._env_dict(inspect("container", name)[0]["Config"]["Env"])
        if env.get("APP_VERSION") != "pinned":
            problems.append(f"{name}: APP_VERSION={env.get('APP_VERSION')!r}, expected pinned")
    return problems


def check_volume_data(proofs):
    """Each file written to an anonymous volume before the recreate is there after it."""
    problems = []
    for name, path in proofs:
        out = subprocess.run(["docker", "exec", name, "cat", f"{path}/proof"], capture_output=True, text=True)
        if out.stdout.strip() != "written before the recreate":
            problems.append(f"{name}: {path}/proof after the recreate: {out.stdout!r} {out.stderr.strip()}")
    return problems


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    print_run = "--print-run" in sys.argv
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), "")
    state_dir = args[0] if args else os.environ.get("WT_SANDBOX_DIR", "")
    if not state_dir:
        sys.exit("no sandbox: pass STATE_DIR or set WT_SANDBOX_DIR")
    os.environ["WT_SANDBOX_DIR"] = state_dir
    load_env(state_dir)
    tool = os.path.join(os.environ.get("WIRETAP_BUILD_DIR", ""), "tests/e2e/backend/recreate_tool")
    if not os.access(tool, os.X_OK):
        sys.exit(f"recreate_tool not found at {tool} (set WIRETAP_BUILD_DIR)")

    started = time.time()
    v1, v2 = build_images()
    lines = read_lines()
    indices = list(range(len(lines)))
    if print_run:
        indices = [i for i in PRINT_RUN_SAMPLE if i < len(lines)]
    if only:
        indices = [int(i) for i in only.split(",")]
    bind_dir = os.path.join(state_dir, "fidelity-bind")
    failures = []
    try:
        setup(v1, bind_dir)
        log(f"starting {len(indices)} containers from {v1}")
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            started_ = list(pool.map(lambda i: start(i, lines[i], v1, bind_dir), indices))
        for (name, error), index in zip(started_, indices):
            if error:
                failures.append(f"{name} ({lines[index]}) does not run: {error}")
        ok = [(i, n) for (n, e), i in zip(started_, indices) if not e]
        indices, names = [i for i, _ in ok], [n for _, n in ok]
        proofs = [(names[indices.index(i)], path) for i, path in ANONYMOUS_VOLUMES if i in indices and not print_run]
        for name, path in proofs:
            docker("exec", name, "sh", "-c", f"echo 'written before the recreate' > {path}/proof")
        old = {c["Name"][1:]: c for c in inspect("container", *names)}
        CREATED.update(n for n, c in old.items() if c["State"]["Status"] == "created")
        old_images = {i["Id"]: i for i in inspect("image", *{c["Image"] for c in old.values()})}
        target = v1 if print_run else v2
        printer = print_run_command(tool)
        if print_run:
            log("printing with " + " ".join(printer("NAME")))
        new_image = inspect("image", target)[0]
        log(("printing and running again" if print_run else f"recreating on {v2}") + f" {len(names)} containers")

        def redo(name):
            try:
                if print_run:
                    print_run_again(printer, name)
                else:
                    recreate(tool, name, v2, not lines[indices[names.index(name)]].startswith("!create "))
            except Exception as e:  # reported per container
                return str(e)
            return None

        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            errors = dict(zip(names, pool.map(redo, names)))
        wait_running([n for n in names if not errors[n] and n not in CREATED])
        new = {c["Name"][1:]: c for c in inspect("container", *[n for n in names if not errors[n]])}
        for index, name in zip(indices, names):
            if errors[name]:
                failures.append(f"{name} ({lines[index]}):\n    {errors[name]}")
                continue
            o = old[name]
            diffs = inspect_compare.compare(o, new[name], old_images[o["Image"]], new_image)
            if diffs:
                failures.append(f"{name} ({lines[index]}):\n    " + "\n    ".join(diffs))
            if new[name]["Image"] != new_image["Id"]:
                failures.append(f"{name}: runs {new[name]['Image']}, expected {new_image['Id']}")
        if len(names) >= 2:  # the comparison itself must see a difference between two lines
            a, b = old[names[0]], new.get(names[1])
            if b and not inspect_compare.compare(a, b, old_images[a["Image"]], new_image):
                failures.append(f"the comparator finds no difference between {names[0]} and {names[1]}")
        failures.extend(check_volume_data(proofs))
        if not print_run and 0 in indices:
            failures.extend(check_inheritance(names[indices.index(0)], names, [lines[i] for i in indices], v2))
    finally:
        if os.environ.get("WT_KEEP") != "1":
            cleanup()
    for failure in failures:
        log("FAIL " + failure)
    log(f"{len(indices)} containers, {len(failures)} failures, {time.time() - started:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
