"""Normalize `docker inspect` of an old container and of its recreated copy, and compare them.

The copy was created from the old one's spec on another image (or on the same one). They must be
equal except for this allow-list, which holds no user-settable field:

- Id, Created, State, RestartCount, Path/Args (derived from Config.Entrypoint/Cmd, compared
  there), ResolvConfPath/HostnamePath/HostsPath/LogPath (per-id files), GraphDriver, SizeRw/
  SizeRootFs, ExecIDs, MountLabel/ProcessLabel/AppArmorProfile (derived from SecurityOpt, compared
  there), Driver, Platform: the engine's bookkeeping for one container instance.
- Image: the new image's id. Config.Image: the reference the copy was created from.
- Config.Hostname when it is the engine's default (the first 12 hex digits of the id).
- Config.AttachStdin/AttachStdout/AttachStderr/StdinOnce: how the *client* attached when it made
  the container (`docker run -d` attaches nothing, `docker create` stdout and stderr).
- HostConfig.ConsoleSize: the size of the terminal `docker run` was typed in.
- The order of HostConfig.Links and HostConfig.Binds: sets (one entry per destination or
  alias) that the CLI and the engine pass through Go maps, so their order varies run to run.
- NetworkSettings except, per network, NetworkID, IPAMConfig, Links, Aliases (without the
  engine's short id), DriverOpts, and the addresses when IPAMConfig pins them: the rest is
  dynamic (addresses, gateway, endpoint, sandbox, published host ports chosen by the engine).
- Mounts[].Mode and the way an anonymous volume is attached: the copy attaches the old anonymous
  volume again by name (`-v NAME:/path`, or `source=NAME` in --mount), because no CLI syntax
  attaches an existing volume anonymously. So the volume moves from Config.Volumes to
  HostConfig.Binds. The Mounts list (type, volume name or source, destination, RW, propagation,
  driver) proves it is the same volume at the same path.

Values inherited from the image follow the new image: for Env, Cmd, Entrypoint, Labels,
WorkingDir, User, ExposedPorts, Healthcheck, Volumes and StopSignal the expected value is the
explicit part of the old one (what differs from the old image) merged over the new image's.
"""

SHORT_ID = 12

IGNORED_TOP = {"Id", "Created", "State", "RestartCount", "Path", "Args", "ResolvConfPath", "HostnamePath",
               "HostsPath", "LogPath", "GraphDriver", "SizeRw", "SizeRootFs", "ExecIDs", "MountLabel",
               "ProcessLabel", "AppArmorProfile", "Driver", "Platform", "Image", "NetworkSettings", "Mounts"}
IGNORED_CONFIG = {"AttachStdin", "AttachStdout", "AttachStderr", "StdinOnce", "Image"}
IGNORED_HOST = {"ConsoleSize"}
EMPTY = (None, [], {}, "")


def _clean(value):
    """null, [] and {} all mean unset; drop them from objects recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if _clean(v) not in (None, [], {})}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _env_dict(entries):
    return dict(e.split("=", 1) if "=" in e else (e, None) for e in entries or [])


def anonymous_volumes(c):
    """{destination: volume name} of the anonymous volumes of container inspect `c`."""
    host = c.get("HostConfig") or {}
    covered = set()
    for bind in host.get("Binds") or []:
        parts = bind.split(":")
        if len(parts) >= 2:
            covered.add(parts[1])
    for m in host.get("Mounts") or []:
        if m.get("Type") != "volume" or m.get("Source"):
            covered.add(m.get("Target"))
    covered.update((host.get("Tmpfs") or {}).keys())
    declared = set(((c.get("Config") or {}).get("Volumes") or {}).keys())
    declared.update(m.get("Target") for m in host.get("Mounts") or []
                    if m.get("Type") == "volume" and not m.get("Source"))
    return {m["Destination"]: m["Name"] for m in c.get("Mounts") or []
            if m.get("Type") == "volume" and m["Destination"] in declared and m["Destination"] not in covered}


def expected_config(old, old_image, new_image):
    """The old container's Config with inherited values taken from the new image instead."""
    o = dict(old.get("Config") or {})
    i1 = (old_image or {}).get("Config") or {}
    i2 = (new_image or {}).get("Config") or {}
    e = dict(o)
    explicit_env = [x for x in o.get("Env") or [] if x not in (i1.get("Env") or [])]
    keys = set(_env_dict(explicit_env))
    e["Env"] = explicit_env + [x for x in i2.get("Env") or [] if x.split("=", 1)[0] not in keys]
    labels = dict(i2.get("Labels") or {})
    labels.update({k: v for k, v in (o.get("Labels") or {}).items() if (i1.get("Labels") or {}).get(k) != v})
    e["Labels"] = labels
    for key in ("WorkingDir", "User", "StopSignal"):
        if (o.get(key) or "") == (i1.get(key) or ""):
            e[key] = i2.get(key)
    entry_inherited = (o.get("Entrypoint") or []) == (i1.get("Entrypoint") or [])
    if entry_inherited:
        e["Entrypoint"] = i2.get("Entrypoint")
        if (o.get("Cmd") or []) == (i1.get("Cmd") or []):
            e["Cmd"] = i2.get("Cmd")
    ports = {p: {} for p in o.get("ExposedPorts") or {} if p not in (i1.get("ExposedPorts") or {})}
    ports.update({p: {} for p in i2.get("ExposedPorts") or {}})
    e["ExposedPorts"] = ports
    anonymous = anonymous_volumes(old)
    volumes = {v: {} for v in o.get("Volumes") or {} if v not in (i1.get("Volumes") or {}) and v not in anonymous}
    volumes.update({v: {} for v in i2.get("Volumes") or {}})
    e["Volumes"] = volumes
    h, h1, h2 = o.get("Healthcheck"), i1.get("Healthcheck") or {}, i2.get("Healthcheck") or {}
    if h is not None:
        merged = {}
        for key in set(h) | set(h1) | set(h2):
            merged[key] = h2.get(key) if h.get(key) == h1.get(key) else h.get(key)
        e["Healthcheck"] = merged
    elif h2:
        e["Healthcheck"] = h2
    return e


