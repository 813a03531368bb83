"""The QR code of an address as a matrix of modules, for a renderer to draw.

``qrcodegen`` (Project Nayuki's reference implementation, one pure-Python module) makes
it; segno was the first choice, but importing it loads its writers and through them
``xml.sax.saxutils``, ``urllib.request``, ``http.client`` and ``ssl``, which a cold build
keeps out (tests/test_coldstart.py). Kept per address by ``pdf.RenderCache.qr``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QrMatrix:
    """A QR code's modules as runs of dark ones: per row, (first column, length)."""

    size: int  # modules on a side, without the quiet zone
    rows: tuple[tuple[tuple[int, int], ...], ...]


def encode(url: str) -> QrMatrix:
    """The QR code of ``url``: the smallest version at error correction M (a code on
    paper survives a fold or a smudge over 15 % of it), or higher where it fits."""
    import qrcodegen  # imported on the first address, not by every build

    code = qrcodegen.QrCode.encode_text(url, qrcodegen.QrCode.Ecc.MEDIUM)
    size = code.get_size()
    rows = []
    for y in range(size):
        runs: list[tuple[int, int]] = []
        for x in range(size):
            if code.get_module(x, y):
                if runs and runs[-1][0] + runs[-1][1] == x:
                    runs[-1] = (runs[-1][0], runs[-1][1] + 1)
                else:
                    runs.append((x, 1))
        rows.append(tuple(runs))
    return QrMatrix(size, tuple(rows))
