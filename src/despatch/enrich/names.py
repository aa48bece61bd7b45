"""Word lists for finding people in diplomatic prose: titles, given names, name particles, well-known
statesmen, and capitalised words that look like names but are not.

The statesmen list is a small authority list of its own: leaders so often named by surname alone
("the death of Stalin") that no pattern would find them. A collection's own authority list (FRUS
persons, `despatch authority import`) extends it.
"""

from __future__ import annotations

# Titles and ranks written before a name; "Mr." and its kin are the commonest signal in the corpus.
TITLES = [
    "Mr", "Mrs", "Messrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Hon", "Honorable", "Honourable",
    "General", "Gen", "Lieutenant General", "Major General", "Brigadier General", "Admiral", "Adm", "Rear Admiral",
    "Vice Admiral", "Commodore", "Colonel", "Col", "Lieutenant Colonel", "Captain", "Capt", "Major", "Maj",
    "Lieutenant", "Lt", "Commander", "Comdr", "Marshal", "Field Marshal", "Sergeant", "Ensign",
    "President", "Vice President", "Vice-President", "Premier", "Prime Minister", "Chancellor", "Senator",
    "Representative", "Congressman", "Governor", "Ambassador", "Minister", "Consul", "Consul General",
    "Vice Consul", "Secretary", "Under Secretary", "Assistant Secretary", "Chargé", "Judge", "Justice",
    "Chief Justice", "Baron", "Baroness", "Count", "Countess", "Prince", "Princess", "King", "Queen", "Emperor",
    "Empress", "Duke", "Duchess", "Marquis", "Marquess", "Marchioness", "Viscount", "Earl", "Archduke",
    "Grand Duke", "Czar", "Tsar", "Kaiser", "Mikado", "Shah", "Sultan", "Khedive", "Emir", "Amir", "Sheikh",
    "Sheik", "Pasha", "Bey", "Effendi", "Maharaja", "Rajah", "Nawab", "Viceroy",
    "Señor", "Senor", "Señora", "Don", "Doña", "Dom", "Herr", "Frau", "Monsieur", "M", "MM", "Mme", "Mlle",
    "Madame", "Signor", "Signore", "Comrade", "Marshal", "Generalissimo", "Bishop", "Archbishop", "Cardinal",
    "Pope", "Father", "Rev", "Reverend", "Professor", "Prof", "Doctor", "Dean", "Mayor", "Chairman",
    "Pandit", "Mahatma", "Chief", "Dictator", "Foreign Minister", "Foreign Secretary", "Secretary of State",
    # Plural and foreign forms before a list of names or a name: "Ministers Bissolati and Berenini",
    # "Deputy Alessio", "Dott. Antonio Grossich", "Monsignor Cerretti".
    "Deputy", "Ministers", "Captains", "Lieutenants", "Generals", "Senators", "Professors", "Dott", "Avv", "Ing",
    "Monsignor", "Mgr", "Msgr", "Signori", "Herren", "Messieurs", "Colonels", "Admirals",
]

