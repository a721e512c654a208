"""Incidents and errors shared by every stage.

An incident is one problem found in one place: level, stable kebab-case id, file, location
(line number or JSON path), document id, a message saying what was found and what is allowed,
and a hint on how to fix it. Library code raises `RukpError` (holding incidents); only `main()`
turns it into text and an exit code.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(slots=True, frozen=True)
class Incident:
    id: str
    message: str
    file: str | None = None
    location: str | None = None  # "line 12" or a JSON path such as "$.entities[4].type"
    doc_id: str | None = None
    hint: str | None = None
    level: Level = "error"

    def where(self) -> str:
        if self.file and self.location:
            return f"{self.file}:{self.location}"
        return self.file or self.location or "-"

    def format(self) -> str:
        doc = f" [doc {self.doc_id}]" if self.doc_id else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        return f"{self.level.upper()} {self.id} {self.where()}{doc}: {self.message}{hint}"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass
class RukpError(Exception):
    """An error a person can act on; carries one or more incidents."""

    incidents: list[Incident] = field(default_factory=list)

    def __init__(self, *incidents: Incident) -> None:
        super().__init__("; ".join(i.format() for i in incidents))
        self.incidents = list(incidents)

    @classmethod
    def single(cls, id: str, message: str, **kw: str | None) -> RukpError:
        return cls(Incident(id=id, message=message, **kw))  # type: ignore[arg-type]

    def format(self) -> str:
        return "\n".join(i.format() for i in self.incidents)

    def to_json(self) -> str:
        return json.dumps([i.to_dict() for i in self.incidents], ensure_ascii=False, indent=2)
