"""What the class lab refuses, in words."""


class RoomProblem(ValueError):
    """A room code, key, label or addition that cannot be accepted; the message says why."""
