"""Putting a message into a sentence: reasons come from many places (the database, a trainer,
a refused upload), some ending in a full stop and some not, and a page joins them to its own words."""


def as_sentence(reason):
    """The reason with one full stop at its end, never two: "it was refused" → "it was refused."."""
    text = str(reason).strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
