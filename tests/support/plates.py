"""What each printing plate receives, read by Ghostscript (an outside reader: pubkit does not use it).

``gs -sDEVICE=tiff32nc`` writes one CMYK TIFF per page, each channel the ink that the Cyan,
Magenta, Yellow and Black plates would carry, with overprint simulated as on Ghostscript's
separation device ``tiffsep``: on the sample's vi edition the two gave the same plates within 1 of
255, and both keep the cyan under an overprinted black box and clear it under a knocked-out one.
``tiff32nc`` takes a quarter less time and writes one file a page instead of five. Tests compare
the plates between language editions (the colour plates of inside pages must be the same in every
language) and check that small text inks the black plate only.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

PLATES = ("Cyan", "Magenta", "Yellow", "Black")


def have_ghostscript() -> bool:
    return shutil.which("gs") is not None


def separations(pdf: Path, dpi: int = 50) -> list[dict[str, np.ndarray]]:
    """Per page, each plate's ink as 0–255 (255 = full ink), cropped to the MediaBox.

    Kept per file version (path, size, time): several tests read the same built editions, and
    separating five editions of a long brochure costs seconds. Callers only read the arrays. The
    TIFFs are written uncompressed: LZW took 40 % of Ghostscript's time (1.15 → 0.69 s an edition).
    """
    status = pdf.stat()
    return _separations(str(pdf.resolve()), status.st_size, status.st_mtime_ns, dpi)


@functools.lru_cache(maxsize=16)
def _separations(pdf: str, _size: int, _mtime: int, dpi: int) -> list[dict[str, np.ndarray]]:
    with tempfile.TemporaryDirectory(prefix="pubkit-plates-") as folder:
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-sCompression=none",
                        f"-r{dpi}", f"-sOutputFile={folder}/page%03d.tif", pdf], check=True, capture_output=True)
        result = []
        for page in sorted(Path(folder).glob("page???.tif")):
            with Image.open(page) as image:
                ink = np.asarray(image, dtype=np.int16)  # CMYK: 255 = full ink
            result.append({plate: ink[..., channel] for channel, plate in enumerate(PLATES)})
        return result


def differing_share(a: np.ndarray, b: np.ndarray, tolerance: int = 8) -> float:
    """Share of pixels whose ink differs by more than ``tolerance`` (of 255) between two plates."""
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a - b) > tolerance))
