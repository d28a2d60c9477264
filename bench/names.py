"""Common first names and surnames in Flanders, for the benchmark's made-up clients (bench/generate.py).

Most frequent first within each list: the generator weights them by rank, so a search for "peeters"
finds many people and one for a rare name a few, as at a real desk. The first names come in three
generations (the names given around the client's birth year) and an international list, since many
of a digibank's clients were born elsewhere. Every person generated from them is fictional."""

from __future__ import annotations

# Born before about 1960.
FIRST_NAMES_OLDER = [
    "Maria", "Jozef", "Marcel", "Georges", "Roger", "Frans", "Godelieve", "Jeanine", "Simonne",
    "Albert", "André", "René", "Agnes", "Paula", "Rita", "Monique", "Willy", "Gilbert", "Lucien",
    "Christiane", "Denise", "Yvonne", "Germaine", "Liliane", "Raymond", "Julien", "Gustaaf", "Karel",
    "Rosa", "Martha", "Julia", "Irène", "Hélène", "Ghislaine", "Noël", "Leon", "Jean", "Paul",
    "Jacqueline", "Lutgarde", "Hubert", "Etienne", "Omer", "Mariette", "Gerard", "Alfons", "Walter",
    "Jozefa", "Elza", "Josée", "Thérèse", "Renée", "Désiré", "Michel", "Robert", "Odette", "Gisèle",
    "Suzanne", "Ludovicus", "Norbert", "Emiel", "Hilda", "Magda", "Lisette", "Roland", "Achiel",
]  # fmt: skip

# Born from about 1960 to 1985.
FIRST_NAMES_MIDDLE = [
    "Luc", "Marc", "Dirk", "Patrick", "Peter", "Johan", "Geert", "Koen", "Kris", "Filip", "Ann",
    "Hilde", "Katrien", "Veerle", "Nathalie", "Sabine", "Inge", "Els", "Kathleen", "Carine",
    "Martine", "Christine", "Brigitte", "Nancy", "Sandra", "Isabelle", "Véronique", "Sofie", "Karen",
    "Griet", "Liesbeth", "Tine", "Danny", "Eddy", "Rudi", "Erik", "Guido", "Bart", "Jan", "Pieter",
    "Wim", "Stijn", "Steven", "Kevin", "Tom", "Jeroen", "Wouter", "Joris", "Frederik", "Frédéric",
    "Sébastien", "Jérôme", "Benoît", "Cédric", "Michaël", "Raphaël", "Gaëlle", "Joëlle", "Michèle",
    "Cécile", "Danièle", "Ingrid", "Anja", "Greet", "Kristof", "Sven", "Yves", "Dieter", "Nele",
    "Evelien", "Sarah", "An", "Lies", "Hans", "Benny", "Vanessa", "Tamara", "Ellen", "Annelies",
]  # fmt: skip

# Born after about 1985.
FIRST_NAMES_YOUNGER = [
    "Lotte", "Emma", "Noor", "Lore", "Fien", "Ine", "Jana", "Lisa", "Laura", "Elise", "Hanne",
    "Marie", "Julie", "Charlotte", "Anouk", "Amber", "Jolien", "Zoë", "Chloé", "Léa", "Anaïs", "Inès",
    "Eloïse", "Maëlle", "Louise", "Ella", "Nina", "Lars", "Arne", "Jonas", "Ruben", "Thomas", "Simon",
    "Robbe", "Seppe", "Wout", "Jens", "Maarten", "Niels", "Lucas", "Louis", "Noah", "Mathis", "Milan",
    "Jasper", "Thibaut", "Senne", "Lander", "Kobe", "Matthias", "Brecht", "Gilles", "Loïc", "Mathéo",
    "Maxime", "Dries", "Femke", "Yana", "Kato", "Jarne",
]  # fmt: skip

# Of any age: born elsewhere, or to parents who were.
FIRST_NAMES_INTERNATIONAL = [
    "Mohamed", "Fatima", "Ahmed", "Youssef", "Khadija", "Omar", "Samira", "Ali", "Nadia", "Hassan",
    "Karim", "Aïcha", "Leila", "Amina", "Mehmet", "Ayşe", "Mustafa", "Zeynep", "Emre", "Elif", "Yusuf",
    "Meryem", "Ibrahim", "Hatice", "Bilal", "Yasmina", "Olena", "Andriy", "Oksana", "Piotr",
    "Katarzyna", "Tomasz", "Agnieszka", "Ion", "Elena", "Mariam", "Abdullah", "Dragan", "Ana", "Rachid",
]  # fmt: skip

SURNAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Hermans", "Aerts", "Michiels", "Lambrechts", "Vermeulen", "Pauwels",
    "Van Damme", "De Clercq", "Martens", "Smets", "Verstraete", "Desmet", "Claeys", "Stevens", "Cools",
    "Hendrickx", "Van de Velde", "Vandenberghe", "De Vos", "Segers", "Lemmens", "Coppens", "De Cock",
    "Thys", "Van den Broeck", "Verhoeven", "Verbeke", "Bogaerts", "Gielen", "Van Dyck", "Wuyts",
    "Declercq", "Geerts", "Verheyen", "Moens", "Vervoort", "Bosmans", "Van Hecke", "Vandamme",
    "De Backer", "Cuypers", "Luyten", "Van Looy", "De Wilde", "Verlinden", "Devos", "Van Acker", "Nys",
    "De Meyer", "Baert", "Dewulf", "Verschueren", "Janssen", "De Bruyne", "Hoste", "Vanhove",
    "Vercammen", "Van Hoof", "Vanderstraeten", "Van Roy", "Van Gool", "De Coninck", "Deprez",
    "Verbruggen", "Verhaeghe", "Vandevelde", "Vanhoutte", "Van Camp", "Van Aelst", "Van der Linden",
    "Vanden Berghe", "Vande Velde", "Vande Walle", "Van de Walle", "Van Impe", "De Keyser", "De Ridder",
    "De Groote", "De Mey", "D'Hondt", "D'Haese", "Vermeersch", "Pieters", "Theunis", "Van Rompuy",
    "De Graeve", "Ceulemans", "Van Gorp", "Van Hove", "Van Laere", "Tack", "Temmerman", "Schepens",
    "Van Mol", "Bracke", "De Pauw", "Dhaene", "Huysmans", "Heylen", "Van Herck", "Vanderlinden",
    "Van Riet", "Verhelst", "Vandekerckhove", "Van Houtte", "Coussement", "Callens", "Roels",
    "De Jonghe", "Vanneste", "Dierickx", "Bauwens", "Van Goethem", "De Bock", "Lievens",
    "Van Steenkiste", "Verbist", "Van Bael", "Sels", "Van Hulle", "Van Nuffel", "Verstraeten", "Meeus",
    "Van Raemdonck", "Nuyts", "Geeraerts", "Mortier", "Cornelis", "Van den Bossche", "Van den Eynde",
    "Van der Auwera", "Van Mechelen", "Boeckx", "Van Dessel", "Van Eyck", "Goethals", "Lauwers",
    "Sterckx", "Schoofs", "Wijns", "Engelen", "Vandeput", "Swinnen", "Vanhoof", "Jorissen", "Daems",
    "Lenaerts", "Bollen", "Vos", "Reynders", "Schepers", "Jansen", "Noël", "Gérard", "Lemaître",
    "Ducheyne", "Van Belle", "Van Wesemael", "Van Thillo", "Van Overmeire", "Van den Abeele",
    "Vander Elst", "Van der Heyden", "Van Daele", "Van de Voorde", "Vandewalle", "Vanderhaeghen",
    "Debaere", "Depoorter", "Demeyere", "Decock", "Dekeyser", "Deschepper", "Degraeve", "Vereecke",
    "Verschelde", "Verleye", "Vanhaecke", "Vyncke", "Beernaert", "Pattyn", "Soenens", "Ryckaert",
    "Van Hoecke", "De Vriendt", "Buyse", "Willaert", "Dewitte", "Lannoo", "Vanmeenen", "Coucke",
    "Vanhecke", "Goemaere", "Hanssens", "Gysels", "Verhulst", "Van Oost", "De Roeck", "Snoeck",
    "Bulckaen", "Vanlommel", "Vrancken", "Claessens", "Hoogmartens", "Vanoppen", "Indekeu", "Ramaekers",
    "Kenis", "Vandebroek", "Wouters-Peeters", "Dupont", "Leclercq", "Lejeune", "Simon", "Laurent",
    "Lambert", "Dumont", "Mathieu", "Hendrix", "Van Dingenen", "Van Hoeylandt", "Uyttendaele",
    "Haesaert", "Ghysels", "Van Lancker", "De Sutter", "De Waele", "De Muynck", "Van de Putte",
    "Van Steen", "Vanderheyden", "Van Beveren", "De Wolf", "Van Loo", "Pauwels-Smet", "Van Gucht",
    "Raes", "Baeten", "Van Ranst", "Wellens", "Adriaensen", "Van den Bergh", "Op de Beeck", "Ver Eecke",
    "'t Kindt", "Van Puyvelde", "El Amrani", "El Idrissi", "Benali",
    "Bouzid", "El Ouardi", "Ben Ahmed", "Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın",
    "Nowak", "Kowalski", "Kovalenko", "Shevchenko", "Bondarenko", "Popescu", "Ionescu", "Diallo",
    "Mukendi", "Nguyen", "Kabamba", "Hoxha", "Petrović", "Van Wassenhove", "De Laet", "Van Camp-Maes",
    "Wynants", "Van Assche", "Verdonck", "Sleeckx", "Goris", "Van Bogaert", "Verreydt", "Andries",
    "Van Dooren", "Brosens", "Van den Heuvel", "Van Ryckeghem", "Maenhout", "Mahieu", "Cauwenberghs",
]  # fmt: skip
