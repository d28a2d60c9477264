"""nwipe's log as proof of an erasure: what the parser reads from real-format logs, and what it refuses."""

from datetime import datetime

import pytest

from digibank.devices.refurbishment.erasure_log import DiskResult, NwipeLogError, nist_level, parse_nwipe_log
from digibank.devices.tests.factories import DATA  # the sample logs, shared with the documents' tests


def read_sample(name: str) -> str:
    # newline="" keeps the CRLF of the ShredOS sample as it is on disk.
    with open(DATA / name, encoding="utf-8", newline="") as sample:
        return sample.read()


@pytest.fixture
def ssd_report():
    return parse_nwipe_log(read_sample("nwipe_0.37_ssd_prng_verified.log"))


@pytest.fixture
def two_hdds_report():
    return parse_nwipe_log(read_sample("nwipe_0.35_two_hdds_one_failed.log"))


@pytest.fixture
def shredos_report():
    return parse_nwipe_log(read_sample("shredos_nwipe_0.36_nvme_console_crlf_ansi.log"))


# --- A single SSD, PRNG stream, blanked and verified ----------------------------------------------------------------


def test_single_ssd_wipe_reads_the_settings_of_the_run(ssd_report):
    assert ssd_report.tool_version == "0.37"
    assert ssd_report.method == "PRNG Stream"
    assert ssd_report.verification == "last"
    assert ssd_report.rounds == 1
    assert ssd_report.blanking is True


def test_single_ssd_wipe_runs_from_the_first_pass_to_the_last_verification(ssd_report):
    # Not from nwipe's start (the operator chose the disk two minutes later) nor to the summary (after a key press).
    assert ssd_report.started_at == datetime(2024, 5, 21, 10, 43, 17)
    assert ssd_report.finished_at == datetime(2024, 5, 21, 11, 45, 58)


def test_single_ssd_wipe_gives_the_disk_with_its_full_model(ssd_report):
    # The summary table cuts the model to 17 characters; the disk scan line has it whole.
    assert ssd_report.disks == (
        DiskResult(
            device="sda",
            model="Samsung SSD 860 EVO 500GB",
            serial="S3Z1NB0K812345X",
            status="erased",
            throughput="398 MB/s",
            duration="01:02:41",
        ),
    )


# --- Two hard disks, one failed ---------------------------------------------------------------------------------------


def test_a_failed_disk_parses_and_keeps_its_status(two_hdds_report):
    assert [(d.device, d.status) for d in two_hdds_report.disks] == [("sda", "erased"), ("sdb", "failed")]


def test_every_disk_keeps_what_nwipe_printed_for_it(two_hdds_report):
    sda, sdb = two_hdds_report.disks
    assert (sda.model, sda.serial, sda.throughput, sda.duration) == (
        "WDC WD5000AAKX-08U6AA0",
        "WD-WCC2ET1234567",
        "123 MB/s",
        "05:38:46",
    )
    assert (sdb.model, sdb.serial, sdb.throughput, sdb.duration) == (
        "ST2000DM001-1CH164",
        "Z1E5ABCD",
        "149 MB/s",
        "04:51:05",
    )


def test_two_disk_run_reads_method_and_times(two_hdds_report):
    assert two_hdds_report.tool_version == "0.35"
    assert (two_hdds_report.method, two_hdds_report.verification) == ("DoD Short", "last")
    assert (two_hdds_report.rounds, two_hdds_report.blanking) == (1, True)
    assert two_hdds_report.started_at == datetime(2023, 11, 7, 9, 20, 14)
    assert two_hdds_report.finished_at == datetime(2023, 11, 7, 14, 59, 0)


# --- ShredOS console capture: CRLF, colour codes, console noise -------------------------------------------------------


def test_shredos_sample_really_has_crlf_and_colour_codes():
    # Guards the next tests: if git ever normalises the sample's line endings, they would prove nothing.
    raw = read_sample("shredos_nwipe_0.36_nvme_console_crlf_ansi.log")
    assert "\r\n" in raw and "\x1b[" in raw


def test_shredos_console_capture_parses_through_crlf_and_colours(shredos_report):
    assert shredos_report.disks == (
        DiskResult(
            device="nvme0n1",
            model="KXG60ZNV256G TOSHIBA",
            serial="Y9SF71ABCDEF",
            status="erased",
            throughput="1202 MB/s",
            duration="00:07:05",
        ),
    )


