"""Number phrases in any language → spans, kinds and inclusive intervals.

Deterministic and pure: the model only chooses which phrase fills a field ("more than 104",
"a dozen", "أكثر من 100"); finding the phrases and all arithmetic happen here, where they can
be tested. Each language is a vocabulary file (`schemas/vocab/numbers/<lang>.yaml`): hedges,
range words, vague amounts, units, separators, and number words where text2num does not read
the language; the interval rules (`intervals`) are the same for all of them.
"""

from pipeline.interpret.numbers.intervals import NumberPhraseError
from pipeline.interpret.numbers.scan import find_numbers, parse_quantity

__all__ = ["NumberPhraseError", "find_numbers", "parse_quantity"]
