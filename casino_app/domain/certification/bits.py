"""A bit sequence as one integer, most significant bit first (SP 800-22's epsilon_1 .. epsilon_n)."""

from __future__ import annotations

from dataclasses import dataclass

_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


@dataclass(frozen=True)
class Bits:
    """`n` bits; `value`'s most significant of them is the first bit of the sequence."""

    value: int
    n: int

    @classmethod
    def of_bytes(cls, raw: bytes) -> Bits:
        return cls(int.from_bytes(raw, "big"), 8 * len(raw))

    @classmethod
    def of_text(cls, text: str) -> Bits:
        digits = "".join(c for c in text if c in "01")
        return cls(int(digits, 2) if digits else 0, len(digits))

    def ones(self) -> int:
        return self.value.bit_count()

    def byte_aligned(self) -> bytes | None:
        """The bytes of the sequence when `n` is a multiple of 8, else None."""
        return self.value.to_bytes(self.n // 8, "big") if self.n % 8 == 0 else None

    def reversed(self) -> Bits:
        """The sequence read backwards."""
        raw = self.byte_aligned()
        if raw is not None:
            return Bits.of_bytes(raw[::-1].translate(_REVERSED))
        return Bits(int(f"{self.value:0{self.n}b}"[::-1], 2), self.n)

    def text(self) -> str:
        return f"{self.value:0{self.n}b}"

    def window(self, start: int, length: int) -> int:
        """The bits [start, start + length) as an integer."""
        return (self.value >> (self.n - start - length)) & ((1 << length) - 1)
