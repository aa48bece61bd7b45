"""A FRUS heading's sender or recipient as a name and a role: "The Chargé in the Soviet Union (Kennan)" →
name "Kennan", role "Chargé in the Soviet Union"; "Mr. Motley" → name "Motley"; "the Secretary of State" →
role "Secretary of State", no name. Anything else is taken as a name, whole ("Sir Edward Grey",
"Belgian Ministry of Foreign Affairs"); the heading as written stays with the caller."""

from __future__ import annotations

import re

_PAREN = re.compile(r"^(?:the\s+)?(?P<role>.+?)\s*\((?P<name>[^()]{2,60})\)\s*$", re.I)
_HONORIFIC = re.compile(r"^(?P<h>Mr|Mrs|Messrs|Ms|Miss|Mme|Dr|Sir|Señor|Senor|Count|Baron|Prince|General|Admiral|"
                        r"Colonel|Captain|Lord|Marquis|Duke|Monsieur|M)\.?\s+(?P<name>[A-Z][\w'’.\- ]{1,60})$")
_ROLE_NAME = re.compile(r"^(?P<role>President|Secretary|Ambassador|Minister|Consul|Senator)\s+"
                        r"(?P<name>[A-Z][\w'’.-]+)$")


def name_and_role(party: str | None) -> tuple[str | None, str | None]:
    """(name, role) of a party as a heading writes it; (None, None) for nothing."""
    if not party:
        return None, None
    s = " ".join(party.split()).strip(" .,;:")
    m = _PAREN.match(s)
    if m:
        return m["name"].strip(), m["role"].strip()
    m = _HONORIFIC.match(s)
    if m:
        name = m["name"].strip()
        return (name if m["h"] in ("Mr", "Mrs", "Ms", "Miss", "Messrs", "Mme", "M", "Dr") else s), None
    m = _ROLE_NAME.match(s)
    if m:
        return m["name"], m["role"]
    role = re.sub(r"^the\s+", "", s, flags=re.I)
    if role[:1].isupper() and not any(w[:1].isupper() for w in role.split()[1:] if w not in ("of", "the")) \
            or re.match(r"^(?:Secretary|Minister|Ambassador|Chargé|Consul|President|Acting|Under|Assistant|"
                        r"Department|Embassy|Legation|Delegation|Commission|Mission)", role):
        return None, role
    return s, None