def _network_view(c):
    short = c["Id"][:SHORT_ID]
    view = {}
    for name, n in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items():
        ipam = n.get("IPAMConfig") or {}
        entry = {"NetworkID": n.get("NetworkID"), "IPAMConfig": ipam, "Links": sorted(n.get("Links") or []),
                 "Aliases": sorted(a for a in n.get("Aliases") or [] if a not in (short, c["Id"])),
                 "DriverOpts": n.get("DriverOpts") or {}}
        if ipam.get("IPv4Address"):
            entry["IPAddress"] = n.get("IPAddress")
        if ipam.get("IPv6Address"):
            entry["GlobalIPv6Address"] = n.get("GlobalIPv6Address")
        view[name] = entry
    return view


def _mounts_view(c):
    return sorted((m.get("Type"), m.get("Name") or m.get("Source"), m.get("Destination"), m.get("RW"),
                   m.get("Propagation") or "", m.get("Driver") or "") for m in c.get("Mounts") or [])


def normalize(c, config):
    """A comparable view of container inspect `c` whose Config is replaced by `config`."""
    view = {k: v for k, v in c.items() if k not in IGNORED_TOP}
    cfg = {k: v for k, v in config.items() if k not in IGNORED_CONFIG}
    if cfg.get("Hostname") == c["Id"][:SHORT_ID]:
        cfg.pop("Hostname")
    cfg["Env"] = sorted(cfg.get("Env") or [])
    view["Config"] = cfg
    view["HostConfig"] = {k: v for k, v in (c.get("HostConfig") or {}).items() if k not in IGNORED_HOST}
    for key in ("Links", "Binds"):
        view["HostConfig"][key] = sorted(view["HostConfig"].get(key) or [])
    view["Networks"] = _network_view(c)
    view["Mounts"] = _mounts_view(c)
    return _clean(view)


def compare(old, new, old_image, new_image):
    """A list of differences (empty when the copy is faithful)."""
    expected = normalize(old, expected_config(old, old_image, new_image))
    # The copy attaches the old anonymous volumes by name: take that back out before comparing.
    anonymous = anonymous_volumes(old)
    host = dict(new.get("HostConfig") or {})
    host["Binds"] = [b for b in host.get("Binds") or []
                     if not (len(b.split(":")) >= 2 and anonymous.get(b.split(":")[1]) == b.split(":")[0])] or None
    mounts = []
    for m in host.get("Mounts") or []:
        m = dict(m)
        if m.get("Type") == "volume" and anonymous.get(m.get("Target")) == m.get("Source"):
            m.pop("Source")
        mounts.append(m)
    host["Mounts"] = mounts or None
    actual = normalize(dict(new, HostConfig=host), new.get("Config") or {})
    return list(_diff(expected, actual, ""))


def _diff(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key)
    elif a != b:
        yield f"{path}: expected {a!r}, got {b!r}"
