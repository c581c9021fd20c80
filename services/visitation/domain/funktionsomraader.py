"""Function areas assessed by the visitator and the levels they are scored on.

The area codes follow the municipality's Fælles Sprog catalogue as in the seed documents
(Herlev: B1-1 … B1-17 activities, B2-1/B2-2 mental and physical state). Levels 0-4 are the
national scale; 9 means "ikke relevant".
"""

FUNKTIONSOMRAADER: dict[str, str] = {
    "B1-1": "At spise",
    "B1-2": "At drikke",
    "B1-3": "At bade",
    "B1-4": "At vaske sig",
    "B1-5": "At pleje kroppen",
    "B1-6": "At klæde sig af og på",
    "B1-7": "Toiletbesøg",
    "B1-8": "At færdes i egen bolig",
    "B1-9": "At sikre indkøb af hverdagens varer",
    "B1-10": "At lave mad",
    "B1-11": "At gøre rent",
    "B1-12": "At vaske tøj / linned",
    "B1-13": "At færdes udendørs",
    "B1-14": "At anvende kollektive transportmidler",
    "B1-15": "At flytte sig",
    "B1-16": "At forebygge forværring af sygdom / tab af funktionsevne",
    "B1-17": "At sikre sammenhæng i hverdagens aktiviteter",
    "B2-1": "Mental tilstand",
    "B2-2": "Fysisk tilstand",
}

FUNKTIONSNIVEAUER: dict[int, str] = {
    0: "Ingen/ubetydelige begrænsninger",
    1: "Lette begrænsninger",
    2: "Moderate begrænsninger",
    3: "Svære begrænsninger",
    4: "Totale begrænsninger",
    9: "Ikke relevant",
}
