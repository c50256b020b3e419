"""A visitor's Streamlit session without a browser: the websocket messages a browser would send,
for benchmarks of a whole class (30 Chromium tabs would use the cores the server is measured on)
and for tests of forged values.

Written by hand because no library speaks Streamlit's browser protocol: protobuf `BackMsg`s in
(`rerun_script` with the widgets' values, or a fragment's automatic rerun), `ForwardMsg`s out
(the elements of each run, then `script_finished`). `websockets` carries them.

    async with Session(url, "class_lab", "room=K7QM3X") as visitor:
        await visitor.click("Make a room for my class")
        visitor.texts("alert")
"""

import asyncio
import json
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}


class Session:
    """One browser tab's session: open a page, set widgets, click buttons, rerun fragments."""

    def __init__(self, url, page, query=""):
        self.address = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.page, self.query = page, query
        self.values = {}  # widget id → WidgetState the browser would send with every run
        self.elements = {}  # delta path → Element of the latest runs
        self.fragments = {}  # fragment id → seconds between its automatic reruns
        self.fragment_of = {}  # widget id → the fragment it is drawn in, which its changes rerun
        self.page_hash = ""
        self._finished = None
        self._socket = self._reader = self.server = None
        self._one_run = asyncio.Lock()  # a tab sends its next run after the last one finished

    async def __aenter__(self):
        self._socket = await websockets.connect(
            self.address,
            subprotocols=["streamlit"],
            max_size=2**26,
            origin=self.address.replace("ws", "http", 1).split("/_stcore")[0],
        )
        # behind the balancer (deploy/haproxy.cfg), the server it pinned this session to
        cookies = self._socket.response.headers.get_all("Set-Cookie")
        self.server = next(
            (cookie.split(";")[0].split("=", 1)[1] for cookie in cookies if cookie.startswith("NN_EXPLORER_SERVER=")),
            None,
        )
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        return self

    async def __aexit__(self, *_):
        self._reader.cancel()
        await self._socket.close()

    async def _read(self):
        try:
            await self._receive()
        finally:  # the server has gone: a run waiting for its end hears so at once
            if self._finished is not None and not self._finished.done():
                self._finished.set_exception(ConnectionError("the server closed the session's connection"))

    async def _receive(self):
        async for raw in self._socket:
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "navigation":  # st.navigation's answer: the page this run shows
                self.page_hash = message.navigation.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                self.elements[tuple(message.metadata.delta_path)] = element
                widget = getattr(getattr(element, element.WhichOneof("type") or "", None), "id", None)
                if widget and isinstance(widget, str):
                    self.fragment_of[widget] = message.delta.fragment_id  # "" outside any fragment
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragments[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "script_finished" and message.script_finished in DONE and self._finished:
                self._finished.set_result(time.perf_counter())

    async def rerun(self, trigger=None, fragment=None, changed=None, timeout=120):
        """Send one run, as the browser does: after the widget `changed` (its id) changed, or
        the button `trigger` was pressed (each reruns the fragment it is drawn in, or the page),
        or when the fragment `fragment`'s timer fires. Return its seconds until `script_finished`."""
        async with self._one_run:
            return await self._run(trigger, fragment, changed, timeout)

    async def _run(self, trigger, fragment, changed, timeout):
        automatic = fragment is not None
        if not automatic:
            fragment = self.fragment_of.get(trigger or changed, "")
        if not fragment:
            self.elements.clear()
        message = BackMsg()
        state = message.rerun_script
        state.query_string, state.page_name, state.page_script_hash = self.query, self.page, self.page_hash
        if fragment:
            state.fragment_id, state.is_auto_rerun = fragment, automatic
        state.widget_states.widgets.extend(self.values.values())
        if trigger:
            state.widget_states.widgets.add(id=trigger, trigger_value=True)
        self._finished = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        try:
            await self._socket.send(message.SerializeToString())
        except websockets.ConnectionClosed as closed:
            self._finished = None
            raise ConnectionError("the server closed the session's connection") from closed
        finished = await asyncio.wait_for(self._finished, timeout)
        self._finished = None
        return finished - started

    async def refresh(self):
        """Rerun every self-refreshing fragment once, as its timer would; return the seconds each took."""
        return [await self.rerun(fragment=fragment) for fragment in list(self.fragments)]

    def find(self, kind, label=None):
        """The elements of one kind (button, metric, alert, bidi_component, button_group…) now shown."""
        found = [getattr(element, kind) for element in self.elements.values() if element.WhichOneof("type") == kind]
        return [element for element in found if label is None or getattr(element, "label", None) == label]

    def texts(self, kind="alert"):
        return [element.body for element in self.find(kind)]

    async def click(self, label):
        [button] = self.find("button", label)
        return await self.rerun(trigger=button.id)

    async def choose(self, index, option):
        """Pick `option` (as shown) in the index-th segmented control or pills of the page."""
        groups = self.find("button_group")
        if len(groups) <= index:
            raise LookupError(
                f"no choice to make on the page {self.page!r} ({self.query}, {self.page_hash}); it shows {self.texts()}"
            )
        group = groups[index]
        self.values[group.id] = WidgetState(id=group.id, string_array_value={"data": [str(option)]})
        return await self.rerun(changed=group.id)

    async def draw(self, data_url, index=0):
        """Put a picture on the index-th drawing pad, as its value (a PNG data URL) arrives."""
        pads = [pad for pad in self.find("bidi_component") if pad.component_name != "nn_explorer_device"]
        pad = pads[index]  # (a room's pages also hold ui/device.py's token reporter, not a pad)
        value = {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": data_url}, "backgroundFit": None}
        self.values[pad.id] = WidgetState(id=pad.id, json_value=json.dumps(value))
        return await self.rerun(changed=pad.id)
