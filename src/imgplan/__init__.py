"""imgplan: turns the US residency pathway for International Medical Graduates into dates.

A planning aid, not advice from NRMP, AAMC or ECFMG: confirm every date on their sites.
"""

__version__ = "0.1.0"
