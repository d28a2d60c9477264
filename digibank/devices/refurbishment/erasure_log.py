"""Reads the log that the disk eraser nwipe (also what ShredOS runs) writes, so a device record can keep the
tool's own proof of the erasure.

Pure Python and no Django: `parse_nwipe_log(text)` returns an `NwipeReport`, or raises `NwipeLogError` with a
Dutch sentence a technician understands. `nist_level(method)` maps nwipe's method label to NIST SP 800-88 Rev. 1.

Where the format comes from (read, not guessed), all in github.com/martijnvanbrummelen/nwipe:

- `src/logging.c` (`nwipe_log`, `nwipe_log_summary`) as of the master whose `src/version.c` says 0.38: every line
  starts with `[%i/%02i/%02i %02i:%02i:%02i] ` and a label right-aligned to 7 characters (`   info: `,
  ` notice: `, `  error: ` ...); the summary tables are written without a timestamp. The Drive Status rows are
  `"%s %s |%s| %s/s | %02i:%02i:%02i | %s/%s"`: a `!` flag, the device without `/dev/` right-aligned to 8, a status of
  exactly 8 characters (` Erased `, `-FAILED-`, `UABORTED`, `INSANITY`), the throughput (`%4llu MB` plus `/s`),
  the duration, the model (cut to 17 characters) and the serial number. After the rows comes
  `[time] Total Throughput %s/s, <method label>, %iR+B|NB+NV|VL|VA`.
- `src/method.c` (a later master that also has the Secure Erase and Sanitize methods): the method labels,
  `Invoking method '%s' on %s`, `Starting round %i of %i on %s`, `Verifying pass ...`, `Blanking device %s`,
  `Verifying that %s is empty.`, and the Sanitize failure messages.
- `src/options.c` (`nwipe_options_log`, 0.3x): `Program options are set as follows...`, `  method   = ...`,
  `  rounds   = %i`, `  verify   = %i (off|last pass|all passes)`, `  do not perform a final blank pass`.
- `src/nwipe.c` (0.3x): the banner line `nwipe 0.37` logged first, `%s has serial number %s`.
- `src/device.c` (0.3x): `Found %s, %s, %s, %s, S/N=%s` (path, bus, full model, size, serial).
- `src/miscellaneous.c`: `nwipe_strip_path` (device column) and `Determine_C_B_nomenclature` (throughput).
- Logs pasted by users and maintainers in the issues: PR #223 (March 2020, the table's introduction) and #325
  (June 2021, where the device column is still 6 wide under `! Device`), #367 (November 2021) and #444 (March 2023),
  #585 (nwipe 0.37); ShredOS issue PartialVolume/shredos.x86_64#125.

nwipe before the table (0.28, PR #223) writes no summary; such a log is refused, as is a run that never reached the end.
The statuses nwipe prints are Erased, -FAILED-, UABORTED (the user stopped it) and INSANITY (nwipe's own "cannot
happen"); no version read prints UNTOUCHED. Only Erased counts as erased: UABORTED and INSANITY become "failed", and
"untouched" is only used if a log ever says UNTOUCHED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ["DiskResult", "NwipeLogError", "NwipeReport", "nist_level", "parse_nwipe_log"]


class NwipeLogError(ValueError):
    """The text cannot serve as nwipe's proof; the message is a Dutch sentence for the technician."""


@dataclass(frozen=True)
class DiskResult:
    device: str  # as in the summary table, without /dev/: "sda", "nvme0n1"
    model: str
    serial: str
    status: str  # "erased" | "failed" | "untouched"
    throughput: str  # as printed: "140 MB/s"
    duration: str  # HH:MM:SS as printed


@dataclass(frozen=True)
class NwipeReport:
    tool_version: str  # "0.37"; "" when the log does not say
    method: str  # nwipe's label: "DoD Short", "PRNG Stream", "Fill With Zeros"; "" when the log does not say
    verification: str  # "off" | "last" | "all"
    rounds: int | None
    blanking: bool | None
    started_at: datetime | None  # naive: the local time of the machine that wiped
    finished_at: datetime | None
    disks: tuple[DiskResult, ...]

    def disk_with_serial(self, serial: str) -> DiskResult | None:
        """The disk with this serial number, compared case-insensitively and ignoring spaces and dashes."""
        wanted = _serial_key(serial)
        if not wanted:
            return None
        for disk in self.disks:
            if _serial_key(disk.serial) == wanted and not _is_placeholder_serial(disk.serial):
                return disk
        return None