def test_shredos_zero_fill_without_blanking_still_counts_as_verified(shredos_report):
    assert shredos_report.tool_version == "0.36"
    assert shredos_report.method == "Fill With Zeros"
    assert shredos_report.verification == "last"
    assert shredos_report.blanking is False
    assert shredos_report.started_at == datetime(2024, 2, 3, 14, 6, 30)
    assert shredos_report.finished_at == datetime(2024, 2, 3, 14, 13, 35)


# --- Several runs in one file, and logs without the closing line ---------------------------------------------------


def test_the_last_run_in_an_appended_log_file_is_the_proof():
    # nwipe opens its log file for appending, so a file can hold an earlier run.
    text = read_sample("nwipe_0.35_two_hdds_one_failed.log") + read_sample("nwipe_0.37_ssd_prng_verified.log")
    report = parse_nwipe_log(text)
    assert [d.serial for d in report.disks] == ["S3Z1NB0K812345X"]
    assert report.method == "PRNG Stream"
    assert report.started_at == datetime(2024, 5, 21, 10, 43, 17)


def test_without_the_total_line_the_settings_come_from_the_options_manifest():
    text = read_sample("shredos_nwipe_0.36_nvme_console_crlf_ansi.log")
    text = "\n".join(line for line in text.splitlines() if "Total Throughput" not in line)
    report = parse_nwipe_log(text)
    assert (report.method, report.verification, report.rounds, report.blanking) == ("Fill With Zeros", "last", 1, False)


def test_without_any_settings_the_wipe_lines_tell_what_happened():
    text = "\n".join(
        [
            "[2022/01/12 08:00:00]  notice: Invoking method 'DoD 5220.22-M' on /dev/sdc",
            "[2022/01/12 08:00:00]  notice: Starting round 1 of 2 on /dev/sdc",
            "[2022/01/12 08:00:00]  notice: Starting pass 1/7, round 1/2, on /dev/sdc",
            "[2022/01/12 08:30:00]  notice: Verifying pass 1 of 7, round 1 of 2, on /dev/sdc",
            "[2022/01/12 09:00:00]  notice: Blanking device /dev/sdc",
            "!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number",
            "--------------------------------------------------------------------------------",
            "       sdc | Erased |   80 MB/s | 01:00:00 | Hitachi HTS54505/100730PBN40017HU",
            "--------------------------------------------------------------------------------",
        ]
    )
    report = parse_nwipe_log(text)
    assert (report.method, report.verification, report.rounds, report.blanking) == ("DoD 5220.22-M", "all", 2, True)
    assert report.disks[0].serial == "100730PBN40017HU"


def test_the_old_six_wide_table_of_nwipe_0_30_is_read():
    # As pasted in nwipe PR #325 (2021): "! Device" and a loop device without a serial number.
    text = "\n".join(
        [
            "[2021/06/04 21:41:12]  notice: Invoking method 'PRNG Stream' on /dev/loop44",
            "! Device | Status | Thru-put | HH:MM:SS | Model/Serial Number",
            "--------------------------------------------------------------------------------",
            "  loop44 | Erased |  31 MB/s | 00:00:01 | Loopback device/",
            "--------------------------------------------------------------------------------",
            "[2021/06/04 21:41:17] Total Throughput 31 MB/s, PRNG Stream, 1R+B+VL",
        ]
    )
    (disk,) = parse_nwipe_log(text).disks
    assert (disk.device, disk.model, disk.serial, disk.status) == ("loop44", "Loopback device", "", "erased")


@pytest.mark.parametrize("printed", ["UABORTED", "INSANITY", "-FAILED-"])
def test_only_erased_counts_as_erased(printed):
    text = "\n".join(
        [
            "!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number",
            f"!      sdd |{printed}|   12 MB/s | 00:03:10 | TOSHIBA MQ01ABD1/X3ABC123",
        ]
    )
    assert parse_nwipe_log(text).disks[0].status == "failed"


def test_a_sanitize_that_nwipe_says_failed_is_not_erased_even_if_the_table_says_so():
    # method.c returns from a failed Sanitize without setting the result, so the table can still print Erased.
    text = "\n".join(
        [
            "[2025/12/01 10:00:00]  notice: Attempting NVMe Sanitize Crypto Erase on /dev/nvme0n1 (NVME).",
            "[2025/12/01 10:00:01]   error: NVMe Sanitize Crypto Erase failed on /dev/nvme0 (rc=256).",
            "[2025/12/01 10:00:01]   error: Sanitize Crypto Erase failed on /dev/nvme0n1.",
            "!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number",
            "   nvme0n1 | Erased |    0 B/s | 00:00:01 | Samsung SSD 980 /S64DNX0R123456",
            "[2025/12/01 10:00:05] Total Throughput    0 B/s, Sanitize Crypto Erase (ATA/SCSI/NVMe), 1R+NB+NV",
        ]
    )
    report = parse_nwipe_log(text)
    assert report.disks[0].status == "failed"
    assert report.method == "Sanitize Crypto Erase (ATA/SCSI/NVMe)"
    assert report.verification == "off"


