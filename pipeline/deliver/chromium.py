"""Headless Chromium (Debian's `chromium` package), for screenshots and print-ready PDF. Optional: without
it the run completes and says how to install it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import PipelineError

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
INSTALL_HINT = "Install Debian's package (apt-get install -y chromium) and run `make reports` again."
HIDE_VARIABLE = "PIPELINE_NO_CHROMIUM"  # set, and not 0: run as on a machine without Chromium
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")
NODE_ID = re.compile(rb"node(\d{8})")  # tagged-PDF element ids: the page's DOM node counters


def stable_node_ids(data: bytes) -> bytes:
    """Chromium names each tagged element after a DOM node counter that shifts from run to run; the ids
    are renumbered 1, 2, ... in their own order (same width, so the file's offsets and the sorted id tree
    hold)."""
    found = sorted({int(m) for m in NODE_ID.findall(data)})
    new = {old: i + 1 for i, old in enumerate(found)}
    return NODE_ID.sub(lambda m: b"node%08d" % new[int(m.group(1))], data)


def chromium_hidden() -> bool:
    return os.environ.get(HIDE_VARIABLE, "").strip() not in ("", "0")


def find_chromium() -> str | None:
    """The browser's path, or None when it is missing or hidden by PIPELINE_NO_CHROMIUM."""
    if chromium_hidden():
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def require_chromium() -> str:
    path = find_chromium()
    if path is None and chromium_hidden():
        raise PipelineError(f"Chromium is hidden by {HIDE_VARIABLE}; unset it to print or take screenshots.")
    if path is None:
        raise PipelineError(f"Chromium not found. {INSTALL_HINT}")
    return path


def run_chromium(args: list[str], timeout: int = 180) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [require_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 1600) -> Path:
    """One page, as a reader first sees it."""
    run_chromium([f"--window-size={width},{height}", f"--screenshot={png}", html.resolve().as_uri()])
    return png


def print_pdf(html: Path, pdf: Path) -> Path:
    """The page printed as the browser prints it (A4 and page numbers come from the page's print style),
    without the browser's own header and footer (date, file path); the PDF's time stamps are fixed and its
    element ids renumbered, so the same page gives the same bytes (both keep their length, so the file's
    offsets hold)."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()])
    data = pdf.read_bytes()

    def fixed(match: re.Match[bytes]) -> bytes:
        stamp = match.group(0)
        start = stamp.index(b"(D:") + 3
        return stamp[:start] + b"20210101000000" + stamp[start + 14 :]

    pdf.write_bytes(stable_node_ids(PDF_DATE.sub(fixed, data)))
    return pdf
