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
    """Download buttons for the network's files, each with the lines that load it; a file that is
    not on this server is said in words, in the button's place."""
    files = ready.files()
    columns = st.columns(len(KINDS))
    for column, (kind, label, ending, mime, opener) in zip(columns, KINDS):
        path = files[kind]
        if not path.is_file():
            column.info(f"The {ending} file of this network is not on this server just now, so it cannot be "
                        "downloaded; reload the page in a minute.", icon=":material/cloud_off:")
            continue
        column.download_button(label, _reader(path), f"{stem}{ending}", mime=mime, on_click="ignore",
                               icon=":material/download:", width="stretch", key=f"network_{kind}_{stem}")
        if opener:
            column.caption(f"Load it with {opener} and read a 28 × 28 digit:")
            column.code(digits_code.loading_snippet(kind, f"{stem}{ending}"), language="python", wrap_lines=True)
        else:
            column.caption("What it is: its settings, how it was trained, its test accuracy, and each file's "
                           "SHA-256, to check a download.")


def section(ready, config):
    """The handwriting page's code and its network, in section 5."""
    st.header("5. The code, and the network to take home", divider="gray")
    st.markdown("Everything above, in Keras: the network as the form builds it, `compile`, `fit` and `evaluate`, then "
                "a drawing prepared and read. Download it as a notebook and run it on any computer with Python.")
    code_section(digits_code.handwriting_page(config))
    st.markdown("**The trained network itself**, the one reading your digits on this page: "
                + (f"the network that comes with the app, trained with these settings on {ready.metadata['data_source']}."
                   if ready.shipped and ready.metadata.get("data_source") else "trained with the settings above."))
    network_files(ready, f"network-{config.preset}" if not ready.shipped else "network-default")


def room_section(ready, code):
    """The class lab's code for fine-tuning, and the room's network."""
    st.subheader("The code, and this room's network to take home")
    code_section(digits_code.finetune_page(code))
    network_files(ready, f"network-{code}")