# --- What is refused ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \r\n\r\n",
        "Hello, this is the invoice for March.\nTotal: 45 EUR\n",
        '{"device": "sda", "status": "Erased"}',
        "\x00\x01\x02\xff binary junk \x1b[31m",
    ],
)
def test_text_that_is_no_nwipe_log_is_refused_in_dutch(text):
    with pytest.raises(NwipeLogError, match="^Dit is geen nwipe-logbestand"):
        parse_nwipe_log(text)


def test_an_nwipe_log_that_stops_before_the_summary_is_refused():
    text = read_sample("nwipe_0.37_ssd_prng_verified.log").split("******************************** Error Summary")[0]
    with pytest.raises(NwipeLogError, match="geen eindoverzicht"):
        parse_nwipe_log(text)


def test_a_summary_header_without_disks_is_refused():
    text = read_sample("nwipe_0.37_ssd_prng_verified.log").replace(
        "       sda | Erased |  398 MB/s | 01:02:41 | Samsung SSD 860 E/S3Z1NB0K812345X\n", ""
    )
    with pytest.raises(NwipeLogError, match="afgekapt"):
        parse_nwipe_log(text)


def test_nwipe_log_error_is_a_value_error():
    assert issubclass(NwipeLogError, ValueError)


# --- Finding the disk of a device record --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["WD-WCC2ET1234567", "wd-wcc2et1234567", "WDWCC2ET1234567", " WD WCC2 ET12 34567 "])
def test_disk_with_serial_ignores_case_spaces_and_dashes(two_hdds_report, typed):
    assert two_hdds_report.disk_with_serial(typed).device == "sda"


def test_disk_with_serial_finds_the_failed_disk_too(two_hdds_report):
    assert two_hdds_report.disk_with_serial("z1e5abcd").status == "failed"


@pytest.mark.parametrize("typed", ["Z1E5ABCE", "", "   ", "WD-WCC2ET123456"])
def test_disk_with_serial_returns_none_for_another_serial(two_hdds_report, typed):
    assert two_hdds_report.disk_with_serial(typed) is None


def test_an_anonymised_serial_matches_nothing():
    # nwipe -q prints XXXXXXXXXXXXXXX instead of the serial number.
    text = "\n".join(
        [
            "!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number",
            "       sda | Erased |  140 MB/s | 01:58:58 | ST1000DM003-1ER1/XXXXXXXXXXXXXXX",
        ]
    )
    assert parse_nwipe_log(text).disk_with_serial("XXXXXXXXXXXXXXX") is None


# --- NIST SP 800-88 Rev. 1 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method",
    [
        "DoD Short",
        "DoD 5220.22-M",
        "Gutmann Wipe",
        "RCMP TSSIT OPS-II",
        "PRNG Stream",
        "Fill With Zeros",
        "Fill With Ones",
        "HMG IS5 Enhanced",
        "Bruce Schneier 7-Pass",
        "BMB21-2019",
        "Zero Fill",
        "Quick Erase",
    ],
)
def test_overwrite_methods_are_clear(method):
    assert nist_level(method) == "clear"


@pytest.mark.parametrize(
    "method",
    [
        "Secure Erase (ATA/NVMe)",
        "Secure Erase + PRNG + Verify",
        "Sanitize Crypto Erase (ATA/SCSI/NVMe)",
        "Sanitize Block Erase (ATA/SCSI/NVMe)",
        "Sanitize Overwrite (ATA/SCSI/NVMe)",
    ],
)
def test_firmware_sanitise_methods_are_purge(method):
    assert nist_level(method) == "purge"


def test_nist_level_reads_the_label_as_the_report_gives_it(ssd_report, two_hdds_report):
    assert nist_level(ssd_report.method) == nist_level(two_hdds_report.method) == "clear"
    assert nist_level("  dod   short ") == "clear"


@pytest.mark.parametrize("method", ["Verify Zeros (0x00)", "Verify Ones  (0xFF)"])
def test_verify_only_methods_have_no_level(method):
    with pytest.raises(NwipeLogError, match="wist niets"):
        nist_level(method)


@pytest.mark.parametrize("method", ["", "Shred 35 passes", "Unknown Method (FIXME)"])
def test_unknown_methods_have_no_level(method):
    with pytest.raises(NwipeLogError, match="NIST-niveau"):
        nist_level(method)