# --- Cleaning -----------------------------------------------------------------------------------------------------

# CSI sequences (colours, cursor), OSC sequences (window titles), charset designations and other two-byte escapes:
# what a terminal capture of ShredOS or a coloured shell adds around nwipe's own text.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>]")


def _clean_lines(text: str) -> list[str]:
    text = text.lstrip("\ufeff").replace("\x00", "")
    text = _ANSI.sub("", text)
    # A bare CR is a console overwriting its progress line; each overwrite becomes its own line.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- One log line -------------------------------------------------------------------------------------------------

# nwipe 0.28+: "[2023/03/11 20:40:30]  notice: ..."; before 0.28 the label was preceded by "nwipe: ".
_LINE = re.compile(
    r"^\s*\[(?P<y>\d{4})/(?P<mo>\d{1,2})/(?P<d>\d{1,2}) (?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})\]\s*"
    r"(?:nwipe:\s*)?(?:(?P<level>debug|info|notice|warning|error|fatal|sanity):\s?)?(?P<message>.*)$"
)


@dataclass(frozen=True)
class _Entry:
    timestamp: datetime | None
    message: str  # stripped; for a line without a timestamp, the whole stripped line


def _entry(line: str) -> _Entry:
    match = _LINE.match(line)
    if not match:
        return _Entry(None, line.strip())
    try:
        year, month, day, hour, minute, second = (int(match[part]) for part in ("y", "mo", "d", "h", "mi", "s"))
        timestamp = datetime(year, month, day, hour, minute, second)
    except ValueError:
        timestamp = None
    return _Entry(timestamp, match["message"].strip())


# --- The Drive Status table ---------------------------------------------------------------------------------------

_DRIVE_STATUS_HEADER = re.compile(
    r"^\s*!\s*Device\s*\|\s*Status\s*\|\s*Thru-put\s*\|\s*HH:MM:SS\s*\|\s*Model/Serial Number\s*$"
)
# Leading dots: with PDF reports on, nwipe prints a "." to stderr after each row, which a console capture interleaves.
_DRIVE_STATUS_ROW = re.compile(
    r"^[.\s]*(?:!\s*)?(?P<device>[^\s|!.][^\s|]*)\s*\|(?P<status>[^|]{1,12})\|(?P<throughput>[^|]*)\|"
    r"\s*(?P<duration>\d{2,}:\d{2}:\d{2})\s*\|(?P<identity>.*)$"
)
_RULE = re.compile(r"^\s*(?:-{10,}|\*{10,}.*)\s*$")
_TOTAL = re.compile(
    r"^\s*\[(?P<stamp>[\d/: ]+)\]\s*Total Throughput\s+(?P<throughput>[^,]*),\s*(?P<method>.+?),\s*"
    r"(?P<rounds>\d+)R\+(?P<blank>NB|B)\+(?P<verify>NV|VL|VA)\b"
)
_VERIFY_ABBREVIATIONS = {"NV": "off", "VL": "last", "VA": "all"}

# --- Lines in the run before the table ----------------------------------------------------------------------------

