"""Chart builders: what each chart's spec says, checked where a mistake would draw a wrong picture."""

import json

import numpy as np
import pytest

from core.charts import digits as digit_charts
from core.charts import palette


@pytest.mark.parametrize(
    "per_class",
    [
        [0.995, 0.99, 0.98, 0.97, 1.0, 0.96, 0.99, 0.985, 0.975, 0.95],
        [0.2, 1.0, 0.5, 0.4, 0.3, 0.9, 0.8, 0.7, 0.6, 0.1],
        [1.0] * 10,
    ],
)
def test_accuracy_per_digit_bars_start_at_the_axis_foot_inside_the_chart(per_class):
    spec = digit_charts.per_class_chart(per_class).to_dict()
    low, high = spec["encoding"]["y"]["scale"]["domain"]
    assert low <= min(per_class) and high == 1.0 and spec["encoding"]["y"]["scale"]["clamp"]
    assert spec["encoding"]["y2"]["datum"] == low  # bars start at the foot of the axis, not at 0
    assert spec["encoding"]["y"]["axis"]["format"] == ".1%"  # 0.995 reads 99.5%, not 995


def test_every_colour_is_a_hex_triple_and_turns_into_rgb():
    colours = {name: value for name, value in vars(palette).items() if name.isupper()}
    for value in colours.values():
        assert len(value) == 7 and value.startswith("#")
        assert "#%02x%02x%02x" % palette.rgb(value) == value.lower()


def test_no_chart_builder_spells_a_colour_of_its_own():
    import re
    from pathlib import Path

    for module in Path(digit_charts.__file__).parent.glob("*.py"):
        if module.name != "palette.py":
            assert not re.search(r'"#[0-9a-fA-F]{6}"', module.read_text()), module.name
    assert json.dumps(digit_charts.per_class_chart([0.5] * 10).to_dict())


def test_a_spec_with_its_data_inside_the_layers_is_valid_vega_lite_with_the_same_rows():
    import altair as alt

    from core.charts import lab as lab_charts
    from core.charts.specs import spec_with_data_inside

    chart = lab_charts.counts_chart([3, 0, 1, 4, 1, 5, 9, 2, 6, 5])
    original = chart.to_dict()
    rows = original["datasets"][original["data"]["name"]]
    spec = spec_with_data_inside(chart)
    assert "data" not in spec and "datasets" not in spec
    assert all(layer["data"]["values"] == rows for layer in spec["layer"])
    alt.LayerChart.from_dict(spec)  # validates against Vega-Lite's schema
    assert [row["drawings"] for row in rows] == [3, 0, 1, 4, 1, 5, 9, 2, 6, 5]


def test_feature_maps_share_their_layers_scale():
    from core.charts import digits as digit_charts

    maps = np.zeros((4, 4, 2), dtype=np.float32)
    maps[1, 1, 0], maps[2, 2, 1] = 0.1, 1.0  # a weak filter and a strong one
    sheet = np.asarray(digit_charts.map_grid(maps, columns=2, cell=4, gap=0), dtype=float) / 255
    weak, strong = sheet[:, :4].max(), sheet[:, 4:].max()
    assert strong == 1.0 and weak == pytest.approx(0.1, abs=1 / 255)  # not stretched to white on its own
