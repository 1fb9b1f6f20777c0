"""The registry of every linter the GS1 Syntax Dictionary names, each as ``(value, reference)``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from station.udi.gs1_coupons import lint_couponcode, lint_couponposoffer
from station.udi.gs1_linters import (
    CsetLinter,
    Linter,
    LintFault,
    lint_csum,
    lint_csumalpha,
    lint_gcppos1,
    lint_gcppos2,
    lint_hasnondigit,
    lint_hh,
    lint_hhmi,
    lint_hyphen,
    lint_iban,
    lint_importeridx,
    lint_iso3166,
    lint_iso3166alpha2,
    lint_iso4217,
    lint_iso5218,
    lint_iso3166999,
    lint_key,
    lint_latitude,
    lint_longitude,
    lint_mediatype,
    lint_mi,
    lint_nonzero,
    lint_nozeroprefix,
    lint_packagetype,
    lint_pcenc,
    lint_pieceoftotal,
    lint_posinseqslash,
    lint_ss,
    lint_winding,
    lint_yesno,
    lint_yymmd0,
    lint_yymmdd,
    lint_yyyymmdd,
    lint_zero,
)


def _undated(linter: CsetLinter) -> Linter:
    """Adapt a linter that needs no reference date to the common ``(value, reference)`` shape."""

    def run(value: str, reference: date) -> LintFault | None:
        del reference  # only the two-digit-year linters use it
        return linter(value)

    run.__name__ = linter.__name__
    run.__doc__ = linter.__doc__
    return run


#: Every linter the Syntax Dictionary names, by name; each takes ``(value, reference_date)``.
LINTERS: Mapping[str, Linter] = {
    "couponcode": lint_couponcode,
    "yymmd0": lint_yymmd0,
    "yymmdd": lint_yymmdd,
    **{
        name: _undated(linter)
        for name, linter in {
            "couponposoffer": lint_couponposoffer,
            "csum": lint_csum,
            "csumalpha": lint_csumalpha,
            "gcppos1": lint_gcppos1,
            "gcppos2": lint_gcppos2,
            "hasnondigit": lint_hasnondigit,
            "hh": lint_hh,
            "hhmi": lint_hhmi,
            "hyphen": lint_hyphen,
            "iban": lint_iban,
            "importeridx": lint_importeridx,
            "iso3166": lint_iso3166,
            "iso3166999": lint_iso3166999,
            "iso3166alpha2": lint_iso3166alpha2,
            "iso4217": lint_iso4217,
            "iso5218": lint_iso5218,
            "key": lint_key,
            "latitude": lint_latitude,
            "longitude": lint_longitude,
            "mediatype": lint_mediatype,
            "mi": lint_mi,
            "nonzero": lint_nonzero,
            "nozeroprefix": lint_nozeroprefix,
            "packagetype": lint_packagetype,
            "pcenc": lint_pcenc,
            "pieceoftotal": lint_pieceoftotal,
            "posinseqslash": lint_posinseqslash,
            "ss": lint_ss,
            "winding": lint_winding,
            "yesno": lint_yesno,
            "yyyymmdd": lint_yyyymmdd,
            "zero": lint_zero,
        }.items()
    },
}