_NWIPE_MARKER = re.compile(
    r"\bnwipe\b|Invoking method '|Program options are set as follows|Automatically enumerated \d+ devices", re.I
)
_BANNER = re.compile(r"^(?:banner\s*=\s*)?nwipe (?P<version>\d+\.\d+(?:\.\d+)*)\s*$", re.I)
_OPTIONS_START = re.compile(r"^Program options are set as follows")
_OPTION_METHOD = re.compile(r"^method\s*=\s*(?P<method>.+)$")
_OPTION_ROUNDS = re.compile(r"^rounds\s*=\s*(?P<rounds>\d+)")
_OPTION_VERIFY = re.compile(r"^verify\s*=\s*\d+\s*\((?P<verify>off|last pass|all passes)\)")
_OPTION_NOBLANK = re.compile(r"^do not perform a final blank pass")
_INVOKING = re.compile(r"^Invoking method '(?P<method>.+)' on ")
_STARTING_ROUND = re.compile(r"^Starting round \d+ of (?P<rounds>\d+) on ")
_VERIFYING_PASS = re.compile(r"^Verifying pass (?P<p>\d+) of (?P<n>\d+), round (?P<r>\d+) of (?P<m>\d+)")
_VERIFYING_ANY = re.compile(r"^Verifying (?:pass|that|final random pattern)|^Starting (?:PRNG|zero) verification")
_BLANKING = re.compile(r"^Blanking device ")
_FOUND = re.compile(r"^Found (?P<path>/dev/\S+?),(?P<rest>.*),\s*S/N=(?P<serial>.*)$")
_HAS_SERIAL = re.compile(r"^(?:Device )?(?P<path>/dev/\S+) has serial number (?P<serial>.+)$")
# In method.c a failed Sanitize returns without setting the context's result, so the summary can still say Erased;
# nwipe's own failure line is the better witness.
_SANITIZE_FAILED = re.compile(r"^Sanitize (?:Crypto Erase|Block Erase|Overwrite) failed on (?P<path>/dev/\S+?)\.?$")
_WIPE_START = re.compile(
    r"^(?:Invoking method '|Starting round |Starting pass |Attempting (?:ATA|NVMe|SCSI) |Starting (?:ATA|NVMe|SCSI) )"
)
_WIPE_WORK = re.compile(
    r"bytes (?:written to|read from)|^Finished (?:pass|round|final round)|^Verified |^\[(?:SUCCESS|FAILURE)\]"
    r"|errors on '|(?:Erase|Scramble|Overwrite) completed|(?:Erase|Scramble|Overwrite) failed on"
)


def parse_nwipe_log(text: str) -> NwipeReport:
    """Reads nwipe's log: the Drive Status table of the last run in the text, and the settings of that run.

    Tolerates CRLF, colour codes, console noise and several disks. A disk with status FAILED parses fine: whether
    that is acceptable is the caller's decision. Raises NwipeLogError when there is no Drive Status table.
    """
    lines = _clean_lines(text)
    if not any(line.strip() for line in lines):
        raise NwipeLogError("Dit is geen nwipe-logbestand: het bestand is leeg.")

    headers = [index for index, line in enumerate(lines) if _DRIVE_STATUS_HEADER.match(line)]
    if not headers:
        if _looks_like_nwipe(lines):
            raise NwipeLogError(
                "Dit nwipe-logbestand bevat geen eindoverzicht ('Drive Status'): de wissing is niet afgerond, "
                "of het log komt van een nwipe-versie ouder dan 0.28. Laad het logbestand op dat nwipe na "
                "afloop van de wissing schrijft."
            )
        raise NwipeLogError(
            "Dit is geen nwipe-logbestand: er staat geen eindoverzicht ('Drive Status') in en geen enkele regel "
            "komt van nwipe."
        )

    # nwipe appends to its log file, so one file can hold several runs: the last one is the proof.
    header = headers[-1]
    run = [_entry(line) for line in lines[headers[-2] + 1 if len(headers) > 1 else 0 : header]]
    rows, after_rows = _read_rows(lines, header + 1)
    if not rows:
        raise NwipeLogError(
            "Het eindoverzicht ('Drive Status') in dit nwipe-logbestand noemt geen enkele schijf; het bestand is "
            "waarschijnlijk afgekapt."
        )
    total = next((m for line in lines[after_rows:] if (m := _TOTAL.match(line))), None)

    identities = _identities(run)
    sanitize_failed = {m["path"] for entry in run if (m := _SANITIZE_FAILED.match(entry.message))}
    disks = tuple(_disk(row, identities, sanitize_failed) for row in rows)

    return NwipeReport(
        tool_version=_tool_version(run),
        method=_method(run, total),
        verification=_verification(run, total),
        rounds=_rounds(run, total),
        blanking=_blanking(run, total),
        started_at=_started_at(run),
        finished_at=_finished_at(run, total),
        disks=disks,
    )


def _looks_like_nwipe(lines: list[str]) -> bool:
    has_timestamps = any(_LINE.match(line) for line in lines)
    return has_timestamps and any(_NWIPE_MARKER.search(line) for line in lines)


