"""Fine-tuning a room's network as a background job (core/jobs/local.py): the same
queue, the same progress reports, and nobody waits for the same run twice. The tuned network is
saved in the model folder and set as that room's network; no other room's changes."""

import hashlib
import logging

from core.digits.data import refusal as mnist_refusal

LOG = logging.getLogger(__name__)


def room_prefix(code):
    """The start of every key of a network taught this room (the model folder keeps them while the room lasts)."""
    from core.digits.saved import ROOM_NETWORK_PREFIX

    return f"{ROOM_NETWORK_PREFIX}{code}-"


def job_key(code, version, base):
    """The job's name: the room, the drawings it learns from (their version) and the network it starts from."""
    digest = hashlib.sha256(repr((code, tuple(version), base)).encode()).hexdigest()[:12]
    return f"{room_prefix(code)}{digest}"


def _base_model(base, directory):
    from core.digits import shipped
    from core.digits.saved import ModelStore

    loaded = ModelStore(directory).load_keras(base)
    if loaded is None and shipped.card() and shipped.card()["key"] == base:
        loaded = shipped.load_keras()
    if loaded is None:
        raise RuntimeError(f"the network {base} to start from is gone")
    return loaded


def _taught_metadata(key, code, base, metadata, summary, history, tuned, data):
    """The taught network's card: what it learnt from (its starting network's digits and the room's),
    how it learnt, and its evaluation on MNIST's test digits."""
    from core.digits import model as mnist_model

    trained_on = summary["class_digits_trained_on"]
    return {
        "key": key,
        "config": metadata["config"],
        "n_test": int(len(data.x_test)),
        "n_train": int(metadata["n_train"]) + trained_on,
        "data_source": f"{metadata['data_source']}; then {trained_on} of this class's "
        f"digits, mixed with {summary['mnist_digits_mixed_in']:,} MNIST training digits",
        "history": {**history, "seconds": summary["seconds"]},
        "evaluation": mnist_model.evaluate(tuned, data),
        "fine_tune": {**summary, "room": code, "base": base},
        # what it learnt from includes what its starting network learnt from (all of MNIST, for the shipped one)
        "mnist_data_id": metadata.get("mnist_data_id", data.data_id),
    }


def teach_room(report, code, base, key, directory, database, data_id):
    """The job body: fine-tune network `base` on room `code`'s drawings, save it as `key` and make
    it the room's network. Returns `key`."""
    from core.digits import data as mnist_data
    from core.digits import model as mnist_model
    from core.digits import shared
    from core.digits.saved import ModelStore
    from core.jobs import JobError
    from core.lab import finetune
    from core.lab.store import Lab

    report("loading data")
    try:
        lab, data = Lab(database), mnist_data.load()
        if data.data_id != data_id:
            raise RuntimeError(f"the fine-tuning process found different data ({data.source}) than the app")
        drawings = lab.drawings(code)
        model, metadata = _base_model(base, directory)
        tuned, summary = finetune.fine_tune(model, drawings.images, drawings.labels, data, report=report)
        history = summary.pop("history")
        report("evaluating", history=history)
        tuned_metadata = _taught_metadata(key, code, base, metadata, summary, history, tuned, data)
        models = ModelStore(directory)
        if not models.save(key, tuned, tuned_metadata):
            raise RuntimeError("the model folder is read-only, so the taught network cannot be kept")
        models.enforce_budget(keep=mnist_model.preset_keys(data.data_id))
        shared.publish(models, key)  # servers on other machines copy it from the database
        lab.set_network(code, key)
    except (ValueError, RuntimeError) as error:  # a reason a teacher can act on, said on the page
        LOG.exception("fine-tuning failed")
        raise JobError(f"teaching the network stopped: {error}") from None
    return key


teach_room.refuses = mnist_refusal  # a worker with other MNIST data does not take it (core/jobs/worker.py)
