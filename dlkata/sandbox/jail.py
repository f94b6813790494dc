"""Confinement of a worker process (runs in the zygote's children, before any student code).

Three levels, chosen by what the operating system allows (see README, "Grading safely"):

- "root" (Linux, run as root): new mount, PID, network, IPC and UTS namespaces; a
  chroot into a fresh tmpfs holding read-only binds of the Python installation and
  system libraries, the student's code and nothing else; a uid of its own
  (no other process shares it); no capabilities; rlimits.
- "userns" (Linux, unprivileged, user namespaces enabled): the same namespaces and
  chroot inside a user namespace; the worker keeps the caller's uid outside but drops
  every capability.
- "plain" (anywhere else): a temporary working folder, rlimits where the OS has them,
  its own session/process group. No file-system or network isolation.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import shutil
import stat
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

_libc = None


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def _check(ret: int, what: str) -> int:
    if ret != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"{what}: {os.strerror(e)}")
    return ret


def unshare(flags: int) -> None:
    if hasattr(os, "unshare"):
        os.unshare(flags)
    else:
        _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {source} on {target}")


def prctl(option: int, arg: int) -> None:
    _check(libc().prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0),
                        ctypes.c_ulong(0), ctypes.c_ulong(0)), f"prctl {option}")


def drop_bounding_set() -> None:
    """Capabilities that no later execve could regain (needs CAP_SETPCAP: call before setuid)."""
    for cap in range(64):
        if libc().prctl(ctypes.c_int(PR_CAPBSET_DROP), ctypes.c_ulong(cap), ctypes.c_ulong(0),
                        ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0 and ctypes.get_errno() == errno.EINVAL:
            break


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets: capset(v3 header, zeroed data)."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    nr = {"x86_64": 126, "aarch64": 91, "i686": 185, "i386": 185}.get(os.uname().machine)
    if nr is None:
        raise OSError(errno.ENOSYS, "capset: unknown machine")
    _check(libc().syscall(ctypes.c_long(nr), header, data), "capset")


def available_mode(requested: str = "auto") -> str:
    """The strongest confinement this process can set up."""
    if requested != "auto":
        return requested
    if not sys.platform.startswith("linux"):
        return "plain"
    if os.geteuid() == 0:
        return "root"
    try:
        with open("/proc/sys/kernel/unprivileged_userns_clone") as f:
            if f.read().strip() == "0":
                return "plain"
    except OSError:
        pass
    try:
        with open("/proc/sys/user/max_user_namespaces") as f:
            if int(f.read().strip() or 0) == 0:
                return "plain"
    except (OSError, ValueError):
        pass
    return "userns"


# ---------------------------------------------------------------- the jail's file tree

DEVICES = ("null", "zero", "urandom", "random", "full")


def _ro_bind(src: str, dst: str) -> None:
    mount(src, dst, None, MS_BIND | MS_REC)
    mount(None, dst, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _mkdirs_for(root: str, path: str) -> str:
    dst = root + path
    os.makedirs(dst, mode=0o755, exist_ok=True)
    return dst


def host_paths(extra: list[str]) -> tuple[list[str], dict[str, str]]:
    """Directories bound read-only into the jail, and top-level symlinks to recreate."""
    binds: list[str] = []
    links: dict[str, str] = {}
    for top in ("usr", "lib", "lib64", "lib32", "libx32", "bin", "sbin"):
        p = "/" + top
        if os.path.islink(p):
            links[p] = os.readlink(p)
        elif os.path.isdir(p):
            binds.append(p)
    for p in extra:
        p = os.path.realpath(p)
        if os.path.isdir(p):
            binds.append(p)
    kept: list[str] = []
    for p in sorted(set(binds), key=lambda s: (s.count("/"), s)):
        if not any(p == k or p.startswith(k + "/") for k in kept):
            kept.append(p)
    return kept, links


def build_root(root: str, binds: list[str], links: dict[str, str], size_mb: int, uid: int,
               gid: int, stage: str, given: str | None) -> None:
    """In a fresh mount namespace: a tmpfs at root holding only what the worker may see."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=755")
    for src in binds:
        dst = _mkdirs_for(root, src)
        _ro_bind(src, dst)
    for link, target in links.items():
        os.symlink(target, root + link)
    os.makedirs(root + "/dev", mode=0o755)
    for d in DEVICES:
        src = "/dev/" + d
        if os.path.exists(src):
            dst = root + src
            open(dst, "w").close()
            mount(src, dst, None, MS_BIND)
    for d, mode in (("/tmp", 0o1777), ("/sub", 0o755), ("/given", 0o755)):
        os.makedirs(root + d, mode=mode, exist_ok=True)
        os.chmod(root + d, mode)
    copy_tree(stage, root + "/sub", uid, gid)
    if given:
        _ro_bind(given, root + "/given")


