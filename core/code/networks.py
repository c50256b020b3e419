"""The code behind the hidden-layers playground (scikit-learn's network, as the page trains it, and
the same network in Keras) and backpropagation (the 2-2-1 network's forward and backward pass in
numpy, then the same slopes from TensorFlow's GradientTape)."""

from core.code.listing import Listing, Step, assignments, literal, source_of
from core.lessons import playground, playground_data

TRAIN_EPOCHS = 10  # what the page's "Train 10 epochs" button makes
KERAS_ACTIVATIONS = {"logistic": "sigmoid", "tanh": "tanh", "relu": "relu", "identity": "linear"}


def _data_code(dataset, noise, test_share, seed, points, classes):
    data = playground_data
    own = (
        f"\nown_points = np.array({literal([list(point) for point in points])})   # your clicks: x1, x2, class\n"
        "X = np.vstack([X, own_points[:, :2]])\ny = np.concatenate([y, own_points[:, 2].astype(int)])"
        if len(points)
        else ""
    )
    return (
        "import numpy as np\nfrom sklearn.datasets import make_blobs, make_circles, make_moons\n"
        "from sklearn.model_selection import train_test_split\n\n"
        + source_of(
            *((data, name) for name in ("EXTENT", "DATASETS", "SURFACES", "ONLY_YOURS", "CORNERS", "BLOBS")),
            data._spirals,
            data._xor,
            data._surface,
            data.make_dataset,
        )
        + f"\n\n\nX, y = make_dataset({literal(dataset)}, 300, noise={literal(noise)}, seed={literal(seed)})"
        + own
        + f"\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size={literal(test_share)}, "
        f"stratify={'y' if classes else 'None'}, random_state={literal(seed)})"
    )


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

    hidden = "".join(f"    {dense(size, act)},\n" for size in settings["hidden_layer_sizes"])
    units, activation, loss = {0: (1, None, "mean_squared_error"), 2: (1, "sigmoid", "binary_crossentropy")}.get(
        classes, (classes, "softmax", "sparse_categorical_crossentropy")
    )
    output, loss = dense(units, activation), literal(loss)
    return (
        "import keras\n\n"
        f"keras_network = keras.Sequential([\n    keras.Input(({len(features)},)),\n{hidden}    {output},\n])\n"
        f"keras_network.compile(optimizer=keras.optimizers.SGD({literal(settings['learning_rate_init'])}, "
        "momentum=0.9, nesterov=True),\n"
        f"                      loss={loss}" + ("" if classes == 0 else ', metrics=["accuracy"]') + ")\n"
        f"keras_network.fit(train_inputs, y_train, batch_size={literal(settings['batch_size'])}, "
        "epochs=epochs, verbose=0)\n"
        + (
            "keras_test_loss = keras_network.evaluate(test_inputs, y_test, verbose=0)\n"
            'print("Keras: test_loss", keras_test_loss)   # mean squared error, as above'
            if classes == 0
            else "keras_test_loss, keras_test_accuracy = keras_network.evaluate(test_inputs, y_test, verbose=0)\n"
            'print("Keras: test_accuracy", keras_test_accuracy)'
        )
    )


def hidden_layers_page(network, dataset, noise, test_share, seed, points):
    """The playground: its data, the chosen features, scikit-learn's network trained for as many
    epochs as the page's, and the same network in Keras."""
    kind, settings = network.estimator()
    features = ", ".join(playground.FEATURES[name].expression for name in network.features)
    fit = (
        "network.partial_fit(train_inputs, y_train)"
        if network.regression
        else f"network.partial_fit(train_inputs, y_train, classes={literal(list(range(network.classes)))})"
    )
    score = (
        "test_loss = float(np.mean((network.predict(test_inputs) - y_test) ** 2))   # mean squared error"
        if network.regression
        else "test_accuracy = float(np.mean(network.predict(test_inputs) == y_test))"
    )
    shown = "test_loss" if network.regression else "test_accuracy"
    # the passes the page made, the one that blew up included; an untrained page has no numbers to
    # redo, so the code makes the ten epochs "Train 10 epochs" would
    epochs = network.epoch + 1 if network.diverged_ else network.epoch or TRAIN_EPOCHS
    made = (
        f"the page made {epochs}, the last of which blew up"
        if network.diverged_
        else f"the page has made {network.epoch}"
        if network.epoch
        else f'the page has not trained yet, so this makes the {TRAIN_EPOCHS} that "Train 10 epochs" makes'
    )
    return Listing(
        "Hidden layers",
        "Redo the playground: its points, the features the network sees, and the network "
        "scikit-learn trains, then the same network in Keras.",
        (
            Step(
                f"The data set **{dataset}**, made by the app's own function "
                "(`core/lessons/playground_data.py`), and split into training and test points.",
                _data_code(dataset, noise, test_share, seed, points, network.classes),
                fold=True,
            ),
            Step(
                "The inputs the network sees: the features ticked on the page, each a formula in x1 and x2.",
                "import numpy as np\n\n\ndef features(X):\n    x1, x2 = X[:, 0], X[:, 1]\n"
                f"    return np.column_stack([{features}])\n\n\n"
                "train_inputs, test_inputs = features(X_train), features(X_test)",
            ),
            Step(
                f"scikit-learn's `{kind}` with the page's settings: plain stochastic gradient descent (`sgd`) "
                "with momentum, on mini-batches. `partial_fit` makes one pass over the training points, an "
                f"epoch; {made}."
                + (
                    f" The page stops a network once its loss passes {playground.DIVERGED_LOSS:g} or a weight "
                    f"grows past {playground.DIVERGED_WEIGHT:g}. scikit-learn does not: it runs every epoch and "
                    "prints a score from the blown-up weights, often no better than guessing, unless the weights stop "
                    "being numbers at all: then it stops with an error, which the code prints. The largest weight "
                    "shows what happened."
                    if network.diverged_
                    else ""
                ),
                f"from sklearn.neural_network import {kind}\n\nnetwork = {kind}(\n"
                + "".join(f"    {name}={literal(value)},\n" for name, value in settings.items())
                + f")\nepochs = {epochs}\nfor epoch in range(epochs):\n"
                + (
                    f"    try:\n        {fit}\n    except ValueError as error:   # weights that are no longer numbers\n"
                    '        print(f"epoch {epoch + 1}: {error}")\n        break\n'
                    if network.diverged_
                    else f"    {fit}\n"
                )
                + f"{score}\nprint({literal(shown)}, {shown})"
                + (
                    '\nprint("largest weight:", max(float(np.abs(weights).max()) for weights in network.coefs_))'
                    if network.diverged_
                    else ""
                ),
            ),
            Step(
                "The same shape of network in Keras: the same layers, activation, learning rate and momentum. "
                "It starts from other random weights, so its numbers differ a little from scikit-learn's.",
                _keras_code(kind, settings, network.features, network.classes),
            ),
        ),
        (shown, f"keras_{shown}"),
        "hidden-layers",
    )


