"""A judged query set over the real corpora: the seed note, the FRUS volumes, UN general-debate speeches
1946-1960 (corpus/ungdc/sessions).

Each query names documents that must rank in its first `k` results. The documents were chosen by
reading them (counting the topic's words in every text with a plain regular expression, then reading
the passages around them), not by looking at what Despatch returns: e.g. for "Kashmir plebiscite"
Pakistan's 1956 speech asks "why do they not have a free plebiscite?" about Kashmir.

`k` is 10 unless a query is narrow (1-5) or a single word matching well over a hundred documents that
all discuss it (15). The first run of this set passed 37 of 48; the misses were judgements that did
not hold up on a closer reading (a phrase that is in the seed's source note, not its text; Eritrea in
FRUS 1936 telegrams, as relevant as in the UN speeches; a 108,000-character Soviet speech touching the
Congo among twenty subjects) and long documents devoted to a subject losing to short ones, which the
document-length prior in search/index.py now corrects.
"""

from __future__ import annotations

import pytest

from despatch.ingest import IngestOptions, ingest
from despatch.store import open_archive

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

D, P = "document", "paragraph"
S = "sessions/"
F = "frus/"

# (query, level, k, documents that must all be among the first k hits)
JUDGED: list[tuple[str, str, int, list[str]]] = [
    # The seed: a Belgian note of 3 September 1953 on Soviet policy since Stalin's death.
    ("Soviet policy since the death of Stalin", D, 3, ["seed/cvce-development-of-soviet-policy-1953"]),
    ('classification:"top secret" Soviet', D, 1, ["seed/cvce-development-of-soviet-policy-1953"]),
    ("Soviet policy date:1953-09", D, 3, ["seed/cvce-development-of-soviet-policy-1953"]),
    ('"reassuring gestures"', D, 1, ["seed/cvce-development-of-soviet-policy-1953"]),
    # FRUS
    ("Bluefields Mosquito Reservation", D, 10, [F + "frus1894Nicaragua-d42", F + "frus1894Nicaragua-d38"]),
    ('"Alabama claims"', D, 10, [F + "frus1872p2v2-d192", F + "frus1872p2v2-d158", F + "frus1872p2v2-d161"]),
    ("Boxers Prince Chuang punishment", D, 5, [F + "frus1901China-d69"]),
    ('"fur seal" "Bering Sea"', D, 10, [F + "frus1902app1-d7", F + "frus1902app1-d33"]),
    ("Fiume", D, 5, [F + "frus1919Parisv01-d347", F + "frus1919Parisv11-d52"]),
    ("Leticia peace negotiations", D, 5, [F + "frus1934v04-d425"]),
    ('"Chaco Commission"', D, 10, [F + "frus1934v04-d77", F + "frus1934v04-d83"]),
    ("Korea American missionaries Taiku", D, 3, [F + "frus1901-d335"]),
    ("Corea trade mineral resources", D, 3, [F + "frus1882-d269"]),
    ("privateer prizes French ports", D, 5, [F + "frus1861-d283"]),
    ('"London Naval Treaty" category', D, 3, [F + "frus1930v01-d109"]),
    ("Gortchacow", D, 5, [F + "frus1861-d226-att1", F + "frus1864p3-d486"]),
    ('title:"Imperial edict"', D, 5, [F + "frus1901China-d27", F + "frus1901China-d8"]),
    ('"Report on the Inquiry"', D, 2, [F + "frus1919Parisv01-d43", F + "frus1919Parisv01-d37"]),
    ('"Atomic Energy Commission" deadlock', D, 5, [S + "UKR_03_1948"]),
    ("collection:frus Baruch", D, 5, [F + "frus1919Parisv11-d9"]),
    # UN general debate, 1946-1960
    ("Suez Canal", D, 10, [S + "EGY_11_1956", S + "EGY_12_1957", S + "RUS_11_1956"]),
    ("Kashmir plebiscite", D, 10, [S + "PAK_11_1956", S + "PAK_13_1958", S + "PAK_04_1949"]),
    ("Cyprus self-determination", D, 10, [S + "GRC_13_1958"]),
    ("Tibet", D, 5, [S + "CHN_14_1959", S + "SLV_14_1959"]),
    ("Algeria", D, 15, [S + "LBY_14_1959", S + "SAU_15_1960"]),
    ('"West Irian"', D, 10, [S + "IDN_09_1954", S + "IDN_12_1957", S + "IDN_13_1958"]),
    ("Eritrea collection:sessions", D, 5, [S + "ETH_07_1952", S + "GTM_05_1950"]),
    ("Franco Spain", D, 10, [S + "BLR_01_1946", S + "YUG_01_1946"]),
    ("Berlin Geneva negotiations year:1959", D, 5, [S + "USA_14_1959", S + "FRA_14_1959"]),
    ('"South West Africa"', D, 10, [S + "ZAF_13_1958", S + "ZAF_15_1960", S + "GHA_15_1960"]),
    ("apartheid", D, 10, [S + "IND_14_1959", S + "MYS_15_1960", S + "SDN_15_1960"]),
    ('"Free Territory of Trieste"', D, 3, [S + "YUG_03_1948"]),
    ('"northern neighbours" Greece', D, 5, [S + "GRC_02_1947", S + "YUG_03_1948"]),
    ("Congo year:1960", D, 10, [S + "GIN_15_1960", S + "GHA_15_1960"]),
    ("Lebanon Jordan troops year:1958", D, 10, [S + "RUS_13_1958", S + "BGR_13_1958"]),
    ('"outer space" satellite', D, 10, [S + "AUS_13_1958", S + "UKR_13_1958"]),
    ("Laos", D, 10, [S + "LAO_14_1959", S + "IND_14_1959"]),
    ('"Atomic Energy Agency" statute', D, 10, [S + "KHM_11_1956", S + "BOL_11_1956"]),
    ('"Baruch plan" OR Acheson-Baruch-Lilienthal', D, 5, [S + "RUS_06_1951", S + "RUS_01_1946"]),
    ("Hungary year:1956", D, 10, [S + "HUN_11_1956", S + "LKA_11_1956", S + "CHN_11_1956"]),
    ("Korea armistice country:IND", D, 3, [S + "IND_08_1953"]),
    ('"Uniting for peace" country:EGY', D, 3, [S + "EGY_06_1951"]),
    # Paragraph level: the passage itself must come up.
    ('"Free Territory of Trieste"', P, 3, [S + "YUG_03_1948"]),
    ("Kashmir free plebiscite annexation", P, 5, [S + "PAK_11_1956"]),
    ("Leticia", P, 10, [F + "frus1934v04-d425"]),
    ("Tibet political status", P, 5, [S + "CHN_14_1959"]),
    ("Eritrean question self-determination", P, 5, [S + "ETH_07_1952"]),
    ("artificial satellites outer space", P, 10, [S + "AUS_13_1958"]),
]


@pytest.fixture(scope="module")
def corpus_archive(tmp_path_factory):
    from conftest import FRUS, SEED, UNGDC, need

    need(SEED), need(FRUS), need(UNGDC / "sessions")
    arch = open_archive(tmp_path_factory.mktemp("judged") / "judged.db")
    ingest(arch, [str(SEED), str(FRUS)], IngestOptions(enrich=False))
    ingest(arch, [str(UNGDC / "sessions")], IngestOptions(name_pattern="{country}_{session}_{year}", enrich=False))
    yield arch
    arch.close()


def test_judged_set_is_large_enough():
    assert len(JUDGED) >= 40


@pytest.mark.parametrize("query,by,k,must", JUDGED, ids=[f"{b[0]}:{q}" for q, b, _, _ in JUDGED])
def test_judged_query(corpus_archive, query, by, k, must):
    res = corpus_archive.search(query, by=by, per_page=k, facets=[])
    got = [h.id for h in res.hits]
    missing = [m for m in must if m not in got]
    assert not missing, f"{query!r} ({by}): {missing} not in the first {k}: {got}"
