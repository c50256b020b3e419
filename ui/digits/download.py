"""The handwriting pages' last section: the code behind the page, and the trained network to take
home, as a `.keras` file for Keras and an ONNX file for ONNX Runtime, with its card and the lines
that load it. Files are read when a button is pressed, never kept in the session."""

import streamlit as st

from core.code import digits as digits_code
from core.i18n import N_, _
from ui.code import code_section

KINDS = (  # (file, button label, file ending, MIME type, what opens it)
    ("keras", N_("Download for Keras (.keras)"), ".keras", "application/zip", "Keras"),
    ("onnx", N_("Download for ONNX Runtime (.onnx)"), ".onnx", "application/octet-stream", "ONNX Runtime"),
    ("card", N_("Download its card (.json)"), ".json", "application/json", None),
)


def _reader(path):
    return lambda: path.read_bytes()


def network_files(ready, stem):
    """Download buttons for the network's files side by side, then the lines that load each, at the
    page's full width (code in a narrow column wraps mid-name); a file that is not on this server is
    said in words, in the button's place."""
    files = ready.files()
    here = {kind: files[kind].is_file() for kind, *_rest in KINDS}
    for column, (kind, label, ending, mime, opener) in zip(st.columns(len(KINDS)), KINDS):
        if not here[kind]:
            gone = _(
                "The {ending} file of this network is not on this server just now, so it cannot be downloaded; "
                "reload the page in a minute."
            )
            column.info(gone.format(ending=ending), icon=":material/cloud_off:")
            continue
        column.download_button(
            _(label),
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
                _(
                    "What it is: its settings, how it was trained, its test accuracy, and each file's "
                    "SHA-256, to check a download."
                )
            )
    for kind, _label, ending, _mime, opener in KINDS:
        if opener and here[kind]:
            st.caption(
                _("Load the {ending} file with {opener} and read a 28 × 28 digit:").format(ending=ending, opener=opener)
            )
            st.code(digits_code.loading_snippet(kind, f"{stem}{ending}"), language="python", wrap_lines=True)


def section(ready, config):
    """The handwriting page's code and its network, in section 6."""
    st.header(_("6. The code, and the network to take home"), divider="gray")
    st.markdown(
        _(
            "Everything above, in Keras: the network as the form builds it, `compile`, `fit` and `evaluate`, then "
            "a drawing prepared and read. Download it as a notebook and run it on any computer with Python."
        )
    )
    code_section(digits_code.handwriting_page(config))
    if ready.shipped and ready.metadata.get("data_source"):
        itself = _(
            "**The trained network itself**, the one reading your digits on this page: the network that comes "
            "with the app, trained with these settings on {source}."
        ).format(source=ready.metadata["data_source"])
    else:
        itself = _(
            "**The trained network itself**, the one reading your digits on this page: trained with the settings above."
        )
    st.markdown(itself)
    network_files(ready, f"network-{config.preset}" if not ready.shipped else "network-default")


def room_section(ready, code, taught):
    """The class lab's code for fine-tuning, and the network reading this room's drawings: the one
    taught its handwriting, or, until then, the app's default network, named as such."""
    code_section(digits_code.finetune_page(code))
    if taught:
        st.subheader(_("This room's network, to take home"))
        network_files(ready, f"network-{code}")
    else:
        st.subheader(_("The network reading your drawings, to take home"))
        st.caption(
            _(
                "This room has not taught a network its handwriting yet, so its drawings are read by the app's "
                "default network: these are its files. Once your teacher teaches one, this room's own appears here."
            )
        )
        network_files(ready, "network-default")
