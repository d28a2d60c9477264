"""Belgian Dutch: 3/12/2026 and 27.346,38. Django's `nl` formats are those of the Netherlands
(3-12-2026). A dot is the thousands separator, so "27.347" is 27347; a dot followed by other
than three digits ("27346.50") can only be a decimal point, and Django reads it so."""

SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 3/12/2026, 03/12/2026
    "%d-%m-%Y",  # 3-12-2026
    "%d.%m.%Y",  # 3.12.2026
    "%d/%m/%y",  # 3/12/26
    "%d-%m-%y",  # 3-12-26
    "%Y-%m-%d",  # 2026-12-03
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
