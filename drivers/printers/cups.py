"""CupsTransport: a CUPS (or lp-compatible) queue, through the ``lp`` command.

ZPL goes with ``-o raw`` so CUPS passes it to the printer untouched; PDF goes plainly and CUPS
converts it for the printer. The job is piped to lp's standard input, lp runs in the C locale
(so its "request id is <id>" line is not translated), within the caller's timeout. ``send``
returns lp's job id: CUPS has queued the job. The printer may still fail afterwards (paper
out, head open): a queued job is not a printed label, which is why labels are verified.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from drivers.printers.deadline import MAX_REPLY, Deadline, ReplyComplete
from drivers.printers.errors import PrinterConfigError, PrinterError, PrinterTimeoutError

_JOB_ID = re.compile(rb"request id is (\S+)")
_DOCUMENTS = ("zpl", "pdf")
_MAX_STDERR = 500  # characters of lp's complaint carried into the message


class CupsTransport:
    """``lp -d <queue> [-o raw]``. Thread-safe: every job is its own lp process."""

    def __init__(self, queue: str, *, document: str = "zpl", lp: str = "lp") -> None:
        if document not in _DOCUMENTS:
            msg = f"cups printer format must be 'zpl' or 'pdf', not {document!r}"
            raise PrinterConfigError(msg)
        if not queue or queue.startswith("-") or any(c.isspace() for c in queue):
            msg = f"not a CUPS queue name: {queue!r}"
            raise PrinterConfigError(msg)
        self.queue = queue
        self.document = document
        self.lp = lp

    @property
    def name(self) -> str:
        return f"cups:{self.queue}"

    @staticmethod
    def is_usable() -> tuple[bool, str]:
        found = shutil.which("lp")
        if found is None:
            return False, "the 'lp' command is not installed (CUPS client)"
        return True, f"lp at {found}"

    def command(self) -> list[str]:
        """The lp command line for this queue and format."""
        raw = ["-o", "raw"] if self.document == "zpl" else []
        return [self.lp, "-d", self.queue, *raw]

    def send(self, data: bytes, *, timeout: float) -> str:
        """Queue the job; return lp's job id (e.g. ``zebra-42``)."""
        deadline = Deadline(timeout)
        self._check_document(data)
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        try:
            done = subprocess.run(
                self.command(),
                input=data,
                capture_output=True,
                timeout=deadline.left(),
                env=env,
                check=False,
            )
        except FileNotFoundError as exc:
            msg = f"{self.name}: the 'lp' command was not found; install the CUPS client"
            raise PrinterError(msg, total=len(data)) from exc
        except subprocess.TimeoutExpired as exc:
            msg = (
                f"{self.name}: lp did not finish within {deadline.timeout:.1f} s; the job may "
                "or may not be queued: check the queue before printing again"
            )
            raise PrinterTimeoutError(msg, bytes_sent=len(data), total=len(data)) from exc
        except OSError as exc:
            msg = f"{self.name}: cannot run lp ({exc.strerror or exc})"
            raise PrinterError(msg, total=len(data)) from exc
        stderr = done.stderr.decode("utf-8", "replace").strip()[:_MAX_STDERR]
        if done.returncode != 0:
            said = stderr or "no message"
            msg = f"{self.name}: lp refused the job (exit {done.returncode}): {said}"
            raise PrinterError(msg, total=len(data))
        found = _JOB_ID.search(done.stdout[:4096])
        if found is None:
            msg = (
                f"{self.name}: lp reported no job id, so the job may or may not be queued: "
                "check the queue before printing again"
            )
            raise PrinterError(msg, bytes_sent=len(data), total=len(data))
        return found.group(1).decode("ascii", "replace")

    def query(
        self,
        command: bytes,  # noqa: ARG002 - same signature as the others
        *,
        timeout: float,  # noqa: ARG002
        complete: ReplyComplete | None = None,  # noqa: ARG002
        max_reply: int = MAX_REPLY,  # noqa: ARG002
    ) -> bytes:
        msg = f"{self.name}: a CUPS queue cannot report the printer's status"
        raise PrinterError(msg)

    def close(self) -> None:
        """Nothing to release: every job is its own lp process."""

    def _check_document(self, data: bytes) -> None:
        """Refuse a job that does not match the configured format: CUPS would print garbage."""
        is_pdf = data.startswith(b"%PDF-")
        if self.document == "pdf" and not is_pdf:
            msg = f"{self.name}: this queue is set up for PDF but the job is not a PDF"
            raise PrinterConfigError(msg, total=len(data))
        if self.document == "zpl" and is_pdf:
            msg = f"{self.name}: this queue is set up for raw ZPL but the job is a PDF"
            raise PrinterConfigError(msg, total=len(data))
