"""A poll's answers: the choices it offers and its right answer (or several equally right ones), as
checked and stored, and the count of answers said in a sentence, for everyone and for screen readers."""

from core.db.schema import TEXT_LENGTH
from core.i18n import N_, _, ngettext
from core.lab.errors import RoomProblem

MAX_CHOICES = 12  # answers one poll offers (the handwriting lesson's ten digits fit)

# A question can have several equally right answers (two slopes that are exactly equal): they are
# stored in the one `answer` column, joined by this, and no choice may contain it.
ANSWER_SEPARATOR = " or "


def stored_answer(answer):
    """The `answer` column's text for one right answer (a string) or several (a tuple)."""
    return ANSWER_SEPARATOR.join(map(str, answer)) if isinstance(answer, tuple) else str(answer)


def right_answers(answer):
    """The right answers a stored `answer` names: one, or several equally right ones."""
    return tuple(str(answer).split(ANSWER_SEPARATOR))


def checked(choices, answer):
    """A poll's choices (cut to TEXT_LENGTH) and its answer as stored; refused unless there are 2 to
    MAX_CHOICES different choices and every right answer is one of them."""
    choices = tuple(str(choice)[:TEXT_LENGTH] for choice in choices)
    if not 2 <= len(choices) <= MAX_CHOICES or len(set(choices)) != len(choices):
        raise RoomProblem(N_("a poll offers 2 to {count} different answers"), count=MAX_CHOICES)
    answer = stored_answer(answer)
    if any(ANSWER_SEPARATOR in choice for choice in choices) or not set(right_answers(answer)) <= set(choices):
        raise RoomProblem(N_("a poll's right answer must be one of its answers"))
    return choices, answer


def in_words(choices, counts, answer=None):
    """The poll's count in a sentence, for everyone and for screen readers: "3 of 5 answered
    “it settles”; 2 said “it diverges”." Once revealed, how many were right."""
    total = sum(counts)
    if total == 0:
        return _("No answers yet.")
    said = [
        _("{count} said “{answer}”").format(count=count, answer=choice)
        for choice, count in zip(choices, counts)
        if count
    ]
    sentence = _("{total} answered: {answers}.").format(total=total, answers="; ".join(said))
    if answer is not None:
        right = sum(count for choice, count in zip(choices, counts) if choice in right_answers(answer))
        were = ngettext("{right} of {total} was right.", "{right} of {total} were right.", right)
        sentence += " " + were.format(right=right, total=total)
    return sentence
