"""French for the season-running commands (seasons, rounds, sessions, poles, imports)."""

from __future__ import annotations

SEASON_FRENCH: dict[str, str] = {
    # timing exports
    "File read as": "Fichier lu comme",
    # commands and options
    "Seasons: create one, its scoring, its state (admins)": (
        "Saisons : en créer une, son barème, son état (admins)"
    ),
    "The calendar: add, edit or cancel a round (admins)": (
        "Le calendrier : ajouter, modifier ou annuler une manche (admins)"
    ),
    "Sessions of a round and their local start times (admins)": (
        "Les séances d'une manche et leurs heures locales de départ (admins)"
    ),
    "Pole positions without a timing file (admins)": (
        "Pole positions sans fichier de chronos (admins)"
    ),
    "Fastest laps without a timing file (admins)": (
        "Meilleurs tours en course sans fichier de chronos (admins)"
    ),
    "Create a season: rules, championships and circuits copied (previewed).": (
        "Créer une saison : règlement, championnats et circuits copiés (aperçu d'abord)."
    ),
    "the series, e.g. Porsche Carrera Cup France (a new name starts a new series)": (
        "la série, p. ex. Porsche Carrera Cup France (un nouveau nom crée une série)"
    ),
    "the season's year": "l'année de la saison",
    "its full name (default: year and series)": "son nom complet (par défaut : année et série)",
    "copy rules and championships from this season or template": (
        "copier règlement et championnats de cette saison ou de ce modèle"
    ),
    "The scoring in force: points, bonuses, championships.": (
        "Le barème en vigueur : points, bonus, championnats."
    ),
    "which season (default: the newest)": "quelle saison (par défaut : la plus récente)",
    "Where a season stands, or mark it provisional or final (previewed).": (
        "Où en est une saison, ou la déclarer provisoire ou définitive (aperçu d'abord)."
    ),
    "set provisional or final (leave empty to see where the season stands)": (
        "provisoire ou définitive (vide : voir où en est la saison)"
    ),
    "Add a round to the calendar, with its qualifying and races (previewed).": (
        "Ajouter une manche au calendrier, avec ses qualifications et courses (aperçu d'abord)."
    ),
    "where (known circuits fill in town, country and time zone)": (
        "où (un circuit connu donne ville, pays et fuseau horaire)"
    ),
    "first day, YYYY-MM-DD": "premier jour, AAAA-MM-JJ",
    "last day (default: the first)": "dernier jour (par défaut : le premier)",
    "round number (default: the next)": "numéro de manche (par défaut : la suivante)",
    "how many races (default 2)": "combien de courses (2 par défaut)",
    "the circuit's time zone if it is new, e.g. Europe/Paris": (
        "le fuseau horaire d'un nouveau circuit, p. ex. Europe/Paris"
    ),
    "Move a round, postpone it or put it back on (previewed).": (
        "Déplacer une manche, la reporter ou la rétablir (aperçu d'abord)."
    ),
    "which round": "quelle manche",
    "new first day, YYYY-MM-DD": "nouveau premier jour, AAAA-MM-JJ",
    "new last day": "nouveau dernier jour",
    "scheduled, postponed or cancelled": "prévue, reportée ou annulée",
    "shown in /calendar": "affiché dans /calendar",
    "Cancel a round: it stays in /calendar, marked cancelled (previewed).": (
        "Annuler une manche : elle reste dans /calendar, marquée annulée (aperçu d'abord)."
    ),
    "why (shown in /calendar)": "pourquoi (affiché dans /calendar)",
    "Add a session or set its day and local start time (previewed).": (
        "Ajouter une séance ou fixer son jour et son heure locale (aperçu d'abord)."
    ),
    "Q (qualifying) or R1, R2 …": "Q (qualifications) ou R1, R2 …",
    "the day, YYYY-MM-DD": "le jour, AAAA-MM-JJ",
    "local time at the circuit, HH:MM": "heure locale au circuit, HH:MM",
    "Record a race's pole (moves the pole bonus; previewed).": (
        "Enregistrer la pole d'une course (déplace le bonus ; aperçu d'abord)."
    ),
    "who took pole": "qui a fait la pole",
    "the pole lap, 1:43.768": "le tour de pole, 1:43.768",
    "Record a race's fastest lap (moves the bonus; previewed).": (
        "Enregistrer le meilleur tour d'une course (déplace le bonus ; aperçu d'abord)."
    ),
    "who set it": "qui l'a réalisé",
    "the lap, 1:27.512": "le tour, 1:27.512",
    "rounds entered: all (default), 3, or 1,2,5, or 3-6": (
        "manches disputées : all (par défaut), 3, ou 1,2,5, ou 3-6"
    ),
    "Withdraw a driver from the rest of the season; results so far stay (previewed).": (
        "Retirer un pilote pour la suite de la saison ; ses résultats restent (aperçu d'abord)."
    ),
    "the first round missed (default: the next one without results)": (
        "la première manche manquée (par défaut : la suivante sans résultat)"
    ),
    "scheduled": "prévue",
    "postponed": "reportée",
    "pole": "pole",
    "fastest lap": "meilleur tour",
    "edited": "modifiée",
    # answers
    "/round add for each round, then /entry add for each driver.": (
        "/round add pour chaque manche, puis /entry add pour chaque pilote."
    ),
    "A round has 1 to {n} races.": "Une manche compte de 1 à {n} courses.",
    "A round lasts a week at most.": "Une manche dure une semaine au plus.",
    "A round number is 1 to {n}.": "Un numéro de manche va de 1 à {n}.",
    "A season has {n} rounds at most.": "Une saison compte {n} manches au plus.",
    "A season is already called {name}.": "Une saison s'appelle déjà {name}.",
    "A session is Q or R1 to R9.": "Une séance est Q ou R1 à R9.",
    "Creating a season cannot be undone; a season with no round stays out of fans' way.": (
        "La création d'une saison ne s'annule pas ; une saison sans manche reste invisible "
        "des fans."
    ),
    "Give the series a name with letters or digits.": (
        "Donnez à la série un nom avec des lettres ou des chiffres."
    ),
    "Pick provisional or final.": "Choisissez provisoire ou définitif.",
    "Pick scheduled, postponed or cancelled.": "Choisissez prévue, reportée ou annulée.",
    "Preview — create {season}": "Aperçu — créer {season}",
    "Round {n} has no time zone: set it with /round add … timezone, or leave the start time out.": (
        "La manche {n} n'a pas de fuseau horaire : indiquez-le avec /round add … timezone, ou "
        "omettez l'heure."
    ),
    "Round {n} has results now: remove those first.": (
        "La manche {n} a maintenant des résultats : retirez-les d'abord."
    ),
    "Round {n} has results: a round that was run cannot be cancelled.": (
        "La manche {n} a des résultats : une manche disputée ne peut pas être annulée."
    ),
    "Rounds are numbers: e.g. 1,2,5 or 3-6 or all.": (
        "Les manches sont des numéros : p. ex. 1,2,5 ou 3-6 ou all."
    ),
    "Say which race's grid this qualifying sets: {choices}.": (
        "Dites de quelle course ces qualifications font la grille : {choices}."
    ),
    "Say which season or template to copy the rules from: {choices}.": (
        "Dites de quelle saison ou de quel modèle copier le règlement : {choices}."
    ),
    "Scoring": "Barème",
    "Series {series}, {year}: rules and championships copied from {source}. Nothing has "
    "changed yet.": (
        "Série {series}, {year} : règlement et championnats copiés de {source}. Rien n'a "
        "encore changé."
    ),
    "Status: {status}": "État : {status}",
    "That season was created meanwhile.": "Cette saison a été créée entre-temps.",
    "That session has results now: remove those first.": (
        "Cette séance a maintenant des résultats : retirez-les d'abord."
    ),
    "The round cannot end before it starts.": "La manche ne peut pas finir avant de commencer.",
    "create {season}": "créer {season}",
    "qualifying for {race}: pole {driver}, {n} cars on the grid": (
        "qualifications pour {race} : pole {driver}, {n} voitures sur la grille"
    ),
    "remove round {n}": "retirer la manche {n}",
    "remove {code} of round {n}": "retirer {code} de la manche {n}",
    "restore the earlier qualifying of {race}": "rétablir les qualifications précédentes de {race}",
    "round {n} ({circuit}): {what}": "manche {n} ({circuit}) : {what}",
    "round {n}: {where}, {start} to {end}, {races} race(s){zone}": (
        "manche {n} : {where}, du {start} au {end}, {races} course(s){zone}"
    ),
    "to come": "à venir",
    "{date} is not a date: use YYYY-MM-DD, e.g. 2027-04-24.": (
        "{date} n'est pas une date : utilisez AAAA-MM-JJ, p. ex. 2027-04-24."
    ),
    "{date} is outside round {n} ({start} to {end}).": (
        "{date} est hors de la manche {n} (du {start} au {end})."
    ),
    "{driver} has results in round {n}: those stay; withdraw from later rounds only.": (
        "{driver} a des résultats dans la manche {n} : ils restent ; retrait des manches "
        "suivantes seulement."
    ),
    "{driver}: rounds {rounds}": "{driver} : manches {rounds}",
    "{n} entries": "{n} engagés",
    "{place} {code}: {when}": "{place} {code} : {when}",
    "{poles} pole(s) and {laps} fastest lap(s) recorded": (
        "{poles} pole(s) et {laps} meilleur(s) tour(s) enregistré(s)"
    ),
    "{race}: {what} {driver}": "{race} : {what} {driver}",
    "{rounds} round(s) ({cancelled} cancelled), {races} race(s), {run} with results": (
        "{rounds} manche(s) ({cancelled} annulée(s)), {races} course(s), {run} avec résultats"
    ),
    "{season} already has a round {n}.": "{season} a déjà une manche {n}.",
    "{season} has no result yet.": "{season} n'a pas encore de résultat.",
    "{season} has no result yet. The last final table is {previous}'s: /standings "
    "season:{previous}": (
        "{season} n'a pas encore de résultat. Le dernier classement final est celui de "
        "{previous} : /standings season:{previous}"
    ),
    "{season} has no round {n}.": "{season} n'a pas de manche {n}.",
    "{season} is already {status}.": "{season} est déjà {status}.",
    "{season} is now {status}": "{season} est maintenant {status}",
    "{season} — scoring": "{season} — barème",
    "{season} — status": "{season} — état",
    "{series} already has a {year} season.": "{series} a déjà une saison {year}.",
    "{time} is not a time of day: use HH:MM, e.g. 14:30.": (
        "{time} n'est pas une heure : utilisez HH:MM, p. ex. 14:30."
    ),
    "{year} is not a season year.": "{year} n'est pas une année de saison.",
    "{zone} is not a time zone: use a name like Europe/Paris.": (
        "{zone} n'est pas un fuseau horaire : utilisez un nom comme Europe/Paris."
    ),
}

SEASON_NAMES: dict[str, str] = {
    "round": "manche",
    "session": "seance",
    "pole": "pole",
    "fastest-lap": "meilleur-tour",
    "create": "creer",
    "rules": "bareme",
    "cancel": "annuler",
    "withdraw": "retirer",
    "series": "serie",
    "year": "annee",
    "from_season": "depuis_saison",
    "start_date": "debut",
    "end_date": "fin",
    "races": "courses",
    "timezone": "fuseau",
    "note": "note",
    "date": "date",
    "start_time": "heure",
    "race": "course",
    "rounds": "manches",
    "from_round": "depuis_manche",
}