def copy_tree(src: str, dst: str, uid: int, gid: int, limit: int = 32 << 20) -> None:
    """Regular files and folders only (no symlinks, devices or fifos), owned by the worker."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = os.path.relpath(dirpath, src)
        out = dst if rel == "." else os.path.join(dst, rel)
        os.makedirs(out, mode=0o755, exist_ok=True)
        os.chown(out, uid, gid)
        for name in filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode):
                continue
            total += st.st_size
            if total > limit:
                raise OSError("submission too large")
            q = os.path.join(out, name)
            shutil.copyfile(p, q, follow_symlinks=False)
            os.chmod(q, 0o644)
            os.chown(q, uid, gid)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    os.chown(dst, uid, gid)


# ---------------------------------------------------------------- uids of one grading run

UID_FIRST = 200000
UID_BLOCK = 1 << 16      # a run's workers take first + slot * 1000 + n: room for 65 slots
UID_BLOCKS = 1024


def lease_uids() -> tuple[int, int | None]:
    """A block of uids that no other grading run on this machine holds while this one lives.

    Workers of two runs must never share a uid: RLIMIT_NPROC counts per uid, and a kata's
    clean-up kills every process of its worker's uid. The lease is an flock on a file in a
    root-only folder; it ends with the process that holds it (and its forks), however it ends.
    Returns (first uid, the lock's fd) as root; elsewhere uids are not ours to pick: (UID_FIRST, None)."""
    if os.geteuid() != 0:
        return UID_FIRST, None
    import fcntl
    import tempfile
    base = "/run" if os.path.isdir("/run") and os.access("/run", os.W_OK) else tempfile.gettempdir()
    folder = os.path.join(base, "dlkata-uids")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o077:
        raise OSError(f"{folder} is not a root-only folder: refusing to lease uids from it")
    for block in range(UID_BLOCKS):
        fd = os.open(os.path.join(folder, str(block)), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return UID_FIRST + block * UID_BLOCK, fd
    raise OSError(f"all {UID_BLOCKS} uid blocks are leased: too many grading runs at once")


# ---------------------------------------------------------------- limits and privileges

def processes_of(uid: int) -> int:
    """Tasks (processes and threads) of a real uid, as RLIMIT_NPROC counts them."""
    n = 0
    try:
        pids = os.listdir("/proc")
    except OSError:
        return 0
    for pid in pids:
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                text = f.read()
        except OSError:
            continue
        uid_line = next((ln for ln in text.splitlines() if ln.startswith("Uid:")), "")
        thr_line = next((ln for ln in text.splitlines() if ln.startswith("Threads:")), "Threads: 1")
        if uid_line.split()[1:2] == [str(uid)]:
            n += int(thr_line.split()[1])
    return n


def pinned_per_cpu(cpus: list[int]) -> dict[int, int]:
    """How many processes of this machine are pinned to each of cpus alone (a scan of /proc)."""
    counts = dict.fromkeys(cpus, 0)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status", "rb") as f:
                line = next((ln for ln in f if ln.startswith(b"Cpus_allowed_list:")), b"")
        except OSError:
            continue
        value = line.split(b":", 1)[-1].strip()
        if value.isdigit() and int(value) in counts:
            counts[int(value)] += 1
    return counts


def process_tree(root: int) -> dict[int, int] | None:
    """{pid: threads} of root and every process below it (a scan of /proc), or None if it
    cannot be read (then assume the worst)."""
    parent: dict[int, int] = {}
    threads: dict[int, int] = {}
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue     # gone meanwhile
        parent[pid] = int(fields[1])        # after "pid (comm)": state, ppid, ...
        threads[pid] = int(fields[17])      # num_threads, the 20th field of stat
    if root not in parent:
        return None
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        tree[pid] = threads[pid]
        todo += [p for p, pp in parent.items() if pp == pid and p not in tree]
    return tree


def set_limits(limits: dict) -> None:
    def lim(res, value):
        if value is None or res is None:
            return
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass
    lim(resource.RLIMIT_CORE, 0)
    lim(getattr(resource, "RLIMIT_AS", None), limits.get("memory"))
    if limits.get("cpu"):
        cpu = int(limits["cpu"])
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        except (ValueError, OSError):
            pass
    lim(getattr(resource, "RLIMIT_NPROC", None), limits.get("nproc"))
    lim(resource.RLIMIT_FSIZE, limits.get("fsize"))
    lim(resource.RLIMIT_NOFILE, limits.get("nofile"))


def _become(uid: int, gid: int) -> None:
    os.setgroups([])
    if hasattr(os, "setresuid"):
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    else:  # macOS and BSDs
        os.setgid(gid)
        os.setuid(uid)


def drop_privileges(mode: str, uid: int, gid: int) -> None:
    """Namespace modes, and plain mode when run as root: a uid of its own, no capabilities."""
    own_uid = mode == "root" or (mode == "plain" and os.geteuid() == 0)
    caps = own_uid or mode == "userns"
    if caps and sys.platform.startswith("linux"):
        drop_bounding_set()
    if own_uid:
        _become(uid, gid)
    if caps and sys.platform.startswith("linux"):
        clear_capabilities()
    if sys.platform.startswith("linux"):
        prctl(PR_SET_NO_NEW_PRIVS, 1)


def kill_uid(uid: int, gid: int) -> None:
    """Every process of uid (run as root, in a child that takes that uid): what a worker left."""
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                _become(uid, gid)
                os.kill(-1, 9)       # every process this uid may signal, except this one
            except BaseException:  # noqa: BLE001
                pass
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
