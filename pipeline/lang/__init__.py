"""Vietnamese language knowledge more than one stage needs: letters and matching keys, syllables and
spelling, dates, the registration stamp's vocabulary, and the word lists and patterns of configs/.

It imports no stage (a test checks this), so every stage may use it.
"""
