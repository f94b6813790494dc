"""Collecting submissions safely: `make collect` (the exchange) and `make zipcollect` (an LMS download).

The exchange is writable by every student, and an LMS download holds whatever students
uploaded, so nbgrader's own collect and zip_collect (which follow symbolic links, stop at a
malformed folder name or a named pipe, and extract zips inside zips) are not used. The
copying is done here and the result is what nbgrader's would be: the newest submission of
each student in submitted/<student>/<chapter>/ (with its timestamp.txt), which autograde,
feedback and formgrader read as usual.

Rules, for both commands:
- only regular files are copied, opened without following links: a symbolic link, a named
  pipe, a socket or a device is skipped, and so is anything outside the submission's folder
  (a `..` or absolute path in a zip);
- a student id must be a plain name (letters, digits, `.`, `_`, `-`, `@`, `+`; not starting
  with a dot): a malformed folder or file name is skipped;
- per submission at most MAX_FILES files and MAX_BYTES bytes (the notebook first), the rest
  skipped;
- a zip inside a download is not opened: a file's owner is read from its own name in the
  download, so a student cannot place a file under another student's id;
- every skipped entry is reported with the reason; one bad entry never stops the run.

The report says what was collected, left unchanged and skipped; the command exits non-zero
only when entries were skipped and nothing at all could be collected.
"""
from __future__ import annotations

import datetime
import errno
import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dlkata.i18n import say

MAX_FILES = 100                 # files of one submission
MAX_BYTES = 20 << 20            # bytes of one submission
MAX_VISIT = 10 * MAX_FILES      # entries looked at in one submission folder before giving up
MAX_DEPTH = 8
IGNORE = {".ipynb_checkpoints", "__pycache__", "feedback"}   # nbgrader's CourseDirectory.ignore
STUDENT_ID = re.compile(r"[^\W_][\w.@+-]{0,99}")
LATE = re.compile(r"(?:^|_)late(?:_|$)")
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.ipynb)$")   # Canvas: ch05-1.ipynb
LMS_INFO = "lms.json"


@dataclass
class Report:
    """What a collect did: students collected, left as they were, and every entry skipped."""
    chapter: str
    collected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (entry, why)

    def skip(self, where: str, why: str) -> None:
        self.skipped.append((where, why))

    @property
    def failed(self) -> bool:
        """Nothing could be collected although there was something to collect."""
        return bool(self.skipped) and not self.collected and not self.unchanged

    def print(self) -> None:
        ch = self.chapter
        for sid in self.collected:
            print(say(f"{ch}: {sid} を回収しました", f"{ch}: collected {sid}"))
        for where, why in self.skipped:
            print(say(f"{ch}: {where} は飛ばしました: {why}", f"{ch}: skipped {where}: {why}"))
        print(say(f"{ch}: 回収 {len(self.collected)} 件、変更なし {len(self.unchanged)} 件"
                  f" (新しい提出なし)、飛ばしたもの {len(self.skipped)} 件",
                  f"{ch}: {len(self.collected)} collected, {len(self.unchanged)} unchanged "
                  f"(no newer submission), {len(self.skipped)} skipped")
              + (say(" (上を参照)", " (see above)") if self.skipped else ""))


