"""pipeline.ingest.relevance: war reports are relevant; budget, football and market reports
are not, with a margin on both sides of the threshold. Texts written for these tests."""

from __future__ import annotations

import pytest

from pipeline.ingest.relevance import THRESHOLD, is_relevant, score

WAR = {
    "shelling": (
        "VELMORA — At least nine people were killed and 23 wounded on Tuesday when artillery "
        "shells struck the covered market in the eastern district of Velmora, the regional "
        "health office said. Rescue teams pulled two bodies from a collapsed bakery late in the "
        "evening. The army blamed rebel forces for the attack; the rebels said government troops "
        "had fired on the market from positions across the river. Residents said the shelling "
        "began shortly after nine in the morning and lasted about twenty minutes."
    ),
    "drones": (
        "Air defence units shot down 14 of 20 drones launched overnight at the port of Kestrel "
        "Bay, the military said on Sunday, but debris set fire to a fuel depot and damaged two "
        "warehouses. One dock worker was injured. The strike was the third on the port this "
        "month. A spokesman for the armed forces said missile fragments had also been found near "
        "a school, which was closed as a precaution while engineers checked for unexploded "
        "munitions."
    ),
    "talks": (
        "Negotiators for the government and the Northern Front met for a second day of talks on "
        "a ceasefire, mediators said on Thursday. The rebels want a truce along the current front "
        "line and the release of prisoners; the government insists that fighters withdraw from "
        "three towns seized in the spring offensive. The conflict has killed thousands of "
        "civilians and displaced more than a million people since it began. Neither delegation "
        "commented on reports that a draft peace accord had been circulated."
    ),
    "displacement": (
        "More than 40,000 people have fled the Ardel valley in the past week as fighting between "
        "militia groups spread to the villages along the main road, the aid agency said. Families "
        "arrived at the camps on foot, many with nothing but what they could carry, and told of "
        "homes burned and relatives killed. The agency said it had evacuated two clinics after "
        "gunmen attacked a convoy carrying medicine. Refugees interviewed in the camps said armed "
        "men had gone from house to house."
    ),
    "hostages": (
        "Seven hostages seized in a raid on a mining camp last month were freed on Friday after "
        "security forces stormed the hideout where they had been held, officials said. Two "
        "kidnappers were killed in the operation and a soldier was wounded. The militants had "
        "demanded the release of fighters held in the regional prison. Officials said the "
        "hostages, all mine workers, were exhausted but unharmed."
    ),
}

OFF_TOPIC = {
    "defence_budget": (
        "The government will raise defence spending to 2.5 per cent of national income by the "
        "end of the decade, the finance minister said, with new money for the navy's shipyards, "
        "housing for military families and a programme to train engineers. The army's share of "
        "the budget will stay roughly flat, while procurement of weapons and spare parts is "
        "to be spread over ten years. Opposition members said the plan was not costed and asked "
        "how the increase would be paid for without cutting hospitals and schools."
    ),
    "city_budget": (
        "The city council approved next year's budget on Thursday after a three-hour debate. "
        "Spending on libraries will rise by four per cent, bus fares are frozen for a second "
        "year, and the repair of the old swimming pool is finally funded. Councillors from the "
        "opposition said the plan relied too heavily on parking charges and asked for a review "
        "of the contracts for street cleaning. The mayor promised that local taxes would not "
        "rise before the next election."
    ),
    "football": (
        "Harbour United came from behind to beat the league leaders 3-2 on Saturday. The visitors "
        "went ahead after ten minutes with a deflected shot, and doubled their lead before the "
        "break. After the interval United pressed higher, and their young striker scored twice "
        "in five minutes, the second a header from a corner. The winner came in stoppage time, a "
        "low strike from the edge of the box that the goalkeeper could only help into the net. "
        "The manager praised his side's attacking play and the noise of the crowd."
    ),
    "markets": (
        "Shares closed higher on Wednesday as investors welcomed better-than-expected earnings "
        "from the big banks. The main index rose 1.2 per cent, its best day in a month, led by "
        "financial and technology stocks, while bond yields eased after the central bank kept "
        "interest rates on hold. Oil prices slipped for a third session on signs of ample supply. "
        "The currency was little changed against the dollar, and trading volumes were below "
        "their monthly average ahead of a public holiday."
    ),
}


@pytest.mark.parametrize("name", sorted(WAR))
def test_war_reports_are_relevant_with_margin(name: str) -> None:
    assert is_relevant(WAR[name], "en")
    assert score(WAR[name], "en") >= 1.5 * THRESHOLD


@pytest.mark.parametrize("name", sorted(OFF_TOPIC))
def test_other_news_is_not_relevant_with_margin(name: str) -> None:
    assert not is_relevant(OFF_TOPIC[name], "en")
    assert score(OFF_TOPIC[name], "en") <= 0.8 * THRESHOLD


def test_score_is_cue_words_per_thousand_characters_casualty_words_twice() -> None:
    text = "Two people were killed. " * 10  # one casualty word per 24 characters
    assert score(text, "en") == pytest.approx(1000 * 20 / len(text))
    other = "Troops reached the river. " * 10  # one plain cue word per 26 characters
    assert score(other, "en") == pytest.approx(1000 * 10 / len(other))
    assert score("", "en") == 0.0


def test_names_are_not_cue_words() -> None:
    assert not is_relevant("Velmora and Kestrel Bay " * 40, "en")


def test_a_language_without_cue_words_uses_english_ones() -> None:
    assert score(WAR["shelling"], "xx") == score(WAR["shelling"], "en")