def backprop_page(network, x, y):
    """The backpropagation page: the forward pass, BP1–BP4 in numpy, then GradientTape's slopes."""
    (w1, w2), (b1, b2) = network.weights, network.biases
    return Listing(
        "Backpropagation",
        "Redo the page's numbers for one example: the forward pass, the backward pass by "
        "hand in numpy, then the same slopes from TensorFlow.",
        (
            Step(
                "The network as it is on the page: W1 holds the hidden neurons' weights (one row per neuron), "
                "W2 the output's; the example's inputs x and target y.",
                "import numpy as np\n\n"
                + assignments(W1=w1, b1=b1, W2=w2, b2=b2, x=x)
                + f"\ny = np.array([{literal(float(y))}])\n"
                "W1, b1, W2, b2, x = (np.array(value) for value in (W1, b1, W2, b2, x))",
            ),
            Step(
                "The forward pass: each layer's weighted sums z = W·a + b, then the sigmoid; the cost is half "
                "the squared miss, C = ½(y − a)².",
                "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\n\n"
                "z1 = W1 @ x + b1\na1 = sigmoid(z1)   # the hidden neurons h1, h2\n"
                "z2 = W2 @ a1 + b2\na2 = sigmoid(z2)   # the output\ncost = 0.5 * np.sum((y - a2) ** 2)",
            ),
            Step(
                "The backward pass, BP1 to BP4, from the output back to the inputs (the loop of a bigger network "
                "runs over the layers backwards). σ′(z) = a(1 − a).",
                "delta2 = (a2 - y) * a2 * (1 - a2)            # BP1: the output's error\n"
                "delta1 = (W2.T @ delta2) * a1 * (1 - a1)     # BP2: passed back through W2\n"
                "slope_b2, slope_b1 = delta2, delta1           # BP3: a bias's slope is its neuron's error\n"
                "slope_W2 = np.outer(delta2, a1)               # BP4: input times error\n"
                "slope_W1 = np.outer(delta1, x)\n"
                "slopes = np.concatenate([slope_W1.ravel(), slope_b1, slope_W2.ravel(), slope_b2])\n"
                "print(np.round(slopes, 6))   # the table's order: x1→h1, x2→h1, x1→h2, x2→h2, bias h1, …",
            ),
            Step(
                "What TensorFlow does for you: `tf.GradientTape` records the forward pass and works out every "
                "slope itself, by the same chain rule. They agree with the numpy ones to the last digits a "
                "number holds: the difference printed is around 1e-17, or 0.",
                "import tensorflow as tf\n\n"
                "parameters = [tf.Variable(value) for value in (W1, b1, W2, b2)]\n"
                "with tf.GradientTape() as tape:\n"
                "    hidden = tf.sigmoid(tf.linalg.matvec(parameters[0], x) + parameters[1])\n"
                "    output = tf.sigmoid(tf.linalg.matvec(parameters[2], hidden) + parameters[3])\n"
                "    tape_cost = 0.5 * tf.reduce_sum((y - output) ** 2)\n"
                "tape_slopes = np.concatenate([slope.numpy().ravel() for slope in tape.gradient(tape_cost, parameters)])\n"
                "print(np.abs(tape_slopes - slopes).max())",
            ),
        ),
        ("cost", "slopes", "tape_slopes"),
        "backprop",
    )
