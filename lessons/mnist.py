"""Lesson 8: handwriting recognition. Train a Keras network on MNIST, test it, draw a digit."""

import streamlit as st

from core.i18n import N_, _
from ui.digits import curves, download, evaluate, predict, resources, train
from ui.digits.controls import CONTROLS
from ui.page import header, lesson_footer, try_this

header(
    N_("Handwriting recognition"),
    _(
        "Everything so far comes together here: a network of many neurons, trained by gradient "
        "descent on thousands of examples, learns to read handwritten digits."
    ),
    controls=CONTROLS,
)
dataset = resources.data()
train.data_section(dataset)
config = train.chosen_config()
network = resources.model_for(config, dataset)
if network.rebuilt_after_corruption and network.only_serving_files:
    st.warning(
        _(
            "The files this server reads the saved network from could not be read, so a trainer is making "
            "them again from the saved network."
        ),
        icon=":material/build:",
    )
elif network.rebuilt_after_corruption:
    st.warning(
        _("The saved copy of this network could not be read, so it was discarded and is being trained again."),
        icon=":material/build:",
    )
if isinstance(network, resources.Training):
    train.progress(network.job, config.epochs)
    lesson_footer(CONTROLS)
    st.stop()

learnt, evaluation = st.container(), st.container()  # filled after the prediction: answer first, explain after
predict.section(network, dataset)
with learnt:
    curves.learning_curves(network)
with evaluation:
    evaluate.section(network, dataset)
download.section(network, config)
try_this(
    _(
        "Train Nielsen's network (the book's own): it learns in under a minute on a small server and reads about "
        "19 in 20 test digits."
    ),
    _("Draw a 7 small in a corner: the preprocessing still centres and scales it, as MNIST did."),
    _("Pick random test digits until you find one it gets wrong: would you have read it right?"),
)
lesson_footer(CONTROLS)