def _read_rows(lines: list[str], start: int) -> tuple[list[re.Match[str]], int]:
    """The rows under the header, up to the closing rule; returns them and the index after the table."""
    rows: list[re.Match[str]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        row = _DRIVE_STATUS_ROW.match(line)
        if row:
            rows.append(row)
        elif _TOTAL.match(line) or (rows and _RULE.match(line)):
            break
        index += 1
    return rows, index


def _identities(run: list[_Entry]) -> dict[str, tuple[str, str]]:
    """Full model and serial number per device path, from the lines nwipe logs when it finds a disk."""
    found: dict[str, tuple[str, str]] = {}
    for entry in run:
        if match := _FOUND.match(entry.message):
            # 0.3x: "Found /dev/sda,  ATA-SSD, <model>,  500 GB, S/N=..."; 0.28: "Found /dev/sdc, ATA <model>, 160GB".
            parts = [part.strip() for part in match["rest"].split(",")]
            model = ", ".join(parts[1:-1]) if len(parts) >= 3 else ""
            found[match["path"]] = (model, match["serial"].strip())
        elif match := _HAS_SERIAL.match(entry.message):
            model, _ = found.get(match["path"], ("", ""))
            found[match["path"]] = (model, match["serial"].strip())
    return found


def _disk(row: re.Match[str], identities: dict[str, tuple[str, str]], sanitize_failed: set[str]) -> DiskResult:
    device = row["device"]
    path = next((p for p in identities if p == f"/dev/{device}" or p.endswith(f"/{device}")), f"/dev/{device}")
    known_model, known_serial = identities.get(path, ("", ""))

    identity = row["identity"].strip()
    if known_serial and identity.endswith(f"/{known_serial}"):
        # The serial nwipe found earlier tells where the model ends, even when a model holds a "/".
        model, serial = identity[: -len(known_serial) - 1], known_serial
    elif "/" in identity:
        model, _, serial = identity.rpartition("/")
    else:
        model, serial = identity, ""
    model, serial = model.strip(), serial.strip()
    # The table cuts the model to 17 characters; the line from the disk scan has it whole.
    if model and known_model.startswith(model) and len(known_model) > len(model):
        model = known_model

    status = _status(row["status"])
    if status == "erased" and path in sanitize_failed:
        status = "failed"
    return DiskResult(
        device=device,
        model=model,
        serial=serial,
        status=status,
        throughput=row["throughput"].strip(),
        duration=row["duration"],
    )


def _status(printed: str) -> str:
    word = printed.strip().strip("-").upper()
    if word == "ERASED":
        return "erased"
    if word == "UNTOUCHED":
        return "untouched"
    # -FAILED-, UABORTED, INSANITY and anything unknown: never claim an erasure nwipe did not report.
    return "failed"


def _tool_version(run: list[_Entry]) -> str:
    return next((m["version"] for entry in run if (m := _BANNER.match(entry.message))), "")


def _options(run: list[_Entry]) -> list[str] | None:
    """The messages of the last options manifest in the run, or None when nwipe did not log one."""
    starts = [index for index, entry in enumerate(run) if _OPTIONS_START.match(entry.message)]
    if not starts:
        return None
    options = []
    # The manifest is "name = value" lines plus a few "do not ..." lines; the first other line ends it.
    for entry in run[starts[-1] + 1 :]:
        if "=" not in entry.message and not entry.message.startswith("do not "):
            break
        options.append(entry.message)
    return options


def _method(run: list[_Entry], total: re.Match[str] | None) -> str:
    if total:
        return total["method"].strip()
    for option in _options(run) or []:
        if match := _OPTION_METHOD.match(option):
            return match["method"].strip()
    return next((m["method"] for entry in run if (m := _INVOKING.match(entry.message))), "")


def _verification(run: list[_Entry], total: re.Match[str] | None) -> str:
    if total:
        return _VERIFY_ABBREVIATIONS[total["verify"]]
    for option in _options(run) or []:
        if match := _OPTION_VERIFY.match(option):
            return {"off": "off", "last pass": "last", "all passes": "all"}[match["verify"]]
    # Without the settings, the verification lines tell: a verified pass that is not the very last means "all".
    verified = False
    for entry in run:
        if match := _VERIFYING_PASS.match(entry.message):
            if (match["p"], match["r"]) != (match["n"], match["m"]):
                return "all"
            verified = True
        elif _VERIFYING_ANY.match(entry.message):
            verified = True
    return "last" if verified else "off"


def _rounds(run: list[_Entry], total: re.Match[str] | None) -> int | None:
    if total:
        return int(total["rounds"])
    for option in _options(run) or []:
        if match := _OPTION_ROUNDS.match(option):
            return int(match["rounds"])
    return next((int(m["rounds"]) for entry in run if (m := _STARTING_ROUND.match(entry.message))), None)


def _blanking(run: list[_Entry], total: re.Match[str] | None) -> bool | None:
    if total:
        return total["blank"] == "B"
    options = _options(run)
    if options is not None:
        return not any(_OPTION_NOBLANK.match(option) for option in options)
    if any(_BLANKING.match(entry.message) for entry in run):
        return True
    return None


def _started_at(run: list[_Entry]) -> datetime | None:
    """When nwipe began on the first disk; in GUI mode nwipe may have been waiting for the operator long before."""
    starts = [entry.timestamp for entry in run if entry.timestamp and _WIPE_START.match(entry.message)]
    if starts:
        return min(starts)
    return next((entry.timestamp for entry in run if entry.timestamp), None)


def _finished_at(run: list[_Entry], total: re.Match[str] | None) -> datetime | None:
    """The last moment nwipe reported work on a disk; the summary itself may come much later, after a key press."""
    work = [entry.timestamp for entry in run if entry.timestamp and _WIPE_WORK.search(entry.message)]
    if work:
        return max(work)
    if total:
        try:
            return datetime.strptime(total["stamp"].strip(), "%Y/%m/%d %H:%M:%S")
        except ValueError:
            pass
    stamps = [entry.timestamp for entry in run if entry.timestamp]
    return max(stamps) if stamps else None


# --- Serial numbers -----------------------------------------------------------------------------------------------


def _serial_key(serial: str) -> str:
    return re.sub(r"[\s-]+", "", serial or "").upper()


def _is_placeholder_serial(serial: str) -> bool:
    # With -q nwipe prints XXXXXXXXXXXXXXX (serial hidden) or ??????????????? (none found); neither identifies a disk.
    key = _serial_key(serial)
    return bool(key) and set(key) <= {"X", "?"}


# --- NIST SP 800-88 Rev. 1 ----------------------------------------------------------------------------------------

# Every nwipe method that writes patterns through the ordinary write path is an overwrite with "standard Read and
# Write commands": NIST SP 800-88 Rev. 1 (section 2.4 and Appendix A) calls that Clear, for hard disks and flash
# alike, however many passes it makes (Gutmann and DoD add nothing on modern media). Labels as in nwipe's method.c,
# with the older names ("Quick Erase" before 0.28, "Zero Fill" in 0.28) that older logs carry.
_CLEAR_METHODS = {
    "dod 5220.22-m",
    "dod short",
    "gutmann wipe",
    "rcmp tssit ops-ii",
    "prng stream",
    "fill with zeros",
    "fill with ones",
    "zero fill",
    "quick erase",
    "hmg is5 enhanced",
    "bruce schneier 7-pass",
    "bmb21-2019",
}
# The methods that ask the drive's firmware to sanitise itself (hdparm --security-erase, nvme format/sanitize,
# sg_sanitize): ATA Secure Erase, NVMe Format with secure erase, and the ATA/SCSI/NVMe Sanitize block erase,
# crypto erase and overwrite are the Purge techniques of Rev. 1 Appendix A, provided the drive completed the command,
# which is what the disk's status in the summary says.
_PURGE_METHODS = {
    "secure erase (ata/nvme)",
    "secure erase + prng + verify",
    "sanitize crypto erase (ata/scsi/nvme)",
    "sanitize block erase (ata/scsi/nvme)",
    "sanitize overwrite (ata/scsi/nvme)",
}
# These only read the disk back; they erase nothing.
_VERIFY_ONLY_METHODS = {"verify zeros (0x00)", "verify ones (0xff)"}


def nist_level(method: str) -> str:
    """The NIST SP 800-88 Rev. 1 level, "clear" or "purge", of an nwipe method label as it appears in the log.

    Raises NwipeLogError for the verify-only methods (they erase nothing) and for labels nwipe does not have.
    """
    key = " ".join(method.split()).casefold()
    if key in _CLEAR_METHODS:
        return "clear"
    if key in _PURGE_METHODS:
        return "purge"
    if key in _VERIFY_ONLY_METHODS:
        raise NwipeLogError(f"De nwipe-methode '{method}' controleert de schijf alleen en wist niets.")
    raise NwipeLogError(f"De wismethode '{method}' is geen gekende nwipe-methode; het NIST-niveau is niet te bepalen.")