def valid_student(sid: str) -> bool:
    return bool(STUDENT_ID.fullmatch(sid)) and ".." not in sid


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return say("シンボリックリンクです", "a symbolic link")
    if stat.S_ISFIFO(mode):
        return say("名前付きパイプです", "a named pipe")
    if stat.S_ISSOCK(mode):
        return say("ソケットです", "a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return say("デバイスです", "a device")
    if stat.S_ISDIR(mode):
        return say("フォルダです", "a folder")
    return say("通常のファイルではありません", "not a regular file")

class _Budget:
    """Files and bytes one submission may still bring."""

    def __init__(self):
        self.files = self.bytes = self.visited = 0
        self.spent = False   # a file was refused: nothing more is copied

    def take(self, size: int) -> str | None:
        if self.files + 1 > MAX_FILES:
            self.spent = True
            return say(f"1 つの提出に {MAX_FILES} 個を超えるファイルがあります", f"more than {MAX_FILES} files in one submission")
        if self.bytes + size > MAX_BYTES:
            self.spent = True
            return say(f"1 つの提出が {MAX_BYTES >> 20} MB を超えています", f"more than {MAX_BYTES >> 20} MB in one submission")
        self.files += 1
        self.bytes += size
        return None


NOFOLLOW = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def _copy_regular(name: str, dir_fd: int, dest: Path, budget: _Budget) -> str | None:
    """Copy one file of the folder dir_fd if it is a regular file (opened without following a
    link, without blocking on a pipe); returns why not, or None."""
    try:
        fd = os.open(name, NOFOLLOW, dir_fd=dir_fd)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return say("シンボリックリンクです", "a symbolic link")
        if e.errno == errno.ENXIO:
            return say("ソケットです", "a socket")
        return say(f"読み取れません ({e.strerror})", f"cannot be read ({e.strerror})")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return _kind(st.st_mode)
        if st.st_nlink > 1:
            return say("ハードリンクです (別のファイルの中身)", "a hard link (the contents of another file)")
        why = budget.take(st.st_size)
        if why:
            return why
        dest.parent.mkdir(parents=True, exist_ok=True)
        left = st.st_size + 1
        with open(dest, "wb") as out:
            while left > 0:
                chunk = os.read(fd, min(1 << 20, left))
                if not chunk:
                    break
                out.write(chunk)
                left -= len(chunk)
        if left <= 0:   # it grew while being copied
            dest.unlink()
            return say("コピーの途中で変わりました", "changed while it was copied")
        return None
    finally:
        os.close(fd)


def copy_submission(src: Path, dest: Path, report: Report, label: str, first: str | None = None) -> int:
    """Copy the regular files of the folder src into dest (which must not exist); returns how many.

    first: a file name copied before anything else (the notebook, so a huge folder still gives it).
    Folders are opened by descriptor, never through a link, so swapping a folder for a link
    while it is copied leads nowhere."""
    budget = _Budget()
    dest.mkdir(parents=True)

    def walk(name: str, parent_fd: int | None, rel: PurePosixPath, depth: int) -> None:
        try:
            dir_fd = os.open(name, NOFOLLOW | getattr(os, "O_DIRECTORY", 0), dir_fd=parent_fd)
        except OSError as e:
            report.skip(f"{label}/{rel}", say(f"フォルダとして開けません ({e.strerror})",
                                              f"cannot be opened as a folder ({e.strerror})"))
            return
        try:
            _walk(dir_fd, rel, depth)
        finally:
            os.close(dir_fd)

    def _walk(dir_fd: int, rel: PurePosixPath, depth: int) -> None:
        try:
            # the notebook first, then the files (timestamp.txt, submission_secret.txt), then folders
            entries = sorted(os.scandir(dir_fd), key=lambda e: (e.name != first or depth > 0,
                                                                 e.is_dir(follow_symlinks=False), e.name))
        except OSError as e:
            report.skip(f"{label}/{rel}", say(f"中身の一覧を取れません ({e.strerror})", f"cannot be listed ({e.strerror})"))
            return
        for entry in entries:
            budget.visited += 1
            where = f"{label}/{(rel / entry.name).as_posix()}"
            if budget.visited > MAX_VISIT:
                report.skip(f"{label}/…", say(f"{MAX_VISIT} 個を超える項目があります: 残りは見ていません",
                                              f"more than {MAX_VISIT} entries: the rest was not looked at"))
                raise StopIteration
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as e:
                report.skip(where, say(f"読み取れません ({e.strerror})", f"cannot be read ({e.strerror})"))
                continue
            if entry.name in IGNORE or entry.name.endswith(".pyc"):
                continue
            if stat.S_ISDIR(st.st_mode):
                if depth >= MAX_DEPTH:
                    report.skip(where, say(f"フォルダの入れ子が {MAX_DEPTH} 段を超えています",
                                           f"folders nested more than {MAX_DEPTH} deep"))
                else:
                    walk(entry.name, dir_fd, rel / entry.name, depth + 1)
                continue
            if not stat.S_ISREG(st.st_mode):
                report.skip(where, _kind(st.st_mode))
                continue
            why = _copy_regular(entry.name, dir_fd, dest / rel / entry.name, budget)
            if why and budget.spent:
                report.skip(f"{label}/…", say(f"{why}: このファイルから先はコピーしていません ({where})",
                                              f"{why}: this file and the rest were not copied ({where})"))
                raise StopIteration
            if why:
                report.skip(where, why)

    try:
        walk(str(src), None, PurePosixPath("."), 0)
    except StopIteration:
        pass
    return budget.files


def _replace(tmp: Path, dest: Path) -> None:
    if dest.exists() or dest.is_symlink():
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        else:
            dest.unlink()
    tmp.rename(dest)


def _existing_timestamp(dest: Path):
    from nbgrader.utils import parse_utc
    try:
        return parse_utc((dest / "timestamp.txt").read_text(encoding="utf-8").strip())
    except Exception:  # noqa: BLE001 - missing or unreadable: older than anything
        return None


def _staging(course, sid: str, ch: str) -> Path:
    folder = course.root / "submitted" / sid
    if folder.is_symlink():
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{ch}.collecting"
    if tmp.exists():
        shutil.rmtree(tmp)
    return tmp


# --------------------------------------------------------------------------- the exchange

def collect_exchange(course, ch: str, course_id: str) -> Report:
    """The newest submission of each student in the exchange's inbound folder (nbgrader collect --update)."""
    from nbgrader.utils import parse_utc

    report = Report(ch)
    inbound = course.exchange / course_id / "inbound"
    try:
        entries = list(os.scandir(inbound))
    except OSError:
        print(say(f"{ch}: まだ提出がありません ({inbound} がありません)", f"{ch}: nothing submitted yet ({inbound} does not exist)"))
        return report
    newest: dict[str, list] = {}
    for entry in entries:
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3 or parts[1] != ch:
            if re.search(rf"\+{ch}(?:\+|$)", entry.name):
                report.skip(f"inbound/{entry.name}", say("名前の形が違います (student+chapter+timestamp+random)",
                                                         "malformed name (student+chapter+timestamp+random)"))
            continue
        sid, where = parts[0], f"inbound/{entry.name}"
        if not valid_student(sid):
            report.skip(where, say(f"{sid!r} は学生 ID として使えない名前です", f"{sid!r} is not a valid student id"))
            continue
        try:
            when = parse_utc(parts[2])
        except Exception:  # noqa: BLE001 - a name a student made up
            report.skip(where, say(f"{parts[2]!r} はタイムスタンプではありません", f"{parts[2]!r} is not a timestamp"))
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as e:
            report.skip(where, say(f"読み取れません ({e.strerror})", f"cannot be read ({e.strerror})"))
            continue
        if not stat.S_ISDIR(st.st_mode):
            kind = _kind(st.st_mode)
            report.skip(where, say(f"{kind} (提出フォルダではありません)", f"{kind}, not a submission folder"))
            continue
        newest.setdefault(sid, []).append((when, entry.name))
    for sid in sorted(newest):
        when, name = max(newest[sid])
        where = f"inbound/{name}"
        dest = course.root / "submitted" / sid / ch
        old = _existing_timestamp(dest) if dest.is_dir() and not dest.is_symlink() else None
        if old is not None and old >= when:
            report.unchanged.append(sid)
            continue
        try:
            tmp = _staging(course, sid, ch)
            copy_submission(inbound / name, tmp, report, where, first=f"{ch}.ipynb")
            if not (tmp / "timestamp.txt").is_file():
                (tmp / "timestamp.txt").write_text(str(when), encoding="utf-8")
            if not (tmp / f"{ch}.ipynb").is_file():
                report.skip(where, say(f"{ch}.ipynb が入っていません (回収はしますが 0 点です)",
                                       f"no {ch}.ipynb in it (collected anyway: it scores 0)"))
            _replace(tmp, dest)
            report.collected.append(sid)
        except Exception as e:  # noqa: BLE001 - one student's trouble stays theirs
            report.skip(where, f"{type(e).__name__}: {e}")
    return report


# --------------------------------------------------------------------------- an LMS download

@dataclass
class _Candidate:
    sid: str
    where: str             # download:entry, for messages
    order: tuple           # larger is newer
    late: bool
    read: object           # () -> bytes
    size: int
    when: str = ""


def _lms_regex(course, regex: str | None) -> re.Pattern:
    if not regex:
        from dlkata.classroom.autograde import load_config
        cfg = load_config(course)
        regex = cfg.FileNameCollectorPlugin.get("named_regexp") if "FileNameCollectorPlugin" in cfg else None
    pattern = re.compile(regex or r".*[\\/](?P<student_id>[^_\\/]+)_(?:[^\\/]*_)?(?P<file_id>ch\d\d(?:-\d+)?\.ipynb)$")
    if not {"student_id", "file_id"} <= set(pattern.groupindex):
        raise ValueError(say("ファイル名の正規表現には student_id と file_id のグループが必要です",
                             "the file name regex must have the groups student_id and file_id"))
    return pattern


def _file_id(fid: str) -> tuple[str, int]:
    """Canvas names a re-submission ch05-1.ipynb: (ch05.ipynb, 1)."""
    m = RESUBMITTED.match(fid)
    return (m.group("stem") + m.group("ext"), int(m.group("n"))) if m else (fid, 0)


def _candidate(path: str, where: str, ch: str, pattern: re.Pattern, report: Report, read, size: int,
               when: str = "") -> _Candidate | None:
    name = PurePosixPath(path).name
    m = pattern.match("/extracted/" + path)
    if m is None:
        report.skip(where, say("名前から誰の提出かわかりません (パターンは ZIPREGEX= で指定します)",
                               "its name does not say whose it is (ZIPREGEX= sets the pattern)")
                    if name.endswith(".ipynb") else say("ノートブックではありません", "not a notebook"))
        return None
    sid = m.group("student_id")
    fid, n = _file_id(PurePosixPath(m.group("file_id")).name)
    if not valid_student(sid):
        report.skip(where, say(f"{sid!r} は学生 ID として使えない名前です", f"{sid!r} is not a valid student id"))
        return None
    if fid != f"{ch}.ipynb":
        report.skip(where, say(f"{fid} は {ch} のノートブックではありません", f"{fid} is not {ch}'s notebook"))
        return None
    middle = ("/extracted/" + path)[m.end("student_id"):m.start("file_id")]
    numbers = tuple(int(x) for x in re.findall(r"\d+", middle))
    return _Candidate(sid, where, (numbers, n, when), bool(LATE.search(middle)), read, size, when)


def _zip_candidates(archive: Path, ch: str, pattern: re.Pattern, report: Report) -> list[_Candidate]:
    out = []
    try:
        z = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        report.skip(archive.name, say(f"読める zip ではありません ({e})", f"not a readable zip ({e})"))
        return out
    for info in z.infolist():
        where = f"{archive.name}:{info.filename}"
        if info.is_dir():
            continue
        path = PurePosixPath(info.filename.replace("\\", "/"))
        mode = info.external_attr >> 16
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", info.filename):
            report.skip(where, say("ダウンロードのフォルダの外を指すパスです", "a path outside the download's folder"))
            continue
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):   # no type bits: a plain file (zips made on Windows)
            report.skip(where, _kind(mode))
            continue
        if path.suffix.lower() == ".zip":
            report.skip(where, say("ダウンロードの中の zip は開きません (ファイルの持ち主はダウンロード内での"
                                   "そのファイル自身の名前で決まります): ノートブックそのものを出してもらうか、"
                                   "その zip を ZIP= に指定してください",
                                   "a zip inside the download is not opened (a file's owner comes from its own "
                                   "name in the download): ask for the notebook itself, or give that zip as ZIP="))
            continue
        if info.file_size > MAX_BYTES:
            report.skip(where, say(f"{MAX_BYTES >> 20} MB を超えています", f"more than {MAX_BYTES >> 20} MB"))
            continue
        when = "%04d-%02d-%02d %02d:%02d:%02d" % info.date_time

        def read(z=z, info=info):
            with z.open(info) as f:
                data = f.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise ValueError(say(f"展開すると {MAX_BYTES >> 20} MB を超えます", f"more than {MAX_BYTES >> 20} MB once unpacked"))
            return data
        c = _candidate(str(path), where, ch, pattern, report, read, info.file_size, when)
        if c:
            out.append(c)
    return out


