"""WCAG colour contrast: leaflets are printed on black-and-white lasers, so brand colours
must keep text readable as grey on white (WCAG AA, 4.5:1 for body-size text)."""

from __future__ import annotations

MIN_CONTRAST = 4.5
WHITE = "#FFFFFF"
CALLOUT_TINT = 0.9  # warning-box background: the accent mixed 90% with white
TABLE_HEAD_TINT = 0.85  # a schedule table's header row: the primary mixed 85% with white
NO_DOSE = "#EDEDED"  # a schedule cell with nothing to take: shaded, left empty


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_color: str) -> float:
    """Relative luminance per WCAG 2.x of ``#RRGGBB``."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """Contrast ratio between two colours, 1.0 (none) to 21.0 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def tint(hex_color: str, amount: float) -> str:
    """Mix a colour with white (amount 0 = colour, 1 = white): warning-box backgrounds."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def readable(fg: str, bg: str, minimum: float = MIN_CONTRAST) -> str:
    """``fg``, or the lightest darker shade of it (mixed with black in steps of 1%) that
    reaches ``minimum`` contrast on ``bg``: a brand colour is kept wherever it is readable,
    and where it is not, text stays in its hue instead of turning black."""
    r, g, b = (int(fg[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(101):
        keep = 1 - step / 100
        shade = "#" + "".join(f"{round(c * keep):02X}" for c in (r, g, b))
        if contrast(shade, bg) >= minimum:
            return shade
    return "#000000"  # not reached: black on a background light enough to need this passes
