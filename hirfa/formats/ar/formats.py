# The right-to-left marks keep day, month and year in reading order in Arabic text.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
