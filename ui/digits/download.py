"""The handwriting pages' last section: the code behind the page, and the trained network to take
home, as a `.keras` file for Keras and an ONNX file for ONNX Runtime, with its card and the lines
that load it. Files are read when a button is pressed, never kept in the session."""

import streamlit as st

from core.code import digits as digits_code
from ui.code import code_section

KINDS = (  # (file, button label, file ending, MIME type, what opens it)
    ("keras", "Download for Keras (.keras)", ".keras", "application/zip", "Keras"),
    ("onnx", "Download for ONNX Runtime (.onnx)", ".onnx", "application/octet-stream", "ONNX Runtime"),
    ("card", "Download its card (.json)", ".json", "application/json", None),
)


def _reader(path):
    return lambda: path.read_bytes()


def network_files(ready, stem):
    """Download buttons for the network's files side by side, then the lines that load each, at the
    page's full width (code in a narrow column wraps mid-name); a file that is not on this server is
    said in words, in the button's place."""
    files = ready.files()
    here = {kind: files[kind].is_file() for kind, *_ in KINDS}
    for column, (kind, label, ending, mime, opener) in zip(st.columns(len(KINDS)), KINDS):
        if not here[kind]:
            column.info(
                f"The {ending} file of this network is not on this server just now, so it cannot be "
                "downloaded; reload the page in a minute.",
                icon=":material/cloud_off:",
            )
            continue
        column.download_button(
            label,
            _reader(files[kind]),
            f"{stem}{ending}",
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
            key=f"network_{kind}_{stem}",
        )
        if not opener:
            column.caption(
                "What it is: its settings, how it was trained, its test accuracy, and each file's "
                "SHA-256, to check a download."
            )
    for kind, _, ending, _, opener in KINDS:
        if opener and here[kind]:
            st.caption(f"Load the {ending} file with {opener} and read a 28 × 28 digit:")
            st.code(digits_code.loading_snippet(kind, f"{stem}{ending}"), language="python", wrap_lines=True)


def section(ready, config):
    """The handwriting page's code and its network, in section 6."""
    st.header("6. The code, and the network to take home", divider="gray")
    st.markdown(
        "Everything above, in Keras: the network as the form builds it, `compile`, `fit` and `evaluate`, then "
        "a drawing prepared and read. Download it as a notebook and run it on any computer with Python."
    )
    code_section(digits_code.handwriting_page(config))
    st.markdown(
        "**The trained network itself**, the one reading your digits on this page: "
        + (
            f"the network that comes with the app, trained with these settings on {ready.metadata['data_source']}."
            if ready.shipped and ready.metadata.get("data_source")
            else "trained with the settings above."
        )
    )
    network_files(ready, f"network-{config.preset}" if not ready.shipped else "network-default")


def room_section(ready, code, taught):
    """The class lab's code for fine-tuning, and the network reading this room's drawings: the one
    taught its handwriting, or, until then, the app's default network, named as such."""
    code_section(digits_code.finetune_page(code))
    if taught:
        st.subheader("This room's network, to take home")
        network_files(ready, f"network-{code}")
    else:
        st.subheader("The network reading your drawings, to take home")
        st.caption(
            "This room has not taught a network its handwriting yet, so its drawings are read by the app's "
            "default network: these are its files. Once your teacher teaches one, this room's own appears here."
        )
        network_files(ready, "network-default")
