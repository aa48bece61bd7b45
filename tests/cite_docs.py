"""The four kinds of document a citation must handle, built as the readers build them (see model.py)."""

from __future__ import annotations

from despatch.model import Annotation, DocDate, Document, FileInfo, Source, Span

SEED_URL = "http://www.cvce.eu/obj/the_development_of_soviet_policy_1953-en-b50c491e-f460-4b47-a157-258e002d7aa7.html"


def seed(originator: str | None = "Belgian Ministry of Foreign Affairs") -> Document:
    text = "(3 September 1953)\nTop Secret\nChanges in Soviet policy.\nThe core aims of Soviet policy"
    return Document(
        id="seed/cvce-development-of-soviet-policy-1953",
        collection="seed",
        text=text,
        title="The development of Soviet policy (1953)",
        caption="Confidential Note dated 3 September 1953 from the Belgian Ministry of Foreign Affairs.",
        language="en",
        date=DocDate("1953-09-03", "1953-09-03", "day", "3 September 1953"),
        originator=originator,
        source=Source(
            text="DE VOS, Luc; ROOMS, Etienne; DELOGE, Pascal; STERKENDRIES, Jean-Michel (sous la dir.). ...",
            editors=["De Vos, Luc", "Rooms, Etienne", "Deloge, Pascal", "Sterkendries, Jean-Michel"],
            title="Documents diplomatiques belges 1941-1960, De l'indépendance à l'interdépendance. "
            "Tome II: Défense 1941-1960",
            publisher="Académie royale de Belgique",
            place="Bruxelles",
            year=1998,
            isbn="90-6569-670-9",
            pages="419-421",
        ),
        rights="(c) Translation CVCE.EU by UNI.LU",
        url=SEED_URL,
        last_updated="2016-07-05",
        structure=[Span("paragraph", 0, 18), Span("paragraph", 19, 29)],
    )


def frus(number: str | None = "12", pages: str | None = None) -> Document:
    url = "https://history.state.gov/historicaldocuments/frus1936v03/d12" if number else \
        "https://history.state.gov/historicaldocuments/frus1936v03/pg_697"
    return Document(
        id="frus1936v03/d12" if number else "frus1936v03/pg_697",
        collection="frus1936v03",
        text="Sir: The receipt is acknowledged of your telegram.",
        title="The Secretary of State to the Chargé in France (Marriner)",
        language="en",
        date=DocDate("1936-02-13", "1936-02-13", "day", "February 13, 1936"),
        place="Washington",
        source=Source(
            text=None,
            editors=["Perkins, E. R."],
            title="Foreign Relations of the United States Diplomatic Papers, 1936, The Near East and Africa, "
            "Volume III",
            publisher="United States Government Printing Office",
            place="Washington",
            year=1953,
            pages=pages,
        ),
        url=url,
        metadata={
            "volume": "frus1936v03",
            "number": number,
            "series": "Foreign Relations of the United States Diplomatic Papers",
            "subseries": "1936",
            "volume_number": "Volume III",
            "volume_title": "Foreign Relations of the United States Diplomatic Papers, 1936, The Near East and Africa, "
            "Volume III",
            "archival_source": "711.90H/41",
            "pages": [pages.split("-")[0], pages.split("-")[1]] if pages else ["1"],
        },
    )


def speech(speaker: str | None = "Mr. DULLES") -> Document:
    md: dict = {"country": "USA", "session": 8, "year": 1953, "country_name": "United States"}
    if speaker:
        md["speaker"] = speaker
    return Document(
        id="ungdc/USA_08_1953",
        collection="ungdc",
        text="Mr. DULLES (United States of America): It is an honour for me to be with you again.",
        title="United States, session 8 (1953)",
        doc_type="speech",
        language="en",
        date=DocDate("1953-01-01", "1953-12-31", "year"),
        file=FileInfo("/corpus/ungdc-1946-2024.tar.xz!TXT/Session 08 - 1953/USA_08_1953.txt", "0" * 64, "text", 9),
        metadata=md,
        annotations=[Annotation("person", 4, 10, "DULLES", None, "test")],
    )


def bare() -> Document:
    return Document(
        id="misc/saar-memo",
        collection="misc",
        text="The Saar question must be settled before the treaties are ratified.",
        title="Memorandum on the Saar question",
        language="en",
        date=DocDate("1954-10-23", "1954-10-23", "day"),
        originator="Foreign Office",
    )
