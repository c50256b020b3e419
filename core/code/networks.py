"""The code behind the hidden-layers playground (scikit-learn's network, as the page trains it, and
the same network in Keras) and backpropagation (the 2-2-1 network's forward and backward pass in
numpy, then the same slopes from TensorFlow's GradientTape)."""

from core.code.listing import Listing, Step, assignments, in_language, literal, source_of, templates
from core.i18n import N_, _
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


# What the hidden-layers listing says, a sentence a step (translated when a listing is made).
HIDDEN_LAYERS = {
    "title": N_("Hidden layers"),
    "intro": N_(
        "Redo the playground: its points, the features the network sees, and the network "
        "scikit-learn trains, then the same network in Keras."
    ),
    "data": N_(
        "The data set **{dataset}**, made by the app's own function "
        "(`core/lessons/playground_data.py`), and split into training and test points."
    ),
    "features": N_("The inputs the network sees: the features ticked on the page, each a formula in x1 and x2."),
    "scikit_learn": N_(
        "scikit-learn's `{kind}` with the page's settings: plain stochastic gradient descent (`sgd`) "
        "with momentum, on mini-batches. `partial_fit` makes one pass over the training points, an "
        "epoch; {made}."
    ),
    "made": N_("the page has made {epochs}"),
    "made_diverged": N_("the page made {epochs}, the last of which blew up"),
    "made_none": N_('the page has not trained yet, so this makes the {epochs} that "Train 10 epochs" makes'),
    "diverged": N_(
        "The page stops a network once its loss passes {loss} or a weight grows past {weight}. "
        "scikit-learn does not: it runs every epoch and prints a score from the blown-up weights, "
        "often no better than guessing, unless the weights stop being numbers at all: then it stops "
        "with an error, which the code prints. The largest weight shows what happened."
    ),
    "keras": N_(
        "The same shape of network in Keras: the same layers, activation, learning rate and momentum. "
        "It starts from other random weights, so its numbers differ a little from scikit-learn's."
    ),
}


def _epochs_made(network, says):
    """How many epochs the code makes, and why: the passes the page made, the one that blew up
    included; an untrained page has no numbers to redo, so the ten "Train 10 epochs" would."""
    if network.diverged_:
        return network.epoch + 1, says["made_diverged"].format(epochs=network.epoch + 1)
    if network.epoch:
        return network.epoch, says["made"].format(epochs=network.epoch)
    return TRAIN_EPOCHS, says["made_none"].format(epochs=TRAIN_EPOCHS)


def hidden_layers_page(network, dataset, noise, test_share, seed, points):
    """The playground: its data, the chosen features, scikit-learn's network trained for as many
    epochs as the page's, and the same network in Keras."""
    says, code = in_language(HIDDEN_LAYERS), templates("networks")
    kind, settings = network.estimator()
    features = ", ".join(playground.FEATURES[name].expression for name in network.features)
    epochs, made = _epochs_made(network, says)
    trained = says["scikit_learn"].format(kind=kind, made=made)
    if network.diverged_:
        limits = {"loss": f"{playground.DIVERGED_LOSS:g}", "weight": f"{playground.DIVERGED_WEIGHT:g}"}
        trained += " " + says["diverged"].format(**limits)
    classes = list(range(network.classes))
    steps = (
        Step(
            says["data"].format(dataset=_(dataset)),
            _data_code(dataset, noise, test_share, seed, points, network.classes),
            fold=True,
        ),
        Step(says["features"], code.features(features)),
        Step(trained, code.scikit_learn(kind, settings, epochs, classes, network.regression, network.diverged_)),
        Step(says["keras"], _keras_code(kind, settings, network.features, network.classes)),
    )
    results = ("test_loss", "keras_test_loss") if network.regression else ("test_accuracy", "keras_test_accuracy")
    return Listing(says["title"], says["intro"], steps, results, "hidden-layers")


# What the backpropagation listing says.
BACKPROP = {
    "title": N_("Backpropagation"),
    "intro": N_(
        "Redo the page's numbers for one example: the forward pass, the backward pass by "
        "hand in numpy, then the same slopes from TensorFlow."
    ),
    "network": N_(
        "The network as it is on the page: W1 holds the hidden neurons' weights (one row per neuron), "
        "W2 the output's; the example's inputs x and target y."
    ),
    "forward": N_(
        "The forward pass: each layer's weighted sums z = W·a + b, then the sigmoid; the cost is half "
        "the squared miss, C = ½(y − a)²."
    ),
    "backward": N_(
        "The backward pass, BP1 to BP4, from the output back to the inputs (the loop of a bigger network "
        "runs over the layers backwards). σ′(z) = a(1 − a)."
    ),
    "tape": N_(
        "What TensorFlow does for you: `tf.GradientTape` records the forward pass and works out every "
        "slope itself, by the same chain rule. They agree with the numpy ones to the last digits a "
        "number holds: the difference printed is around 1e-17, or 0."
    ),
}


def backprop_page(network, x, y):
    """The backpropagation page: the forward pass, BP1–BP4 in numpy, then GradientTape's slopes."""
    says, code = in_language(BACKPROP), templates("networks")
    (w1, w2), (b1, b2) = network.weights, network.biases
    steps = (
        Step(says["network"], code.the_network(assignments(W1=w1, b1=b1, W2=w2, b2=b2, x=x), float(y))),
        Step(says["forward"], code.forward()),
        Step(says["backward"], code.backward()),
        Step(says["tape"], code.gradient_tape()),
    )
    return Listing(says["title"], says["intro"], steps, ("cost", "slopes", "tape_slopes"), "backprop")
