"""A trained network's card, the `<key>.json` kept beside it (core/digits/saved.py): its training
history and its evaluation, which every page reads, checked before any page trusts it."""


def valid_metadata(metadata):
    """True if a model's metadata holds everything the page reads, of the right kinds."""

    def numbers(values, length=None):
        return (
            isinstance(values, list)
            and all(isinstance(value, (int, float)) for value in values)
            and (length is None or len(values) == length)
        )

    try:
        history, evaluation = metadata["history"], metadata["evaluation"]
        return (
            all(numbers(history[name]) for name in ("loss", "accuracy", "val_loss", "val_accuracy"))
            and isinstance(history["seconds"], (int, float))
            and isinstance(metadata["n_train"], int)
            and isinstance(metadata["data_source"], str)
            and isinstance(evaluation["accuracy"], (int, float))
            and isinstance(evaluation["n_test"], int)
            and numbers(evaluation["per_class"], 10)
            and isinstance(evaluation["confusion"], list)
            and len(evaluation["confusion"]) == 10
            and all(numbers(row, 10) for row in evaluation["confusion"])
            and all({"index", "true", "predicted", "confidence"} <= set(mistake) for mistake in evaluation["mistakes"])
        )
    except (KeyError, TypeError):
        return False