# Capitalised words that follow a title but are not names ("General Assembly", "Secretary General").
NOT_NAMES = {
    "Assembly", "Staff", "Government", "Governments", "Committee", "Council", "Conference", "Department",
    "Secretary", "Secretariat", "Treaty", "Act", "Convention", "Agreement", "Court", "Consul", "Minister",
    "Ministers", "Ministry", "Republic", "States", "State", "Embassy", "Legation", "Office", "General",
    "Generals", "Plenipotentiary", "Plenipotentiaries", "Delegation", "Delegate", "Delegates", "Commission",
    "Commissioner", "Commissioners", "Congress", "Senate", "House", "Chamber", "Cabinet", "Party", "Parliament",
    "Army", "Navy", "Forces", "Force", "Headquarters", "Command", "Post", "Resolution", "Charter", "Note",
    "Notes", "Memorandum", "Message", "Despatch", "Dispatch", "Telegram", "Letter", "No", "Nos", "Doc",
    "Document", "Annex", "Article", "Articles", "Chapter", "Section", "Paragraph", "The", "A", "An", "And",
    "Of", "In", "On", "At", "To", "For", "By", "With", "From", "His", "Her", "Their", "Its", "My", "Our",
    "Your", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "You", "Excellency",
    "Excellencies", "Majesty", "Highness", "Holiness", "Lordship", "Sir", "Madam", "President", "Presidents",
    "Chairman", "Speaker", "Vice", "Deputy", "Acting", "Ad", "Interim", "Foreign", "Affairs", "Prime", "Chief",
    "Mission", "Missions", "Consulate", "Consular", "Administration", "Bureau", "Board", "Service", "Services",
    "Union", "Nations", "Nation", "Kingdom", "Empire", "Commonwealth", "Federation", "Confederation",
    "Organization", "Organisation", "Agency", "Bank", "Fund", "Program", "Programme", "Plan", "Doctrine",
    "Islands", "Island", "Canal", "River", "Street", "Avenue", "Square", "Palace", "Hall", "Hotel", "Station",
    "Line", "Zone", "Territory", "Province", "Provinces", "District", "County", "City", "Day", "Week", "Year",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Christmas", "Easter", "Allied", "Allies", "Associated", "Powers", "Power", "Great", "Supreme", "Central",
    "National", "International", "Imperial", "Royal", "Federal", "Provisional", "Military", "Naval", "Political",
    "Economic", "Financial", "Special", "Joint", "Permanent", "Executive", "Legislative", "Judicial", "Senior",
    "Junior", "Regent", "Please", "Yes", "Not", "All", "None", "Very", "Most", "Also", "Both", "Each", "What",
    "Where", "When", "Who", "Whom", "How", "Why", "Which", "Did", "Do", "Does", "Was", "Were", "Is", "Are", "Have",
    "Had", "File", "Translation", "Remarks", "Q", "Ship", "Saw", "Took", "Employed", "Lat", "Inclosure",
    "Enclosure", "Exhibit", "Received", "Sent", "Paraphrase", "Signed", "Sic", "Ibid", "Ib", "See",
    "Cf", "Vol", "Page", "Italian", "French", "German", "British", "English", "American", "Russian", "Spanish",
    "Chinese", "Japanese", "Soviet", "Turkish", "Austrian", "Belgian", "Dutch", "Swiss", "Mexican", "Cuban",
    "Wind", "Weather", "Light", "Strong", "Fresh", "Heavy", "Commenced", "Later", "Steering", "Sail", "Latitude",
    "Longitude", "Mass", "Cal", "Wash", "Sworn", "Subscribed", "Before", "After", "Clerk",
    "Esq", "Art", "Treatise", "Lord", "Nineteen", "Eighteen", "Hundred", "Thousand", "Seventeen", "Hsien", "Fu",
    "Chou", "Shan", "Kiang", "Chow", "Sound", "Bay", "Gulf",
    "Strait", "Straits", "Harbor", "Harbour", "Point", "Commanding", "Envoy", "Extraordinary", "Papers", "Hon",
    "About", "There", "Then", "Supra", "Master", "Right", "Company", "Claims", "Trade", "Repeated",
    # Adjectives and abbreviations that follow a title or initials, or stand alone at a line's end.
    "European", "Europeans", "Asian", "African", "Arab", "Latin", "Western", "Eastern", "Northern", "Southern",
    "West", "East", "North", "South", "Christian", "Catholic", "Protestant", "Moslem", "Muslim", "Islamic",
    "Communist", "Communists", "Socialist", "Democratic", "Atlantic", "Pacific", "Ambassador", "Ambassadors",
    "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Assembly's", "Organization's",
    "Reply", "Counselor", "Counsellor", "Solicitor", "Assistant", "Resident",
}

