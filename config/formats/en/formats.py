"""One way to write a time everywhere, the admin included: "Dec. 1, 2026, 06:29" (24-hour)."""

DATETIME_FORMAT = "N j, Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
