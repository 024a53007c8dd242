# Times shown by default (a {{ value }}, or |date / |time without a format): the 24-hour clock,
# as on every page that gives its own format. Django's en_GB would show "9:19 p.m.". Formats not
# named here are Django's en_GB ones.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