# Given names common in 19th–20th-century diplomatic records (English, French, German, Spanish, Italian, Russian).
GIVEN_NAMES = set(
    """Aaron Abraham Adam Adolf Adolph Adolfo Adrian Albert Alberto Alexander Alexandre Alexis Alfonso Alfred Alfredo
    Allen Alphonse Alvey Ambrose Amos Andrei Andrew Andrés André Andreas Anthony Antoine Anton Antonio Aristide
    Arnold Arthur Augusto August Augustus Avery Axel Benjamin Benito Bernard Bernhard Boris Breckinridge Bruce
    Calvin Carl Carlos Caspar Cecil Cesar César Charles Chester Christian Christopher Claude Clement Clifford
    Cordell Cornelius Cyrus Dan Daniel David Dean Dmitri Dmitry Domingo Dwight Earl Edgar Edmund Edouard Édouard
    Edward Edwin Eduard Eduardo Elihu Elbridge Emile Émile Emilio Enrique Ernest Ernesto Ernst Erich Eugene Eugène
    Evgeny Felix Félix Ferdinand Fernando Francis Francisco Franklin Frank Franz Frederic Frederick Friedrich
    Gabriel Gaston George Georges Georgi Georgy Gerald Gerhard Gilbert Giovanni Giuseppe Gottlieb Gustav Gustave
    Hamilton Hans Harold Harry Heinrich Henri Henry Herbert Herman Hermann Hjalmar Horace Howard Hugh Hugo Ignacio
    Ivan Jacob Jacques James Jan Jean Jerome Joachim Joaquín Joaquin Johann Johannes John Jonathan José Jose Joseph
    Josef Juan Jules Julian Julio Julius Karl Kenneth Klement Konrad Konstantin Lavrenty Lawrence Leon Léon Leonid
    Leopold Lewis Lord Louis Lucius Ludwig Luigi Luis Manuel Marcel Marco Marcus Mario Mark Martin Matthew Maurice
    Max Maxim Maximilian Michael Miguel Mikhail Myron Napoleon Nathan Nelson Nicholas Nicolas Nikita Nikolai
    Norman Oliver Orville Oscar Otto Pablo Patrick Paul Pedro Per Peter Philip Philippe Pierre Pietro Rafael
    Ralph Ramón Ramon Raymond Reginald René Rene Richard Robert Roberto Roger Roland Ronald Rudolf Rudolph Rufus
    Salvador Samuel Sergei Sergey Sidney Simon Stanley Stephen Sumner Theodore Thomas Tomás Ulysses Umberto
    Valentin Viktor Victor Vincent Vittorio Vladimir Vyacheslav Walter Warren Wilhelm Willard William Willy
    Winston Woodrow Yakov Zachary Abby Ada Alice Anna Anne Catherine Charlotte Clara Dorothy Edith Eleanor Elizabeth
    Emma Eva Florence Frances Grace Golda Helen Indira Jane Jeane Julia Katharine Louise Margaret Maria Marie Mary
    Matilda Nina Ruth Sarah Victoria Benazir Kofi Boutros Javier Trygve Dag Kurt Ban Hamid Gamal Anwar Jawaharlal
    Ahmed Ahmad Mohammed Muhammad Mohamed Ali Hassan Hussein Abdul Abdullah Faisal Ibrahim Mahmoud Mustafa Kemal
    Ismail Youssef Yusuf Chou Sun Chiang Wang Li Zhou Deng Kim Ngo Nguyen Sukarno Jomo Kwame Julius Patrice
    Habib Haile Menachem Yitzhak Shimon Moshe Levi Chaim Yasser Fidel Raúl Raul Augusto Juscelino Getúlio
    Getulio Lázaro Lazaro Porfirio Venustiano Álvaro Alvaro Plutarco Emiliano Francisco Anastasio Rafael Fulgencio
    Thos Wm Chas Geo Jas Jno Saml Benj Robt Edw Richd Thom Alex Fred Fredk
    Abbott Alan Alvin Anson Archibald Arturo Asa Augustin Augustine Baldwin Bartholomew Bertrand Bradford Brand
    Carlo Carroll Cesare Charlton Christopher Clarence Claudio Clinton Conrad Curtis Cyril Dario Dewitt DeWitt Dudley
    Ebenezer Edoardo Eliot Elliot Elmer Emanuel Emmanuel Enrico Ephraim Erasmus Ernesto Ettore Ezra Federico Filippo
    Francesco Frederik Gaetano Gerard Gideon Gilbert Giulio Giorgio Gordon Gregory Guglielmo Guido Gustavo Harvey
    Henrik Hiram Horatio Ira Irving Isaac Isaiah Isidor Isidore Jared Jeremiah Jesse Joel Josephus Josiah Julien
    Kermit Lamar Leland Leonard Leonardo Lionel Lorenzo Luciano Lucien Luther Lyman Manfred Marcellus Matthias
    Milton Mortimer Moses Nathaniel Nicola Nikolaus Noah Orazio Oswald Pellegrino Percival Percy Philander Pieter
    Pompeo Preston Quincy Reuben Riccardo Rodolfo Roland Romolo Russell Salvatore Sebastian Seth Sigmund Silas
    Stanislas Stanislaw Stefan Stephan Sylvester Thaddeus Timothy Tobias Ugo Vicente Vittorio Wallace Wayne Wendell
    Wilbur Wilfred Willis Wolfgang Zygmunt Antonín Tomáš Edvard Jan Józef Ignacy Roman Władysław Eleftherios
    Dimitrios Nikola Nikolai Milenko Ante Ivo Take Ion Ionel Constantin Mihail Alexandru Béla Mihály Gyula Aleksandr
    Pavel Pyotr Sergius Vasily Vasili Yevgeny Boghos Avetis Emir Hussein Mirza Nubar Sadao Kikujiro Nobuaki Kimmochi
    Keishiro Lou Wellington Alfonso Epitácio Epitacio Ruy Rui Afrânio Pandiá Domício""".split()
)

