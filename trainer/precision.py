"""Which precision a training run computes in: bfloat16 where the CPU multiplies it in hardware,
float32 elsewhere.

On CPUs with bf16 matrix units (Intel AMX, ``amx_bf16``; AVX-512 BF16, ``avx512_bf16``) a
bfloat16 matrix product is several times faster than a float32 one (2048x2048: 26 ms against
251 ms on a Sapphire Rapids core pair); on CPUs without them PyTorch emulates bfloat16 and it is
*slower* than float32 (876 ms against 230 ms on this project's Ice Lake machines, which have
AVX-512 but neither flag). So ``auto`` reads the CPU's flags instead of assuming.

``torch.backends.cpu.get_cpu_capability()`` names the vector ISA PyTorch dispatches to
("AVX512", "AVX2", ...) and says nothing about bf16 units, so the flags decide; a capability
that names AMX (future builds) counts too.

Example:
    >>> resolve_precision("auto", flags={"avx2", "avx512f"}).precision
    'fp32'
    >>> resolve_precision("auto", flags={"avx512f", "amx_bf16"}).precision
    'bf16'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from toolrag.errors import ConfigError

BF16_FLAGS = ("amx_bf16", "avx512_bf16")
"""CPU flags (``/proc/cpuinfo``, ``lscpu``) of units that multiply bfloat16 in hardware."""


class Precision(StrEnum):
    """How a training run computes: ``auto`` picks ``bf16`` on CPUs with bf16 units."""

    AUTO = "auto"
    BF16 = "bf16"
    FP32 = "fp32"


@dataclass(frozen=True)
class PrecisionChoice:
    """The precision a run uses and why (recorded with the adapter)."""

    precision: str
    """``bf16``: bfloat16 base weights under ``torch.autocast``, LoRA weights float32;
    ``fp32``: everything float32."""
    requested: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"precision": self.precision, "requested": self.requested, "reason": self.reason}


def check_precision(value: str) -> str:
    """``value`` if it names a :class:`Precision`, else a ConfigError listing the choices."""
    try:
        return Precision(value).value
    except ValueError:
        raise ConfigError(
            f"precision={value!r}: choose one of {', '.join(p.value for p in Precision)}"
        ) from None


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The first processor's flags from ``/proc/cpuinfo``; empty where there is no such file
    (macOS, Windows: ``auto`` then trains in float32)."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def bf16_units(flags: Iterable[str] | None = None, capability: str | None = None) -> list[str]:
    """The bf16 matrix units this CPU has, by name (empty: none).

    Args:
        flags: CPU flags; default this machine's (:func:`cpu_flags`).
        capability: ``torch.backends.cpu.get_cpu_capability()``; default this machine's.
    """
    if flags is None:
        flags = cpu_flags()
    if capability is None:
        import torch

        capability = torch.backends.cpu.get_cpu_capability()
    found = [f for f in BF16_FLAGS if f in set(flags)]
    if "AMX" in capability.upper() and "amx_bf16" not in found:
        found.append(f"capability {capability}")
    return found


def resolve_precision(
    requested: str, flags: Iterable[str] | None = None, capability: str | None = None
) -> PrecisionChoice:
    """The precision a run with ``requested`` (``auto``, ``bf16`` or ``fp32``) uses here.

    Raises:
        ConfigError: ``requested`` is not a :class:`Precision`.
    """
    requested = check_precision(requested)
    units = bf16_units(flags, capability)
    have = f"CPU bf16 units: {', '.join(units)}" if units else "no CPU bf16 units"
    if requested == Precision.AUTO:
        precision = Precision.BF16 if units else Precision.FP32
        return PrecisionChoice(precision.value, requested, f"auto: {have}")
    return PrecisionChoice(requested, requested, f"forced ({have})")
