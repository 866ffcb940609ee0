# ruff: noqa: E501 -- test sentences are kept whole, one case per line
"""The cue vocabularies of nine languages (schemas/vocab/cues/<lang>.yaml), through the real
readers: what a number counts (measures), what a figure is a figure of (scope), the event type,
routing and relevance. Every sentence and text here was written for these tests; the towns are
invented."""

from __future__ import annotations

import pytest
import yaml

from pipeline.ingest.relevance import THRESHOLD
from pipeline.interpret.events import event_type
from pipeline.interpret.measures import read_measure
from pipeline.interpret.scope import read_scope
from pipeline.text import cues_of, tokens
from schemas import Scope, Unit, vocab

LANGUAGES = ("fr", "es", "pt", "de", "it", "ru", "uk", "ar", "el")


def span(sentence: str, phrase: str) -> tuple[int, int]:
    start = sentence.index(phrase)
    return start, start + len(phrase)


# ----------------------------------------------------------------------------- measures
# (language, sentence, the number phrase, the measure it should get, the sentence's number
# phrases). "REJECT": a count that is not a fact ("388 people on board").
MEASURES = [
    # Rules shared by every language, on sentences of ours: a count of attacks is no fact, a
    # number's own event word beats a toll noun before it, dead-and-wounded are casualties.
    (
        "it",
        "Il bilancio dei tre attacchi contro la caserma sarebbe di oltre 40 morti.",
        "tre",
        "REJECT",
        ["tre", "oltre 40"],
    ),
    (
        "it",
        "Il bilancio dei tre attacchi contro la caserma sarebbe di oltre 40 morti.",
        "oltre 40",
        "killed",
        ["tre", "oltre 40"],
    ),
    (
        "fr",
        "Les insurgés affirment avoir fait des dizaines de morts et de blessés parmi les soldats.",
        "des dizaines",
        "casualties",
        ["des dizaines"],
    ),
    (
        "fr",
        "La préfecture ne parle que de « quelques pertes en vies humaines ».",
        "quelques",
        "killed",
        ["quelques"],
    ),
    (
        "ar",
        "أفادت حصيلة رسمية بسقوط 35 قتيلا و120 جريحا في القصف.",
        "120",
        "injured",
        ["35", "120"],
    ),
    ("ar", "أفادت حصيلة رسمية بسقوط 35 قتيلا و120 جريحا في القصف.", "35", "killed", ["35", "120"]),
    ("uk", "Місто стало одним із пунктів прийому переселенців.", "одним", "REJECT", ["одним"]),
    (
        "fr",
        "Un journal a publié une liste d’une trentaine d’élèves gendarmes tués lors de l’assaut.",
        "une trentaine",
        "killed",
        ["une trentaine"],
    ),
    (
        "it",
        "Decine di feriti sono ricoverati in condizioni critiche negli ospedali della zona.",
        "Decine",
        "critically_injured",
        ["Decine"],
    ),
    (
        "pt",
        "O balanço é de 30 mortos e quase 200 feridos, muitos deles em estado grave.",
        "quase 200",
        "injured",
        ["30", "quase 200"],
    ),
    # A sub-count takes its parent's event, wherever that word stands.
    (
        "el",
        "Τουλάχιστον 30 άνθρωποι, ανάμεσά τους τέσσερα παιδιά, έχασαν τη ζωή τους στην επίθεση.",
        "τέσσερα",
        "children_killed",
        ["Τουλάχιστον 30", "τέσσερα"],
    ),
    (
        "uk",
        "Кількість загиблих унаслідок нічного удару по ринку в центрі міста зросла до 23 людей, серед них троє дітей.",
        "троє",
        "children_killed",
        ["23", "троє"],
    ),
    (
        "pt",
        "Os combates já forçaram mais de 300 mil pessoas a deixar suas casas, após anos de guerra que deixaram milhares de mortos.",
        "mais de 300 mil",
        "displaced",
        ["mais de 300 mil", "milhares"],
    ),
    # French
    (
        "fr",
        "Au moins 12 personnes ont été tuées et 31 autres blessées mardi dans le bombardement du marché de Valmoré, selon les autorités locales.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "fr",
        "Au moins 12 personnes ont été tuées et 31 autres blessées mardi dans le bombardement du marché de Valmoré, selon les autorités locales.",
        "31",
        "injured",
        ["12", "31"],
    ),
    (
        "fr",
        "L'explosion a tué 5 enfants qui jouaient près de l'école.",
        "5",
        "children_killed",
        ["5"],
    ),
    (
        "fr",
        "Plus de 4 000 habitants ont été déplacés par les combats autour de Brénac.",
        "4 000",
        "displaced",
        ["4 000"],
    ),
    (
        "fr",
        "La défense antiaérienne a abattu 21 des 25 drones lancés dans la nuit contre la région.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "fr",
        "La défense antiaérienne a abattu 21 des 25 drones lancés dans la nuit contre la région.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    (
        "fr",
        "Le train, qui transportait 388 passagers, venait de quitter la gare de Sorvel.",
        "388",
        "REJECT",
        ["388"],
    ),
    (
        "fr",
        "Des dizaines de civils ont été blessés dans le pilonnage.",
        "Des dizaines",
        "injured",
        ["Des dizaines"],
    ),
    # Spanish
    (
        "es",
        "Al menos 12 personas murieron y 31 resultaron heridas el martes en el bombardeo del mercado de Valdeluz, según las autoridades locales.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "es",
        "Al menos 12 personas murieron y 31 resultaron heridas el martes en el bombardeo del mercado de Valdeluz, según las autoridades locales.",
        "31",
        "injured",
        ["12", "31"],
    ),
    (
        "es",
        "La explosión mató a 5 niños que jugaban cerca de la escuela.",
        "5",
        "children_killed",
        ["5"],
    ),
    (
        "es",
        "Más de 4.000 vecinos han sido desplazados por los combates en torno a Ríoseco.",
        "4.000",
        "displaced",
        ["4.000"],
    ),
    (
        "es",
        "La defensa antiaérea derribó 21 de los 25 drones lanzados durante la noche.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "es",
        "La defensa antiaérea derribó 21 de los 25 drones lanzados durante la noche.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    (
        "es",
        "El tren, que transportaba a 388 pasajeros, acababa de salir de la estación.",
        "388",
        "REJECT",
        ["388"],
    ),
    (
        "es",
        "Decenas de civiles resultaron heridos en el ataque.",
        "Decenas",
        "injured",
        ["Decenas"],
    ),
    # Portuguese
    (
        "pt",
        "Pelo menos 12 pessoas morreram e 31 ficaram feridas na terça-feira no bombardeamento do mercado de Vale Escuro, segundo as autoridades locais.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "pt",
        "Pelo menos 12 pessoas morreram e 31 ficaram feridas na terça-feira no bombardeamento do mercado de Vale Escuro, segundo as autoridades locais.",
        "31",
        "injured",
        ["12", "31"],
    ),
    (
        "pt",
        "A explosão matou 5 crianças que brincavam perto da escola.",
        "5",
        "children_killed",
        ["5"],
    ),
    (
        "pt",
        "Mais de 4.000 moradores foram deslocados pelos combates em torno de Ribeirão Fundo.",
        "4.000",
        "displaced",
        ["4.000"],
    ),
    (
        "pt",
        "A defesa antiaérea abateu 21 dos 25 drones lançados durante a noite.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "pt",
        "A defesa antiaérea abateu 21 dos 25 drones lançados durante a noite.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    (
        "pt",
        "O comboio, que transportava 388 passageiros, tinha acabado de sair da estação.",
        "388",
        "REJECT",
        ["388"],
    ),
    # German
    (
        "de",
        "Bei dem Beschuss wurden mindestens 12 Menschen getötet und 31 verletzt, teilten die örtlichen Behörden in Talheim mit.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "de",
        "Bei dem Beschuss wurden mindestens 12 Menschen getötet und 31 verletzt, teilten die örtlichen Behörden in Talheim mit.",
        "31",
        "injured",
        ["12", "31"],
    ),
    ("de", "Bei der Explosion wurden 5 Kinder getötet.", "5", "children_killed", ["5"]),
    (
        "de",
        "Mehr als 4.000 Einwohner wurden durch die Kämpfe vertrieben.",
        "4.000",
        "displaced",
        ["4.000"],
    ),
    (
        "de",
        "Die Luftabwehr hat 21 von 25 Drohnen abgeschossen, die in der Nacht gestartet worden waren.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "de",
        "Die Luftabwehr hat 21 von 25 Drohnen abgeschossen, die in der Nacht gestartet worden waren.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    (
        "de",
        "Der Zug mit 388 Fahrgästen an Bord hatte gerade den Bahnhof verlassen.",
        "388",
        "REJECT",
        ["388"],
    ),
    ("de", "Nach dem Angriff gab es 14 Todesopfer.", "14", "killed", ["14"]),
    # Italian
    (
        "it",
        "Almeno 12 persone sono state uccise e 31 ferite martedì nel bombardamento del mercato di Valdorma, secondo le autorità locali.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "it",
        "Almeno 12 persone sono state uccise e 31 ferite martedì nel bombardamento del mercato di Valdorma, secondo le autorità locali.",
        "31",
        "injured",
        ["12", "31"],
    ),
    (
        "it",
        "L'esplosione ha ucciso 5 bambini che giocavano vicino alla scuola.",
        "5",
        "children_killed",
        ["5"],
    ),
    (
        "it",
        "Più di 4.000 abitanti sono stati sfollati dai combattimenti intorno a Roccaferma.",
        "4.000",
        "displaced",
        ["4.000"],
    ),
    (
        "it",
        "La contraerea ha abbattuto 21 dei 25 droni lanciati durante la notte.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "it",
        "La contraerea ha abbattuto 21 dei 25 droni lanciati durante la notte.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    (
        "it",
        "Il treno, che trasportava 388 passeggeri, era appena partito dalla stazione.",
        "388",
        "REJECT",
        ["388"],
    ),
    # Russian
    (
        "ru",
        "Во вторник в результате обстрела рынка в Заречном погибли 12 человек и ещё 31 получили ранения, сообщили местные власти.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "ru",
        "Во вторник в результате обстрела рынка в Заречном погибли 12 человек и ещё 31 получили ранения, сообщили местные власти.",
        "31",
        "injured",
        ["12", "31"],
    ),
    ("ru", "При взрыве погибли 5 детей.", "5", "children_killed", ["5"]),
    (
        "ru",
        "Более 4 тысяч жителей были вынуждены покинуть свои дома из-за боёв.",
        "4 тысяч",
        "displaced",
        ["4 тысяч"],
    ),
    (
        "ru",
        "Силы ПВО сбили 21 из 25 беспилотников, запущенных ночью.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "ru",
        "Силы ПВО сбили 21 из 25 беспилотников, запущенных ночью.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    ("ru", "В поезде находились 388 пассажиров.", "388", "REJECT", ["388"]),
    ("ru", "По данным спасателей, 7 раненых доставлены в больницу.", "7", "injured", ["7"]),
    # Ukrainian
    (
        "uk",
        "У вівторок унаслідок обстрілу ринку в Заріччі загинули 12 людей і ще 31 дістали поранення, повідомила місцева влада.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "uk",
        "У вівторок унаслідок обстрілу ринку в Заріччі загинули 12 людей і ще 31 дістали поранення, повідомила місцева влада.",
        "31",
        "injured",
        ["12", "31"],
    ),
    ("uk", "Внаслідок вибуху загинули 5 дітей.", "5", "children_killed", ["5"]),
    (
        "uk",
        "Понад 4 тисячі мешканців були змушені покинути свої домівки через бої.",
        "4 тисячі",
        "displaced",
        ["4 тисячі"],
    ),
    (
        "uk",
        "Сили ППО збили 21 з 25 безпілотників, запущених уночі.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "uk",
        "Сили ППО збили 21 з 25 безпілотників, запущених уночі.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    ("uk", "У поїзді перебували 388 пасажирів.", "388", "REJECT", ["388"]),
    (
        "uk",
        "Повітряні сили повідомили, що 40 ударних БпЛА було збито.",
        "40",
        "drones_downed",
        ["40"],
    ),
    # Arabic
    (
        "ar",
        "قتل 12 شخصا على الأقل وأصيب 31 آخرون يوم الثلاثاء في قصف استهدف سوق بلدة الوادي الأخضر، بحسب السلطات المحلية.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "ar",
        "قتل 12 شخصا على الأقل وأصيب 31 آخرون يوم الثلاثاء في قصف استهدف سوق بلدة الوادي الأخضر، بحسب السلطات المحلية.",
        "31",
        "injured",
        ["12", "31"],
    ),
    ("ar", "أسفر الانفجار عن مقتل 5 أطفال.", "5", "children_killed", ["5"]),
    ("ar", "نزح أكثر من 4000 شخص بسبب المعارك.", "4000", "displaced", ["4000"]),
    (
        "ar",
        "أسقطت الدفاعات الجوية 21 من أصل 25 طائرة مسيرة أطلقت خلال الليل.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "ar",
        "أسقطت الدفاعات الجوية 21 من أصل 25 طائرة مسيرة أطلقت خلال الليل.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    ("ar", "كان القطار يقل 388 راكبا.", "388", "REJECT", ["388"]),
    ("ar", "ارتفعت الحصيلة إلى 40 شهيدًا.", "40", "killed", ["40"]),
    # Greek
    (
        "el",
        "Τουλάχιστον 12 άνθρωποι σκοτώθηκαν και 31 τραυματίστηκαν την Τρίτη στον βομβαρδισμό της αγοράς στο Καστρόχωρι, σύμφωνα με τις τοπικές αρχές.",
        "12",
        "killed",
        ["12", "31"],
    ),
    (
        "el",
        "Τουλάχιστον 12 άνθρωποι σκοτώθηκαν και 31 τραυματίστηκαν την Τρίτη στον βομβαρδισμό της αγοράς στο Καστρόχωρι, σύμφωνα με τις τοπικές αρχές.",
        "31",
        "injured",
        ["12", "31"],
    ),
    (
        "el",
        "Η έκρηξη σκότωσε 5 παιδιά που έπαιζαν κοντά στο σχολείο.",
        "5",
        "children_killed",
        ["5"],
    ),
    (
        "el",
        "Περισσότεροι από 4.000 κάτοικοι εκτοπίστηκαν λόγω των μαχών.",
        "4.000",
        "displaced",
        ["4.000"],
    ),
    (
        "el",
        "Η αντιαεροπορική άμυνα κατέρριψε 21 από τα 25 drones που εκτοξεύτηκαν τη νύχτα.",
        "21",
        "drones_downed",
        ["21", "25"],
    ),
    (
        "el",
        "Η αντιαεροπορική άμυνα κατέρριψε 21 από τα 25 drones που εκτοξεύτηκαν τη νύχτα.",
        "25",
        "drones_launched",
        ["21", "25"],
    ),
    ("el", "Το τρένο μετέφερε 388 επιβάτες.", "388", "REJECT", ["388"]),
    # people waiting for an evacuation are not (yet) evacuated
    ("uk", "На вокзалі чекали на евакуаційні потяги тисячі людей.", "тисячі", "REJECT", ["тисячі"]),
    ("ru", "На вокзале ждали эвакуационных поездов тысячи людей.", "тысячи", "REJECT", ["тысячи"]),
    (
        "fr",
        "Des milliers de personnes attendaient l'évacuation à la gare.",
        "milliers",
        "REJECT",
        ["milliers"],
    ),
    ("uk", "Евакуаційні потяги вивезли 2000 людей.", "2000", "evacuated", ["2000"]),
    # an aircraft seen burning was hit; seen, and nothing more, it is no fact
    (
        "es",
        "Los vecinos vieron arder al menos dos helicópteros en la base aérea.",
        "al menos dos",
        "aircraft_hit",
        ["al menos dos"],
    ),
    (
        "fr",
        "Des habitants ont vu brûler au moins deux hélicoptères sur la base.",
        "au moins deux",
        "aircraft_hit",
        ["au moins deux"],
    ),
    (
        "it",
        "I residenti hanno visto bruciare almeno due elicotteri nella base.",
        "almeno due",
        "aircraft_hit",
        ["almeno due"],
    ),
    (
        "pt",
        "Moradores viram arder pelo menos dois helicópteros na base aérea.",
        "pelo menos dois",
        "aircraft_hit",
        ["pelo menos dois"],
    ),
    (
        "de",
        "Anwohner sahen mindestens zwei Hubschrauber auf dem Stützpunkt brennen.",
        "mindestens zwei",
        "aircraft_hit",
        ["mindestens zwei"],
    ),
    (
        "ru",
        "На базе сгорели по меньшей мере два вертолёта.",
        "по меньшей мере два",
        "aircraft_hit",
        ["по меньшей мере два"],
    ),
    (
        "uk",
        "На базі згоріли щонайменше два гелікоптери.",
        "щонайменше два",
        "aircraft_hit",
        ["щонайменше два"],
    ),
    (
        "el",
        "Τουλάχιστον δύο ελικόπτερα καίγονταν στη βάση.",
        "Τουλάχιστον δύο",
        "aircraft_hit",
        ["Τουλάχιστον δύο"],
    ),
    ("ar", "شاهد السكان ثلاث طائرات تحترق في القاعدة.", "ثلاث", "aircraft_hit", ["ثلاث"]),
    (
        "es",
        "Los vecinos vieron al menos dos helicópteros en la base aérea.",
        "al menos dos",
        "REJECT",
        ["al menos dos"],
    ),
]


def _id(case: tuple) -> str:
    return f"{case[0]}-{case[3]}-{case[2]}"


@pytest.mark.parametrize("case", MEASURES, ids=[_id(c) for c in MEASURES])
def test_measure_of_a_number(case: tuple) -> None:
    lang, sentence, phrase, expected, others = case
    start, end = span(sentence, phrase)
    numbers = [span(sentence, p) for p in others]
    reading = read_measure(sentence, start, end, Unit.COUNT, lang, None, numbers=numbers)
    if expected == "REJECT":
        assert reading.rejected and reading.measure is None, reading
    else:
        assert reading.measure == expected, reading
        assert not reading.rejected


# An algorithm limit, not a vocabulary gap: the event is the *nearest* event word, and in a
# German verb-final clause an attack noun stands nearer the number than the participle that
# says what happened to the people ("12 Menschen sind bei dem Drohnenangriff ... getötet
# worden": "Drohnenangriff" 5 tokens after, "getötet" 9). People + attack has no measure.
def test_german_verb_final_participle_after_an_attack_noun() -> None:
    sentence = "Mindestens 12 Menschen sind bei dem Drohnenangriff auf den Markt getötet worden."
    start, end = span(sentence, "12")
    reading = read_measure(sentence, start, end, Unit.COUNT, "de", None, numbers=[(start, end)])
    assert reading.measure == "killed", reading


# Arabic counts two with a dual noun ("طفلان", two children), not a digit, so the subject
# search (4 words after the number, stopping only at a number, a comma or an event word) runs
# past "بينهم" (among them) into the subgroup's noun: the 9 dead become 9 children.
@pytest.mark.xfail(
    reason="subject search crosses a subgroup cue (بينهم) into the subgroup's noun", strict=True
)
def test_arabic_subject_stops_at_a_subgroup_cue() -> None:
    sentence = "استشهد 9 من أبناء البلدة بينهم طفلان في غارة."
    start, end = span(sentence, "9")
    reading = read_measure(sentence, start, end, Unit.COUNT, "ar", None, numbers=[(start, end)])
    assert reading.measure == "killed", reading


# ----------------------------------------------------------------------------- scope
# (language, sentence, the number phrase, its scope, the sentence's number phrases).
SCOPES = [
    (
        "fr",
        "La frappe a fait 14 morts, dont 3 soldats, selon l'armée.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    (
        "fr",
        "La frappe a fait 14 morts, dont 3 soldats, selon l'armée.",
        "14",
        Scope.INCIDENT,
        ["14", "3"],
    ),
    (
        "fr",
        "Le bilan est passé de 20 à 31 morts dans la soirée.",
        "20",
        Scope.SUPERSEDED,
        ["20", "31"],
    ),
    (
        "fr",
        "Le bilan est passé de 20 à 31 morts dans la soirée.",
        "31",
        Scope.INCIDENT,
        ["20", "31"],
    ),
    ("fr", "Un précédent bilan faisait état de 20 morts.", "20", Scope.SUPERSEDED, ["20"]),
    (
        "fr",
        "Depuis le début de la guerre, plus de 3 000 civils ont été tués dans la province.",
        "3 000",
        Scope.WIDER,
        ["3 000"],
    ),
    (
        "es",
        "El ataque dejó 14 muertos, entre ellos 3 soldados, según el ejército.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    (
        "es",
        "El balance pasó de 20 a 31 muertos durante la tarde.",
        "20",
        Scope.SUPERSEDED,
        ["20", "31"],
    ),
    (
        "es",
        "El balance pasó de 20 a 31 muertos durante la tarde.",
        "31",
        Scope.INCIDENT,
        ["20", "31"],
    ),
    (
        "es",
        "Desde el inicio de la guerra, más de 3.000 civiles han muerto en la provincia.",
        "3.000",
        Scope.WIDER,
        ["3.000"],
    ),
    (
        "pt",
        "O ataque deixou 14 mortos, entre eles 3 soldados, segundo o exército.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    (
        "pt",
        "O balanço passou de 20 para 31 mortos durante a tarde.",
        "20",
        Scope.SUPERSEDED,
        ["20", "31"],
    ),
    (
        "pt",
        "O balanço passou de 20 para 31 mortos durante a tarde.",
        "31",
        Scope.INCIDENT,
        ["20", "31"],
    ),
    (
        "pt",
        "Desde o início da guerra, mais de 3.000 civis foram mortos na província.",
        "3.000",
        Scope.WIDER,
        ["3.000"],
    ),
    (
        "de",
        "Der Angriff forderte 14 Tote, darunter 3 Soldaten, wie die Armee mitteilte.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    ("de", "Die Zahl der Toten stieg von 20 auf 31.", "20", Scope.SUPERSEDED, ["20", "31"]),
    ("de", "Die Zahl der Toten stieg von 20 auf 31.", "31", Scope.INCIDENT, ["20", "31"]),
    ("de", "Zuvor war von 20 Toten die Rede.", "20", Scope.SUPERSEDED, ["20"]),
    (
        "de",
        "Seit Kriegsbeginn wurden in der Provinz mehr als 3.000 Zivilisten getötet.",
        "3.000",
        Scope.WIDER,
        ["3.000"],
    ),
    (
        "it",
        "L'attacco ha provocato 14 morti, tra cui 3 soldati, secondo l'esercito.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    (
        "it",
        "Il bilancio è passato da 20 a 31 morti nel corso della serata.",
        "20",
        Scope.SUPERSEDED,
        ["20", "31"],
    ),
    (
        "it",
        "Il bilancio è passato da 20 a 31 morti nel corso della serata.",
        "31",
        Scope.INCIDENT,
        ["20", "31"],
    ),
    (
        "it",
        "Dall'inizio della guerra, oltre 3.000 civili sono stati uccisi nella provincia.",
        "3.000",
        Scope.WIDER,
        ["3.000"],
    ),
    (
        "ru",
        "В результате атаки погибли 14 человек, в том числе 3 военнослужащих.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    ("ru", "Число погибших возросло с 20 до 31.", "20", Scope.SUPERSEDED, ["20", "31"]),
    ("ru", "Число погибших возросло с 20 до 31.", "31", Scope.INCIDENT, ["20", "31"]),
    ("ru", "Ранее сообщалось о 20 погибших.", "20", Scope.SUPERSEDED, ["20"]),
    (
        "ru",
        "С начала войны в области погибли более 3 тысяч мирных жителей.",
        "3 тысяч",
        Scope.WIDER,
        ["3 тысяч"],
    ),
    (
        "uk",
        "Унаслідок атаки загинули 14 людей, серед них 3 військовослужбовці.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    ("uk", "Кількість загиблих зросла з 20 до 31.", "20", Scope.SUPERSEDED, ["20", "31"]),
    ("uk", "Кількість загиблих зросла з 20 до 31.", "31", Scope.INCIDENT, ["20", "31"]),
    (
        "uk",
        "З початку війни в області загинули понад 3 тисячі цивільних.",
        "3 тисячі",
        Scope.WIDER,
        ["3 тисячі"],
    ),
    ("ar", "أسفر الهجوم عن مقتل 14 شخصا بينهم 3 جنود.", "3", Scope.SUBGROUP, ["14", "3"]),
    ("ar", "ارتفعت حصيلة القتلى من 20 إلى 31.", "20", Scope.SUPERSEDED, ["20", "31"]),
    ("ar", "ارتفعت حصيلة القتلى من 20 إلى 31.", "31", Scope.INCIDENT, ["20", "31"]),
    ("ar", "وكانت حصيلة سابقة قد أشارت إلى 20 قتيلا.", "20", Scope.SUPERSEDED, ["20"]),
    ("ar", "منذ بدء الحرب، قتل أكثر من 3000 مدني في المحافظة.", "3000", Scope.WIDER, ["3000"]),
    (
        "el",
        "Στην επίθεση σκοτώθηκαν 14 άνθρωποι, ανάμεσά τους 3 στρατιώτες.",
        "3",
        Scope.SUBGROUP,
        ["14", "3"],
    ),
    ("el", "Ο αριθμός των νεκρών αυξήθηκε από 20 σε 31.", "20", Scope.SUPERSEDED, ["20", "31"]),
    ("el", "Ο αριθμός των νεκρών αυξήθηκε από 20 σε 31.", "31", Scope.INCIDENT, ["20", "31"]),
    (
        "el",
        "Από την αρχή του πολέμου, περισσότεροι από 3.000 άμαχοι έχουν σκοτωθεί στην περιοχή.",
        "3.000",
        Scope.WIDER,
        ["3.000"],
    ),
]


# A superlative before a `wider` cue compares one event with the others of the span: the
# figure stays the incident's ("the deadliest strike since the war began killed 31").
SCOPES += [
    # a span opening the sentence frames its clauses after a semicolon too
    (
        "de",
        "Seit dem Wiederaufflammen der Kämpfe sind 60 Zivilisten ums Leben gekommen; "
        "mehr als 70 Menschen wurden getötet.",
        "mehr als 70",
        Scope.WIDER,
        ["60", "mehr als 70"],
    ),
    (
        "en",
        "The deadliest strike since the war began killed 31 people.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
    (
        "fr",
        "La frappe la plus meurtrière depuis le début de la guerre a tué 31 personnes.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
    (
        "es",
        "El ataque más mortífero desde el inicio de la guerra mató a 31 personas.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
    (
        "de",
        "Der schwerste Angriff seit Kriegsbeginn tötete 31 Menschen.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
    (
        "ru",
        "Это самый кровопролитный удар с начала войны: погиб 31 человек.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
    (
        "ru",
        "Крупнейший удар с начала войны унёс жизни 31 человека.",
        "31",
        Scope.INCIDENT,
        ["31"],
    ),
]


@pytest.mark.parametrize("case", SCOPES, ids=[f"{c[0]}-{c[3].value}-{c[2]}" for c in SCOPES])
def test_scope_of_a_figure(case: tuple) -> None:
    lang, sentence, phrase, expected, others = case
    start, end = span(sentence, phrase)
    numbers = [span(sentence, p) for p in others]
    reading = read_measure(sentence, start, end, Unit.COUNT, lang, "killed", numbers=numbers)
    assert reading.measure == "killed", reading  # every figure here counts the dead
    scope, why = read_scope(sentence, start, end, reading.measure, lang, numbers)
    assert scope is expected, why


# A `wider` cue after the number counts only within 4 words; a verb phrase between them (as in
# English "1,200 civilians have been killed since the start of the year") puts it out of reach.
def test_a_wider_cue_after_the_verb() -> None:
    sentence = "Au moins 1 200 civils ont été tués depuis le début de l'année dans la région."
    start, end = span(sentence, "1 200")
    scope, why = read_scope(sentence, start, end, "killed", "fr", [(start, end)])
    assert scope is Scope.WIDER, why


# ----------------------------------------------------------------------------- event types
EVENTS = [
    (
        "fr",
        "Une frappe de drone a touché un véhicule militaire près de Valmoré.",
        "air_drone_strike",
    ),
    (
        "fr",
        "Des tirs d'artillerie ont visé le centre-ville pendant toute la nuit.",
        "shelling_artillery_missile_attack",
    ),
    (
        "fr",
        "Un engin explosif improvisé a explosé au passage d'une patrouille.",
        "remote_explosive_landmine_ied",
    ),
    (
        "fr",
        "De violents affrontements ont opposé l'armée aux rebelles dans le nord du pays.",
        "armed_clash",
    ),
    (
        "es",
        "Un ataque con drones alcanzó un vehículo militar cerca de Valdeluz.",
        "air_drone_strike",
    ),
    (
        "es",
        "El fuego de artillería golpeó el centro de la ciudad durante toda la noche.",
        "shelling_artillery_missile_attack",
    ),
    (
        "es",
        "Un artefacto explosivo improvisado estalló al paso de una patrulla.",
        "remote_explosive_landmine_ied",
    ),
    (
        "es",
        "Intensos enfrentamientos entre el ejército y los rebeldes se registraron en el norte del país.",
        "armed_clash",
    ),
    (
        "pt",
        "Um ataque com drones atingiu um veículo militar perto de Vale Escuro.",
        "air_drone_strike",
    ),
    (
        "pt",
        "Tiros de artilharia atingiram o centro da cidade durante toda a noite.",
        "shelling_artillery_missile_attack",
    ),
    (
        "pt",
        "Um artefato explosivo improvisado explodiu à passagem de uma patrulha.",
        "remote_explosive_landmine_ied",
    ),
    (
        "pt",
        "Confrontos intensos entre o exército e os rebeldes foram registados no norte do país.",
        "armed_clash",
    ),
    ("de", "Ein Drohnenangriff traf ein Militärfahrzeug nahe Talheim.", "air_drone_strike"),
    (
        "de",
        "Artilleriebeschuss erschütterte die ganze Nacht über das Stadtzentrum.",
        "shelling_artillery_missile_attack",
    ),
    (
        "de",
        "Ein improvisierter Sprengsatz explodierte, als eine Patrouille vorbeifuhr.",
        "remote_explosive_landmine_ied",
    ),
    (
        "de",
        "Heftige Gefechte zwischen der Armee und den Rebellen dauerten im Norden an.",
        "armed_clash",
    ),
    (
        "it",
        "Un attacco con droni ha colpito un veicolo militare vicino a Valdorma.",
        "air_drone_strike",
    ),
    (
        "it",
        "Colpi di artiglieria hanno raggiunto il centro della città per tutta la notte.",
        "shelling_artillery_missile_attack",
    ),
    (
        "it",
        "Un ordigno esplosivo improvvisato è esploso al passaggio di una pattuglia.",
        "remote_explosive_landmine_ied",
    ),
    (
        "it",
        "Violenti scontri tra l'esercito e i ribelli sono in corso nel nord del paese.",
        "armed_clash",
    ),
    ("ru", "Удар беспилотника пришёлся по военному грузовику под Заречным.", "air_drone_strike"),
    (
        "ru",
        "Артиллерийский обстрел продолжался всю ночь в центре города.",
        "shelling_artillery_missile_attack",
    ),
    (
        "ru",
        "Самодельное взрывное устройство сработало при проходе патруля.",
        "remote_explosive_landmine_ied",
    ),
    ("ru", "Ожесточённые бои между армией и повстанцами идут на севере страны.", "armed_clash"),
    ("uk", "Удар безпілотника влучив у військову вантажівку поблизу Заріччя.", "air_drone_strike"),
    (
        "uk",
        "Артилерійський обстріл тривав усю ніч у центрі міста.",
        "shelling_artillery_missile_attack",
    ),
    (
        "uk",
        "Саморобний вибуховий пристрій спрацював під час проходу патруля.",
        "remote_explosive_landmine_ied",
    ),
    ("uk", "Запеклі бої між армією та бойовиками тривають на півночі країни.", "armed_clash"),
    ("ar", "استهدفت غارة بطائرة مسيرة آلية عسكرية قرب الوادي الأخضر.", "air_drone_strike"),
    ("ar", "تعرض وسط المدينة لقصف مدفعي طوال الليل.", "shelling_artillery_missile_attack"),
    ("ar", "انفجرت عبوة ناسفة لدى مرور دورية عسكرية.", "remote_explosive_landmine_ied"),
    ("ar", "تدور اشتباكات عنيفة بين الجيش والمسلحين في شمال البلاد.", "armed_clash"),
    ("el", "Επίθεση με drone χτύπησε στρατιωτικό όχημα κοντά στο Καστρόχωρι.", "air_drone_strike"),
    (
        "el",
        "Τα πυρά του πυροβολικού έπληξαν το κέντρο της πόλης όλη τη νύχτα.",
        "shelling_artillery_missile_attack",
    ),
    (
        "el",
        "Ένας αυτοσχέδιος εκρηκτικός μηχανισμός εξερράγη κατά τη διέλευση περιπόλου.",
        "remote_explosive_landmine_ied",
    ),
    (
        "el",
        "Σφοδρές μάχες μεταξύ του στρατού και των ανταρτών συνεχίζονται στον βορρά της χώρας.",
        "armed_clash",
    ),
]


@pytest.mark.parametrize("case", EVENTS, ids=[f"{c[0]}-{c[2]}" for c in EVENTS])
def test_event_type_of_a_quote(case: tuple) -> None:
    lang, sentence, expected = case
    kind, source = event_type(sentence, lang, None)
    assert kind == expected, source
    assert source and source.startswith("cue")


# ----------------------------------------------------------------------------- routing
ROUTES = {
    "fr": (
        "Trois civils ont été tués dans une frappe de drone sur un marché.",
        "Le milieu de terrain a marqué deux buts et son équipe s'est qualifiée pour la finale de la coupe.",
    ),
    "es": (
        "Tres civiles murieron en un ataque con drones contra un mercado.",
        "El centrocampista marcó dos goles y su equipo se clasificó para la final de la copa.",
    ),
    "pt": (
        "Três civis morreram num ataque com drones contra um mercado.",
        "O médio marcou dois golos e a sua equipa qualificou-se para a final da taça.",
    ),
    "de": (
        "Drei Zivilisten wurden bei einem Drohnenangriff auf einen Markt getötet.",
        "Der Mittelfeldspieler erzielte zwei Tore, und seine Mannschaft zog ins Pokalfinale ein.",
    ),
    "it": (
        "Tre civili sono stati uccisi in un attacco con droni contro un mercato.",
        "Il centrocampista ha segnato due gol e la sua squadra si è qualificata per la finale della coppa.",
    ),
    "ru": (
        "Трое мирных жителей погибли в результате атаки беспилотника на рынок.",
        "Полузащитник забил два гола, и его команда вышла в финал кубка.",
    ),
    "uk": (
        "Троє мирних жителів загинули внаслідок атаки безпілотника на ринок.",
        "Півзахисник забив два голи, і його команда вийшла до фіналу кубка.",
    ),
    "ar": (
        "قتل ثلاثة مدنيين في غارة بطائرة مسيرة على سوق.",
        "سجل لاعب الوسط هدفين وتأهل فريقه إلى نهائي الكأس.",
    ),
    "el": (
        "Τρεις άμαχοι σκοτώθηκαν σε επίθεση με drone σε μια αγορά.",
        "Ο μέσος πέτυχε δύο γκολ και η ομάδα του προκρίθηκε στον τελικό του κυπέλλου.",
    ),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_routes_find_casualty_and_attack_cues(lang: str) -> None:
    casualty, sports = ROUTES[lang]
    routes = cues_of(lang, "routes")
    found = {hit.label for hit in routes.find_all(tokens(casualty))}
    assert {"casualty", "attack"} <= found, found
    in_sports = {hit.label for hit in routes.find_all(tokens(sports))}
    assert not in_sports & {"casualty", "attack"}, routes.find_all(tokens(sports))


# ----------------------------------------------------------------------------- relevance
RELEVANCE = {
    "fr": {
        "war": (
            "VALMORÉ — Au moins neuf personnes ont été tuées et 23 blessées mardi lorsque des obus "
            "d'artillerie ont frappé le marché couvert du quartier est de Valmoré, a indiqué le service "
            "de santé régional. Les secouristes ont retiré deux corps d'une boulangerie effondrée en fin "
            "de soirée. L'armée a accusé les rebelles d'être responsables de l'attaque ; les insurgés ont "
            "affirmé que les soldats avaient tiré sur le marché depuis des positions situées de l'autre "
            "côté du fleuve. Des habitants ont raconté que le bombardement avait commencé peu après neuf "
            "heures et duré une vingtaine de minutes. Des centaines de civils ont fui vers les villages "
            "voisins, et les combats se poursuivaient dans la nuit près de la ligne de front."
        ),
        "football": (
            "Le FC Brénac est revenu au score pour battre le leader 3-2 samedi. Les visiteurs ont ouvert "
            "la marque après dix minutes sur un tir dévié, puis ont doublé la mise avant la pause. Après "
            "le repos, les locaux ont pressé plus haut et leur jeune avant-centre a marqué deux fois en "
            "cinq minutes, la seconde d'une tête sur corner. Le but de la victoire est tombé dans le "
            "temps additionnel, une frappe à ras de terre depuis l'entrée de la surface que le gardien "
            "n'a pu que dévier dans ses filets. L'entraîneur a salué le jeu collectif de son équipe et "
            "l'ambiance du stade, plein pour la première fois de la saison."
        ),
        "markets": (
            "La Bourse a terminé en hausse mercredi, les investisseurs saluant des résultats meilleurs "
            "que prévu des grandes banques. Le principal indice a gagné 1,2 %, sa meilleure séance depuis "
            "un mois, porté par les valeurs financières et technologiques, tandis que les rendements "
            "obligataires se sont détendus après le maintien des taux par la banque centrale. Le pétrole "
            "a reculé pour la troisième séance consécutive face à une offre abondante. La monnaie a peu "
            "varié face au dollar et les volumes d'échanges sont restés inférieurs à leur moyenne "
            "mensuelle à l'approche d'un jour férié."
        ),
    },
    "es": {
        "war": (
            "VALDELUZ — Al menos nueve personas murieron y 23 resultaron heridas el martes cuando "
            "proyectiles de artillería impactaron en el mercado cubierto del distrito oriental de "
            "Valdeluz, informó el servicio regional de salud. Los rescatistas sacaron dos cuerpos de una "
            "panadería derrumbada al caer la noche. El ejército culpó a los rebeldes del ataque; los "
            "insurgentes afirmaron que las tropas habían disparado contra el mercado desde posiciones al "
            "otro lado del río. Los vecinos dijeron que el bombardeo comenzó poco después de las nueve "
            "de la mañana y duró unos veinte minutos. Cientos de civiles huyeron hacia las aldeas "
            "cercanas y los combates continuaban por la noche cerca de la línea del frente."
        ),
        "football": (
            "El Ríoseco remontó para vencer 3-2 al líder de la liga el sábado. Los visitantes se "
            "adelantaron a los diez minutos con un disparo desviado y ampliaron la ventaja antes del "
            "descanso. Tras la reanudación, el equipo local presionó más arriba y su joven delantero "
            "marcó dos veces en cinco minutos, el segundo de cabeza tras un córner. El gol de la victoria "
            "llegó en el tiempo añadido, un remate raso desde la frontal que el portero solo pudo desviar "
            "hacia su propia portería. El entrenador elogió el juego colectivo de su equipo y el ambiente "
            "del estadio, lleno por primera vez en la temporada."
        ),
        "markets": (
            "La bolsa cerró al alza el miércoles, después de que los inversores celebraran unos "
            "resultados mejores de lo esperado de los grandes bancos. El índice principal subió un 1,2 %, "
            "su mejor sesión en un mes, impulsado por los valores financieros y tecnológicos, mientras "
            "que la rentabilidad de los bonos se moderó después de que el banco central mantuviera los "
            "tipos de interés. El petróleo cayó por tercera sesión consecutiva ante una oferta abundante. "
            "La moneda apenas varió frente al dólar y el volumen de negociación quedó por debajo de su "
            "media mensual antes de un día festivo."
        ),
    },
    "pt": {
        "war": (
            "VALE ESCURO — Pelo menos nove pessoas morreram e 23 ficaram feridas na terça-feira quando "
            "projéteis de artilharia atingiram o mercado coberto do bairro oriental de Vale Escuro, "
            "informou o serviço regional de saúde. Os socorristas retiraram dois corpos de uma padaria "
            "que desabou ao fim da noite. O exército culpou os rebeldes pelo ataque; os insurgentes "
            "afirmaram que as tropas tinham disparado contra o mercado a partir de posições do outro lado "
            "do rio. Moradores disseram que o bombardeamento começou pouco depois das nove da manhã e "
            "durou cerca de vinte minutos. Centenas de civis fugiram para as aldeias vizinhas e os "
            "combates continuavam durante a noite perto da linha da frente."
        ),
        "football": (
            "O Ribeirão Fundo deu a volta ao marcador e venceu o líder do campeonato por 3-2 no sábado. "
            "Os visitantes marcaram aos dez minutos, num remate desviado, e ampliaram a vantagem antes do "
            "intervalo. Na segunda parte, a equipa da casa pressionou mais alto e o jovem avançado marcou "
            "duas vezes em cinco minutos, o segundo de cabeça após um canto. O golo da vitória surgiu nos "
            "descontos, um remate rasteiro da entrada da área que o guarda-redes só conseguiu desviar "
            "para a própria baliza. O treinador elogiou o jogo coletivo da equipa e o ambiente do "
            "estádio, cheio pela primeira vez esta época."
        ),
        "markets": (
            "A bolsa fechou em alta na quarta-feira, com os investidores a saudarem resultados acima do "
            "esperado dos grandes bancos. O principal índice subiu 1,2 %, a melhor sessão num mês, "
            "impulsionado pelas ações financeiras e tecnológicas, enquanto os juros das obrigações "
            "aliviaram depois de o banco central manter as taxas de juro. O petróleo recuou pela terceira "
            "sessão consecutiva perante uma oferta abundante. A moeda pouco variou face ao dólar e o "
            "volume de negócios ficou abaixo da média mensal antes de um feriado."
        ),
    },
    "de": {
        "war": (
            "TALHEIM — Mindestens neun Menschen sind am Dienstag getötet und 23 verletzt worden, als "
            "Artilleriegranaten in die Markthalle im Osten von Talheim einschlugen, teilte die regionale "
            "Gesundheitsbehörde mit. Rettungskräfte bargen am späten Abend zwei Leichen aus einer "
            "eingestürzten Bäckerei. Die Armee machte die Rebellen für den Angriff verantwortlich; die "
            "Aufständischen erklärten, Soldaten hätten von Stellungen jenseits des Flusses auf den Markt "
            "gefeuert. Anwohner berichteten, der Beschuss habe kurz nach neun Uhr begonnen und etwa "
            "zwanzig Minuten gedauert. Hunderte Zivilisten flohen in die umliegenden Dörfer, und an der "
            "Frontlinie gingen die Kämpfe in der Nacht weiter."
        ),
        "football": (
            "Der FC Talheim hat am Samstag nach Rückstand den Tabellenführer mit 3:2 besiegt. Die Gäste "
            "gingen nach zehn Minuten mit einem abgefälschten Schuss in Führung und erhöhten vor der "
            "Pause. Nach dem Seitenwechsel presste die Heimelf höher, und ihr junger Mittelstürmer traf "
            "zweimal innerhalb von fünf Minuten, das zweite Mal per Kopf nach einer Ecke. Der Siegtreffer "
            "fiel in der Nachspielzeit, ein flacher Schuss von der Strafraumgrenze, den der Torwart nur "
            "noch ins eigene Netz lenken konnte. Der Trainer lobte das Zusammenspiel seiner Mannschaft "
            "und die Stimmung im Stadion, das zum ersten Mal in dieser Saison ausverkauft war."
        ),
        "markets": (
            "Die Börse hat am Mittwoch fester geschlossen, nachdem die großen Banken besser als erwartete "
            "Zahlen vorgelegt hatten. Der Leitindex stieg um 1,2 Prozent, der beste Handelstag seit einem "
            "Monat, getragen von Finanz- und Technologiewerten, während die Renditen der Anleihen "
            "nachgaben, weil die Notenbank die Zinsen unverändert ließ. Der Ölpreis sank den dritten Tag "
            "in Folge angesichts eines reichlichen Angebots. Die Währung veränderte sich gegenüber dem "
            "Dollar kaum, und die Umsätze lagen vor einem Feiertag unter dem Monatsdurchschnitt."
        ),
    },
    "it": {
        "war": (
            "VALDORMA — Almeno nove persone sono state uccise e 23 ferite martedì quando colpi di "
            "artiglieria hanno centrato il mercato coperto del quartiere orientale di Valdorma, ha "
            "riferito il servizio sanitario regionale. I soccorritori hanno estratto due corpi da un "
            "forno crollato in tarda serata. L'esercito ha accusato i ribelli dell'attacco; gli insorti "
            "hanno affermato che le truppe avevano sparato sul mercato da postazioni al di là del fiume. "
            "Alcuni abitanti hanno raccontato che il bombardamento è cominciato poco dopo le nove del "
            "mattino ed è durato una ventina di minuti. Centinaia di civili sono fuggiti verso i villaggi "
            "vicini e i combattimenti proseguivano nella notte lungo la linea del fronte."
        ),
        "football": (
            "Il Roccaferma ha rimontato e battuto 3-2 la capolista sabato. Gli ospiti sono passati in "
            "vantaggio dopo dieci minuti con un tiro deviato e hanno raddoppiato prima dell'intervallo. "
            "Nella ripresa i padroni di casa hanno alzato il pressing e il giovane centravanti ha segnato "
            "due volte in cinque minuti, la seconda di testa su calcio d'angolo. Il gol della vittoria è "
            "arrivato nel recupero, un tiro rasoterra dal limite dell'area che il portiere ha potuto "
            "soltanto deviare nella propria rete. L'allenatore ha elogiato il gioco corale della squadra "
            "e il tifo dello stadio, esaurito per la prima volta in stagione."
        ),
        "markets": (
            "La Borsa ha chiuso in rialzo mercoledì, con gli investitori che hanno accolto conti migliori "
            "delle attese delle grandi banche. L'indice principale è salito dell'1,2 per cento, la "
            "migliore seduta da un mese, trainato dai titoli finanziari e tecnologici, mentre i "
            "rendimenti dei titoli di Stato sono scesi dopo che la banca centrale ha lasciato invariati i "
            "tassi. Il petrolio è calato per la terza seduta di fila per un'offerta abbondante. La valuta "
            "è rimasta quasi invariata sul dollaro e gli scambi sono stati inferiori alla media mensile "
            "in vista di un giorno festivo."
        ),
    },
    "ru": {
        "war": (
            "ЗАРЕЧНЫЙ — По меньшей мере девять человек погибли и 23 были ранены во вторник, когда "
            "артиллерийские снаряды попали в крытый рынок в восточном районе Заречного, сообщила "
            "региональная служба здравоохранения. Спасатели поздно вечером извлекли два тела из-под "
            "обломков пекарни. Военные обвинили в обстреле боевиков; повстанцы заявили, что солдаты "
            "стреляли по рынку с позиций на другом берегу реки. Жители рассказали, что обстрел начался "
            "вскоре после девяти утра и продолжался около двадцати минут. Сотни мирных жителей бежали в "
            "соседние сёла, а ночью у линии фронта продолжались бои. Ранее беспилотник атаковал "
            "нефтебазу, пожар потушили только к утру."
        ),
        "football": (
            "«Заречный» в субботу отыгрался и обыграл лидера чемпионата со счётом 3:2. Гости открыли "
            "счёт на десятой минуте после рикошета и удвоили преимущество до перерыва. После перерыва "
            "хозяева стали прессинговать выше, и их молодой нападающий забил дважды за пять минут, "
            "второй мяч — головой после подачи углового. Победный гол был забит в компенсированное время "
            "низом с линии штрафной, и вратарь лишь направил мяч в собственные ворота. Тренер похвалил "
            "коллективную игру команды и атмосферу на стадионе, впервые в сезоне заполненном до отказа."
        ),
        "markets": (
            "Фондовый рынок в среду закрылся ростом: инвесторы приветствовали отчётность крупных банков, "
            "оказавшуюся лучше ожиданий. Основной индекс прибавил 1,2 %, показав лучший результат за "
            "месяц, благодаря бумагам финансового и технологического секторов, а доходность облигаций "
            "снизилась после того, как центральный банк сохранил ставку. Нефть дешевела третью сессию "
            "подряд на фоне избыточного предложения. Курс национальной валюты к доллару почти не "
            "изменился, а объём торгов перед праздничным днём оказался ниже среднемесячного."
        ),
    },
    "uk": {
        "war": (
            "ЗАРІЧЧЯ — Щонайменше дев'ятеро людей загинули і 23 були поранені у вівторок, коли "
            "артилерійські снаряди влучили в критий ринок у східному районі Заріччя, повідомила обласна "
            "служба охорони здоров'я. Рятувальники пізно ввечері дістали два тіла з-під завалів пекарні. "
            "Військові звинуватили в обстрілі бойовиків; ті заявили, що солдати стріляли по ринку з "
            "позицій на іншому березі річки. Мешканці розповіли, що обстріл почався невдовзі після "
            "дев'ятої ранку і тривав близько двадцяти хвилин. Сотні цивільних утекли до сусідніх сіл, а "
            "вночі біля лінії фронту тривали бої. Раніше безпілотник атакував нафтобазу, пожежу "
            "загасили лише вранці."
        ),
        "football": (
            "«Заріччя» в суботу відігралося й перемогло лідера чемпіонату з рахунком 3:2. Гості "
            "відкрили рахунок на десятій хвилині після рикошету й подвоїли перевагу до перерви. Після "
            "перерви господарі почали пресингувати вище, і їхній молодий нападник забив двічі за п'ять "
            "хвилин, другий м'яч — головою після подачі кутового. Переможний гол забили в компенсований "
            "час низом із лінії штрафного майданчика, і воротар лише спрямував м'яч у власні ворота. "
            "Тренер похвалив колективну гру команди й атмосферу на стадіоні, уперше в сезоні заповненому "
            "вщерть."
        ),
        "markets": (
            "Фондовий ринок у середу закрився зростанням: інвестори привітали звітність великих банків, "
            "яка виявилася кращою за очікування. Основний індекс додав 1,2 %, показавши найкращий "
            "результат за місяць завдяки паперам фінансового й технологічного секторів, а дохідність "
            "облігацій знизилася після того, як центральний банк зберіг облікову ставку. Нафта дешевшала "
            "третю сесію поспіль на тлі надлишкової пропозиції. Курс національної валюти до долара майже "
            "не змінився, а обсяг торгів перед святковим днем виявився нижчим за середньомісячний."
        ),
    },
    "ar": {
        "war": (
            "الوادي الأخضر — قتل تسعة أشخاص على الأقل وأصيب 23 آخرون يوم الثلاثاء عندما سقطت قذائف "
            "مدفعية على السوق المسقوف في الحي الشرقي لبلدة الوادي الأخضر، وفق ما أفادت مديرية الصحة. "
            "وانتشل عناصر الدفاع المدني جثتين من تحت أنقاض مخبز منهار في وقت متأخر من المساء. واتهم "
            "الجيش المسلحين بتنفيذ القصف، فيما قال المتمردون إن الجنود أطلقوا النار على السوق من "
            "مواقعهم على الضفة الأخرى من النهر. وقال سكان إن القصف بدأ بعد التاسعة صباحا بقليل واستمر "
            "نحو عشرين دقيقة. وفر مئات المدنيين إلى القرى المجاورة، فيما تواصلت الاشتباكات ليلا على "
            "خطوط التماس، وشنت طائرات مسيرة غارات على مواقع عسكرية قريبة."
        ),
        "football": (
            "قلب فريق الوادي الأخضر تأخره إلى فوز على متصدر الدوري بنتيجة 3-2 يوم السبت. وتقدم الضيوف "
            "بعد عشر دقائق بتسديدة غيرت اتجاهها، ثم أضافوا الهدف الثاني قبل الاستراحة. وفي الشوط الثاني "
            "ضغط أصحاب الأرض بقوة، وسجل مهاجمهم الشاب هدفين في خمس دقائق، الثاني بضربة رأس إثر ركلة "
            "ركنية. وجاء هدف الفوز في الوقت بدل الضائع بتسديدة أرضية من حدود المنطقة لم يستطع الحارس "
            "سوى تحويلها إلى شباكه. وأشاد المدرب باللعب الجماعي لفريقه وبأجواء الملعب الذي امتلأ "
            "بالكامل للمرة الأولى هذا الموسم."
        ),
        "markets": (
            "أغلقت البورصة على ارتفاع يوم الأربعاء بعدما رحب المستثمرون بنتائج أفضل من المتوقع للبنوك "
            "الكبرى. وصعد المؤشر الرئيسي 1.2 في المئة، مسجلا أفضل جلسة له منذ شهر، بدعم من أسهم القطاعين "
            "المالي والتكنولوجي، فيما تراجعت عوائد السندات بعد أن أبقى البنك المركزي أسعار الفائدة دون "
            "تغيير. وانخفضت أسعار النفط للجلسة الثالثة على التوالي وسط وفرة في المعروض. واستقرت العملة "
            "تقريبا أمام الدولار، وجاءت أحجام التداول دون متوسطها الشهري قبيل عطلة رسمية."
        ),
    },
    "el": {
        "war": (
            "ΚΑΣΤΡΟΧΩΡΙ — Τουλάχιστον εννέα άνθρωποι σκοτώθηκαν και 23 τραυματίστηκαν την Τρίτη, όταν "
            "οβίδες πυροβολικού έπληξαν τη σκεπαστή αγορά στην ανατολική συνοικία του Καστροχωρίου, "
            "σύμφωνα με την περιφερειακή υπηρεσία υγείας. Διασώστες ανέσυραν αργά το βράδυ δύο πτώματα "
            "από ένα αρτοποιείο που κατέρρευσε. Ο στρατός απέδωσε την επίθεση στους αντάρτες· οι "
            "ένοπλοι υποστήριξαν ότι στρατιώτες άνοιξαν πυρ κατά της αγοράς από θέσεις στην απέναντι "
            "όχθη του ποταμού. Κάτοικοι είπαν ότι ο βομβαρδισμός ξεκίνησε λίγο μετά τις εννέα το πρωί "
            "και κράτησε περίπου είκοσι λεπτά. Εκατοντάδες άμαχοι διέφυγαν στα γειτονικά χωριά, ενώ οι "
            "μάχες συνεχίστηκαν τη νύχτα κοντά στη γραμμή του μετώπου."
        ),
        "football": (
            "Ο Αστέρας Καστροχωρίου ανέτρεψε το σκορ και νίκησε την πρωτοπόρο με 3-2 το Σάββατο. Οι "
            "φιλοξενούμενοι προηγήθηκαν στο δέκατο λεπτό με ένα σουτ που άλλαξε πορεία και διπλασίασαν "
            "τα τέρματά τους πριν από το ημίχρονο. Στο δεύτερο μέρος οι γηπεδούχοι πίεσαν ψηλότερα και ο "
            "νεαρός σέντερ φορ τους σκόραρε δύο φορές μέσα σε πέντε λεπτά, τη δεύτερη με κεφαλιά μετά από "
            "κόρνερ. Το γκολ της νίκης ήρθε στις καθυστερήσεις, με ένα χαμηλό σουτ έξω από την περιοχή "
            "που ο τερματοφύλακας απλώς έστειλε στα δίχτυα του. Ο προπονητής επαίνεσε το ομαδικό παιχνίδι "
            "και την ατμόσφαιρα του γηπέδου, γεμάτου για πρώτη φορά φέτος."
        ),
        "markets": (
            "Το χρηματιστήριο έκλεισε με άνοδο την Τετάρτη, καθώς οι επενδυτές χαιρέτισαν αποτελέσματα "
            "καλύτερα των αναμενόμενων από τις μεγάλες τράπεζες. Ο γενικός δείκτης κέρδισε 1,2 %, τη "
            "καλύτερη συνεδρίαση εδώ και έναν μήνα, με ώθηση από τις μετοχές του χρηματοπιστωτικού και "
            "του τεχνολογικού κλάδου, ενώ οι αποδόσεις των ομολόγων υποχώρησαν αφού η κεντρική τράπεζα "
            "διατήρησε αμετάβλητα τα επιτόκια. Το πετρέλαιο υποχώρησε για τρίτη συνεχόμενη συνεδρίαση "
            "λόγω άφθονης προσφοράς. Το νόμισμα κινήθηκε σχεδόν αμετάβλητο έναντι του δολαρίου και ο "
            "όγκος συναλλαγών ήταν κάτω από τον μηνιαίο μέσο όρο ενόψει αργίας."
        ),
    },
}


def _per_thousand(text: str, lang: str) -> float:
    return 1000 * cues_of(lang, "relevance").count(text) / len(text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_war_report_is_dense_in_conflict_words(lang: str) -> None:
    assert _per_thousand(RELEVANCE[lang]["war"], lang) >= 1.5 * THRESHOLD


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["football", "markets"])
def test_other_news_is_sparse_in_conflict_words(lang: str, kind: str) -> None:
    text = RELEVANCE[lang][kind]
    found = cues_of(lang, "relevance").find_all(tokens(text))
    assert _per_thousand(text, lang) < 2, found


# ----------------------------------------------------------------------------- abbreviations
ABBREVIATED = {
    "fr": "Selon le gén. Arnal, 12 soldats ont été tués. Les combats continuent.",
    "es": "Según el gral. Ortega, 12 soldados murieron. Los combates siguen.",
    "pt": "Segundo o gen. Tavares, 12 soldados morreram. Os combates continuam.",
    "it": "Secondo il gen. Valdi, 12 soldati sono morti. I combattimenti continuano.",
    "de": "Laut Prof. Lindner wurden 12 Soldaten getötet. Die Kämpfe dauern an.",
    "ru": "По словам ген. Сорокина, погибли 12 военных. Бои продолжаются.",
    "uk": "За словами ген. Кравця, загинули 12 військових. Бої тривають.",
    "el": "Σύμφωνα με τον δρ. Λιάκο, σκοτώθηκαν 12 στρατιώτες. Οι μάχες συνεχίζονται.",
}


@pytest.mark.parametrize("lang", sorted(ABBREVIATED))
def test_an_abbreviation_does_not_end_a_sentence(lang: str) -> None:
    from pipeline.extract.sentences import sentence_spans

    assert len(sentence_spans(ABBREVIATED[lang], lang)) == 2


# German writes ordinal numbers with a full stop ("am 1. Juni"); the sentence splitter ends a
# sentence at ". " before a capital unless the word before is an abbreviation, and a digit is
# not a word of the abbreviation list (listing digits would stop "... stieg auf 31. Die ...").
@pytest.mark.xfail(
    reason="sentence splitter: a German ordinal date (1. Juni) ends a sentence", strict=True
)
def test_a_german_ordinal_date_does_not_end_a_sentence() -> None:
    from pipeline.extract.sentences import sentence_spans

    assert len(sentence_spans("Am 1. Juni wurden 12 Soldaten verwundet.", "de")) == 1


# ----------------------------------------------------------------------------- the files
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_file_has_the_sections_and_labels_of_english(lang: str) -> None:
    english = vocab.load("cues", "en")
    data = vocab.load("cues", lang)
    assert data["language"] == lang
    assert set(data) == set(english)
    for section, body in english.items():
        if isinstance(body, dict):
            assert list(data[section]) == list(body), section  # event_types: same priority
            for label, patterns in data[section].items():
                assert patterns, (section, label)
        elif isinstance(body, list) and section not in ("of_words", "districts_after"):
            # ru, uk, el need no "of" word; most languages put a quarter's word before its name
            assert data[section], section


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_pattern_is_a_string(lang: str) -> None:
    # YAML reads a bare `on`, `no` or `yes` as a boolean: a word list must quote them.
    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                assert isinstance(item, str), item

    data = vocab.load("cues", lang)
    for section, body in data.items():
        if section not in ("language", "version"):
            walk(body)


def test_files_parse_as_plain_yaml() -> None:
    from importlib import resources

    folder = resources.files("schemas") / "vocab" / "cues"
    for lang in LANGUAGES:
        assert yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the index
# `Cues.match_at` tries only the patterns whose first word may start with the token's first
# letter. Reference: every pattern, longest first, as the vocabulary declares them.


def _every_pattern_at(cues: object, toks: list, i: int) -> tuple[str, int] | None:  # type: ignore[type-arg]
    for p in cues.patterns:  # type: ignore[attr-defined]
        n = len(p.words)
        if i + n <= len(toks) and all(w.fullmatch(toks[i + k].text) for k, w in enumerate(p.words)):
            return p.source, i + n - 1
    return None


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_the_first_letter_index_finds_what_every_pattern_finds(language: str) -> None:
    data = vocab.load("cues", language)
    for section, body in data.items():
        if not isinstance(body, (dict, list)):
            continue
        cues = cues_of(language, section)
        # A text of the section's own entries, wildcards filled, and words around them.
        entries = [p.source.replace("*", "xy") for p in cues.patterns]
        toks = tokens(" ".join(f"{e} 12 the {e[:3]}" for e in entries))
        for i in range(len(toks) + 2):  # past the end too: no hit
            hit = cues.match_at(toks, i)
            found = None if hit is None else (hit.pattern, hit.last)
            assert found == _every_pattern_at(cues, toks, i), (section, toks[i].text)