# Particles inside names: "A. G. de Lapradelle", "Dupuy de Lôme", "van Karnebeek", "von Bülow".
PARTICLES = ["de", "de la", "del", "della", "di", "da", "dos", "das", "du", "van", "van der", "von", "von der",
             "y", "e", "le", "la", "ten", "ter", "al", "el", "ibn", "bin", "ben", "Mac", "St."]

# Leaders named by surname alone in the documents: surname (as written) → normalised full name.
STATESMEN: dict[str, str] = {
    "Stalin": "Joseph Stalin", "Malenkov": "Georgy Malenkov", "Bulganin": "Nikolai Bulganin",
    "Molotov": "Vyacheslav Molotov", "Khrushchev": "Nikita Khrushchev", "Khrushchov": "Nikita Khrushchev",
    "Beria": "Lavrenty Beria", "Lenin": "Vladimir Lenin", "Trotsky": "Leon Trotsky", "Vyshinsky": "Andrei Vyshinsky",
    "Gromyko": "Andrei Gromyko", "Zhukov": "Georgy Zhukov", "Mikoyan": "Anastas Mikoyan",
    "Kaganovich": "Lazar Kaganovich", "Voroshilov": "Kliment Voroshilov", "Brezhnev": "Leonid Brezhnev",
    "Kosygin": "Alexei Kosygin", "Andropov": "Yuri Andropov", "Chernenko": "Konstantin Chernenko",
    "Gorbachev": "Mikhail Gorbachev", "Yeltsin": "Boris Yeltsin", "Putin": "Vladimir Putin",
    "Shevardnadze": "Eduard Shevardnadze", "Litvinov": "Maxim Litvinov", "Chicherin": "Georgy Chicherin",
    "Tito": "Josip Broz Tito", "Hitler": "Adolf Hitler", "Mussolini": "Benito Mussolini", "Franco": "Francisco Franco",
    "Salazar": "António de Oliveira Salazar", "Churchill": "Winston Churchill", "Attlee": "Clement Attlee",
    "Bevin": "Ernest Bevin", "Eden": "Anthony Eden", "Macmillan": "Harold Macmillan",
    "Chamberlain": "Neville Chamberlain",
    "Thatcher": "Margaret Thatcher", "Truman": "Harry S. Truman", "Eisenhower": "Dwight D. Eisenhower",
    "Dulles": "John Foster Dulles", "Acheson": "Dean Acheson", "Kennedy": "John F. Kennedy", "Nixon": "Richard Nixon",
    "Kissinger": "Henry Kissinger", "Reagan": "Ronald Reagan", "Roosevelt": "Franklin D. Roosevelt",
    "Adenauer": "Konrad Adenauer", "Ulbricht": "Walter Ulbricht", "Honecker": "Erich Honecker",
    "Brandt": "Willy Brandt",
    "De Gaulle": "Charles de Gaulle", "de Gaulle": "Charles de Gaulle", "Bidault": "Georges Bidault",
    "Schuman": "Robert Schuman", "Monnet": "Jean Monnet", "Spaak": "Paul-Henri Spaak", "Pleven": "René Pleven",
    "Mendès France": "Pierre Mendès France", "Mendès-France": "Pierre Mendès France", "Gasperi": "Alcide De Gasperi",
    "Mao": "Mao Zedong", "Mao Tse-tung": "Mao Zedong", "Mao Zedong": "Mao Zedong", "Chou En-lai": "Zhou Enlai",
    "Zhou Enlai": "Zhou Enlai", "Chiang Kai-shek": "Chiang Kai-shek", "Nehru": "Jawaharlal Nehru", "Gandhi": "Gandhi",
    "Nasser": "Gamal Abdel Nasser", "Sadat": "Anwar Sadat", "Ben-Gurion": "David Ben-Gurion", "Sukarno": "Sukarno",
    "Suharto": "Suharto", "Ho Chi Minh": "Ho Chi Minh", "Castro": "Fidel Castro", "Mossadegh": "Mohammad Mosaddegh",
    "Mosaddegh": "Mohammad Mosaddegh", "Mossadeq": "Mohammad Mosaddegh", "Khomeini": "Ruhollah Khomeini",
    "Hammarskjöld": "Dag Hammarskjöld", "Hammarskjold": "Dag Hammarskjöld", "Waldheim": "Kurt Waldheim",
    "Mandela": "Nelson Mandela", "Arafat": "Yasser Arafat", "Gomulka": "Władysław Gomułka",
    "Gomułka": "Władysław Gomułka",
    "Nagy": "Imre Nagy", "Rákosi": "Mátyás Rákosi", "Rakosi": "Mátyás Rákosi", "Gottwald": "Klement Gottwald",
    "Dimitrov": "Georgi Dimitrov", "Ceausescu": "Nicolae Ceaușescu", "Ceaușescu": "Nicolae Ceaușescu",
    "Bismarck": "Otto von Bismarck", "Napoleon": "Napoleon", "Clemenceau": "Georges Clemenceau",
    "Lloyd George": "David Lloyd George", "Poincaré": "Raymond Poincaré", "Briand": "Aristide Briand",
    "Stresemann": "Gustav Stresemann", "Lincoln": "Abraham Lincoln", "Bolívar": "Simón Bolívar",
    "Syngman Rhee": "Syngman Rhee", "Rhee": "Syngman Rhee", "Kim Il Sung": "Kim Il Sung", "Kim Il-sung": "Kim Il Sung",
    "Ngo Dinh Diem": "Ngo Dinh Diem", "Diem": "Ngo Dinh Diem", "Nkrumah": "Kwame Nkrumah", "Lumumba": "Patrice Lumumba",
    "Tshombe": "Moise Tshombe", "Haile Selassie": "Haile Selassie", "Mobutu": "Mobutu Sese Seko",
    "Kenyatta": "Jomo Kenyatta", "Nyerere": "Julius Nyerere", "Qaddafi": "Muammar Gaddafi",
    "Gaddafi": "Muammar Gaddafi",
    "Perón": "Juan Perón", "Peron": "Juan Perón", "Somoza": "Anastasio Somoza", "Trujillo": "Rafael Trujillo",
    "Batista": "Fulgencio Batista", "Allende": "Salvador Allende", "Pinochet": "Augusto Pinochet",
    "Kádár": "János Kádár", "Kadar": "János Kádár", "Dubček": "Alexander Dubček", "Dubcek": "Alexander Dubček",
    "Tojo": "Hideki Tojo", "Hirohito": "Hirohito", "Yoshida": "Shigeru Yoshida", "Ataturk": "Mustafa Kemal Atatürk",
    "Atatürk": "Mustafa Kemal Atatürk", "Quisling": "Vidkun Quisling", "Pétain": "Philippe Pétain",
    "Petain": "Philippe Pétain",
    "Hammarskjöld's": "Dag Hammarskjöld", "U Thant": "U Thant", "Pérez de Cuéllar": "Javier Pérez de Cuéllar",
    "Boutros-Ghali": "Boutros Boutros-Ghali", "Kofi Annan": "Kofi Annan", "Annan": "Kofi Annan",
    "Ban Ki-moon": "Ban Ki-moon", "Guterres": "António Guterres", "Trygve Lie": "Trygve Lie",
}
