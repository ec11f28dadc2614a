"""imgplan: turns the US residency pathway for International Medical Graduates into dates.

A planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date on their sites.
"""

__version__ = "0.1.0"

# The largest rules file or profile imgplan reads: none comes near it, and a larger one (a
# disk image given by mistake) is refused before it is read whole. Here, not in yamlio, so
# that the rules cache can bound its read without importing the YAML reader.
MAX_FILE_BYTES = 1024 * 1024
