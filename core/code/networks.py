"""The code behind the hidden-layers playground (scikit-learn's network, as the page trains it, and
the same network in Keras) and backpropagation (the 2-2-1 network's forward and backward pass in
numpy, then the same slopes from TensorFlow's GradientTape)."""

from core.code.listing import Listing, Step, assignments, literal, source_of, templates
from core.i18n import _
from core.lessons import playground, playground_data

TRAIN_EPOCHS = 10  # what the page's "Train 10 epochs" button makes
KERAS_ACTIVATIONS = {"logistic": "sigmoid", "tanh": "tanh", "relu": "relu", "identity": "linear"}


def _data_code(dataset, noise, test_share, seed, points, classes):
    data = playground_data
    functions = source_of(
        *((data, name) for name in ("EXTENT", "DATASETS", "SURFACES", "ONLY_YOURS", "CORNERS", "BLOBS")),
        data._spirals,
        data._xor,
        data._surface,
        data.make_dataset,
    )
    own = [list(point) for point in points]
    stratify = "y" if classes else "None"
    return templates("networks").playground_data(functions, dataset, noise, seed, own, test_share, stratify)


def _keras_code(kind, settings, features, classes):
    act = KERAS_ACTIVATIONS[settings["activation"]]
    # scikit-learn adds ½·alpha·Σw² ÷ (the mini-batch's size) to the loss; Keras's L2(l2) adds l2·Σw²
    penalty = (
        [f"kernel_regularizer=keras.regularizers.L2({literal(settings['alpha'] / (2 * settings['batch_size']))})"]
        if settings["alpha"]
        else []
    )

    def dense(units, activation=None):
        arguments = [str(units), *([f"activation={literal(activation)}"] if activation else []), *penalty]
        return f"keras.layers.Dense({', '.join(arguments)})"

    units, activation, loss = {0: (1, None, "mean_squared_error"), 2: (1, "sigmoid", "binary_crossentropy")}.get(
        classes, (classes, "softmax", "sparse_categorical_crossentropy")
    )
    layers = [dense(size, act) for size in settings["hidden_layer_sizes"]] + [dense(units, activation)]
    return templates("networks").keras_network(
        len(features), layers, settings["learning_rate_init"], loss, classes == 0, settings["batch_size"]
    )


def hidden_layers_page(network, dataset, noise, test_share, seed, points):
    """The playground: its data, the chosen features, scikit-learn's network trained for as many
    epochs as the page's, and the same network in Keras."""
    kind, settings = network.estimator()
    features = ", ".join(playground.FEATURES[name].expression for name in network.features)
    code = templates("networks")
    # the passes the page made, the one that blew up included; an untrained page has no numbers to
    # redo, so the code makes the ten epochs "Train 10 epochs" would
    epochs = network.epoch + 1 if network.diverged_ else network.epoch or TRAIN_EPOCHS
    if network.diverged_:
        made = _("the page made {epochs}, the last of which blew up").format(epochs=epochs)
    elif network.epoch:
        made = _("the page has made {epochs}").format(epochs=network.epoch)
    else:
        made = _('the page has not trained yet, so this makes the {epochs} that "Train 10 epochs" makes').format(
            epochs=TRAIN_EPOCHS
        )
    return Listing(
        _("Hidden layers"),
        _(
            "Redo the playground: its points, the features the network sees, and the network "
            "scikit-learn trains, then the same network in Keras."
        ),
        (
            Step(
                _(
                    "The data set **{dataset}**, made by the app's own function "
                    "(`core/lessons/playground_data.py`), and split into training and test points."
                ).format(dataset=_(dataset)),
                _data_code(dataset, noise, test_share, seed, points, network.classes),
                fold=True,
            ),
            Step(
                _("The inputs the network sees: the features ticked on the page, each a formula in x1 and x2."),
                code.features(features),
            ),
            Step(
                _(
                    "scikit-learn's `{kind}` with the page's settings: plain stochastic gradient descent (`sgd`) "
                    "with momentum, on mini-batches. `partial_fit` makes one pass over the training points, an "
                    "epoch; {made}."
                ).format(kind=kind, made=made)
                + (
                    " "
                    + _(
                        "The page stops a network once its loss passes {loss} or a weight grows past {weight}. "
                        "scikit-learn does not: it runs every epoch and prints a score from the blown-up weights, "
                        "often no better than guessing, unless the weights stop being numbers at all: then it stops "
                        "with an error, which the code prints. The largest weight shows what happened."
                    ).format(loss=f"{playground.DIVERGED_LOSS:g}", weight=f"{playground.DIVERGED_WEIGHT:g}")
                    if network.diverged_
                    else ""
                ),
                code.scikit_learn(
                    kind, settings, epochs, list(range(network.classes)), network.regression, network.diverged_
                ),
            ),
            Step(
                _(
                    "The same shape of network in Keras: the same layers, activation, learning rate and momentum. "
                    "It starts from other random weights, so its numbers differ a little from scikit-learn's."
                ),
                _keras_code(kind, settings, network.features, network.classes),
            ),
        ),
        ("test_loss", "keras_test_loss") if network.regression else ("test_accuracy", "keras_test_accuracy"),
        "hidden-layers",
    )


def backprop_page(network, x, y):
    """The backpropagation page: the forward pass, BP1–BP4 in numpy, then GradientTape's slopes."""
    (w1, w2), (b1, b2) = network.weights, network.biases
    code = templates("networks")
    return Listing(
        _("Backpropagation"),
        _(
            "Redo the page's numbers for one example: the forward pass, the backward pass by "
            "hand in numpy, then the same slopes from TensorFlow."
        ),
        (
            Step(
                _(
                    "The network as it is on the page: W1 holds the hidden neurons' weights (one row per neuron), "
                    "W2 the output's; the example's inputs x and target y."
                ),
                code.the_network(assignments(W1=w1, b1=b1, W2=w2, b2=b2, x=x), float(y)),
            ),
            Step(
                _(
                    "The forward pass: each layer's weighted sums z = W·a + b, then the sigmoid; the cost is half "
                    "the squared miss, C = ½(y − a)²."
                ),
                code.forward(),
            ),
            Step(
                _(
                    "The backward pass, BP1 to BP4, from the output back to the inputs (the loop of a bigger network "
                    "runs over the layers backwards). σ′(z) = a(1 − a)."
                ),
                code.backward(),
            ),
            Step(
                _(
                    "What TensorFlow does for you: `tf.GradientTape` records the forward pass and works out every "
                    "slope itself, by the same chain rule. They agree with the numpy ones to the last digits a "
                    "number holds: the difference printed is around 1e-17, or 0."
                ),
                code.gradient_tape(),
            ),
        ),
        ("cost", "slopes", "tape_slopes"),
        "backprop",
    )
