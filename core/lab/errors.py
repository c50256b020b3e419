"""What the class lab refuses, in words."""

from core.i18n import Refused


class RoomProblem(Refused):
    """A room code, key, label or addition that cannot be accepted; the message says why, as a marked
    sentence and its values (core/i18n.py), so each reader reads it in their own language."""
