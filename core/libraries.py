"""Libraries a page needs only to draw a chart or a table: loaded when first used (lazy_loader), so
a page pays for them after its first answer, not before (bench/README.md, "First answer").
tests/test_first_answer.py checks that the handwriting page's imports load neither."""

import lazy_loader as lazy

alt = lazy.load("altair")
pd = lazy.load("pandas")
