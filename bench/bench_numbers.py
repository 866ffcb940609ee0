"""Reading numbers costs milliseconds per article, in every script.

    .venv/bin/python bench/bench_numbers.py [--rounds 20]

Per language: `find_numbers` on an article of about 2,000 characters written for this
benchmark (the vocabulary compiled first), best and median of the rounds, in ms, and the ratio
of the best to a 15 ms budget per article (under 1 = within budget).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.interpret.numbers import find_numbers

BUDGET = 0.015  # seconds per article: well under a model request, whatever the language
TEXTS = {
    "en": "Officials said at least 14 people were killed and dozens wounded on Oct. 14 when "
    "several missiles struck, some 60 kilometres from the front, and about 1,200 people "
    "were left without power for three days. ",
    "ru": "По меньшей мере 14 человек погибли, десятки ранены 14 октября, около 1 200 человек "
    "без света три дня. ",
    "ar": "قتل ما لا يقل عن 14 شخصا وأصيب العشرات في 17 أكتوبر، ونحو 1,200 شخص بلا كهرباء "
    "لثلاثة أيام. ",
    "pt": "Pelo menos 14 pessoas morreram e dezenas ficaram feridas; cerca de 4.000 famílias "
    "fugiram em três dias. ",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    for language, sentence in TEXTS.items():
        article = (sentence * 40)[:2000]
        find_numbers(article, language)  # compile the vocabulary outside the clock
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            find_numbers(article, language)
            times.append(time.perf_counter() - started)
        best = min(times)
        print(
            f"{language}  best {best * 1000:.1f} ms  median "
            f"{statistics.median(times) * 1000:.1f} ms  ratio to budget {best / BUDGET:.2f}"
        )


if __name__ == "__main__":
    main()