def _file_candidates(path: Path, st: os.stat_result, ch: str, pattern: re.Pattern, report: Report,
                     where: str) -> list[_Candidate]:
    """A notebook given as it is (st: its lstat, a regular file)."""
    if st.st_size > MAX_BYTES:
        report.skip(where, say(f"{MAX_BYTES >> 20} MB を超えています", f"more than {MAX_BYTES >> 20} MB"))
        return []

    def read(path=path):
        return _read_regular(path)
    when = datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    c = _candidate(path.name, where, ch, pattern, report, read, st.st_size, when)
    return [c] if c else []


def _read_regular(path: Path) -> bytes:
    fd = os.open(path, NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(say("通常のファイルではありません", "not a regular file"))
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError(say(f"{MAX_BYTES >> 20} MB を超えています", f"more than {MAX_BYTES >> 20} MB"))
        return data
    finally:
        os.close(fd)


def _keep_download(src: Path, archive: Path) -> Path:
    """A copy of the download in downloaded/<chapter>/archive/ (a different file of the same name
    gets a new name: nothing is overwritten)."""
    archive.mkdir(parents=True, exist_ok=True)
    dest = archive / src.name
    data = _read_regular(src) if src.stat().st_size <= 1 << 30 else None
    i = 1
    while dest.exists() and (data is None or dest.read_bytes() != data):
        dest = archive / f"{src.stem}-{i}{src.suffix}"
        i += 1
    if not dest.exists():
        shutil.copyfile(src, dest, follow_symlinks=False)
    return dest


def collect_download(course, ch: str, files: list[str], regex: str | None = None) -> Report:
    """Notebooks downloaded from an LMS (zip files, notebooks or folders of them) into submitted/.

    Only what is given now is read (an earlier download is not extracted again). For each
    student the newest file wins: Canvas's numbers in the name and its `-1` suffix of a
    re-submission, else the later file given. A student already collected gets the new file
    when it differs. Canvas's "late" in a name is kept in submitted/<id>/<chapter>/lms.json."""
    report = Report(ch)
    pattern = _lms_regex(course, regex)
    archive = course.root / "downloaded" / ch / "archive"
    found: list[_Candidate] = []
    for f in files:
        src = Path(f).expanduser()
        if src.is_dir() and not src.is_symlink():
            for p in sorted(src.iterdir()):
                found += _one_download(p, ch, pattern, report, archive)
        else:
            found += _one_download(src, ch, pattern, report, archive)
    best: dict[str, _Candidate] = {}
    for i, c in enumerate(found):
        c.order = (c.order, i)
        if c.sid not in best or c.order > best[c.sid].order:
            best[c.sid] = c
    for c in found:
        if best[c.sid] is not c:
            report.skip(c.where, say(f"{c.sid} の古いファイルです (新しいほうを回収します)",
                                     f"an older file of {c.sid} (a newer one is collected)"))
    for sid in sorted(best):
        c = best[sid]
        dest = course.root / "submitted" / sid / ch
        try:
            data = c.read()
            old = dest / f"{ch}.ipynb"
            if dest.is_dir() and not old.is_symlink() and old.is_file() and old.read_bytes() == data:
                report.unchanged.append(sid)
                continue
            tmp = _staging(course, sid, ch)
            tmp.mkdir()
            (tmp / f"{ch}.ipynb").write_bytes(data)
            (tmp / LMS_INFO).write_text(json.dumps({"from": c.where, "late": c.late, "zip_time": c.when},
                                                   ensure_ascii=False) + "\n", encoding="utf-8")
            _replace(tmp, dest)
            report.collected.append(sid + (say(" (遅れ)", " (late)") if c.late else ""))
        except Exception as e:  # noqa: BLE001 - one student's trouble stays theirs
            report.skip(c.where, f"{type(e).__name__}: {e}")
    return report


def _one_download(src: Path, ch: str, pattern: re.Pattern, report: Report, archive: Path) -> list[_Candidate]:
    where = src.name
    try:
        st = os.lstat(src)
    except OSError as e:
        report.skip(where, say(f"読み取れません ({e.strerror})", f"cannot be read ({e.strerror})"))
        return []
    if not stat.S_ISREG(st.st_mode):
        report.skip(where, _kind(st.st_mode))
        return []
    if zipfile.is_zipfile(src):
        kept = _keep_download(src, archive)
        return _zip_candidates(kept, ch, pattern, report)
    return _file_candidates(src, st, ch, pattern, report, where)
