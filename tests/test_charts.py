"""Chart builders: what each chart's spec says, checked where a mistake would draw a wrong picture."""
import json

import pytest

from core.charts import digits as digit_charts, palette


@pytest.mark.parametrize("per_class", [[0.995, 0.99, 0.98, 0.97, 1.0, 0.96, 0.99, 0.985, 0.975, 0.95],
                                       [0.2, 1.0, 0.5, 0.4, 0.3, 0.9, 0.8, 0.7, 0.6, 0.1], [1.0] * 10])
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
    from pathlib import Path
    import re

    for module in Path(digit_charts.__file__).parent.glob("*.py"):
        if module.name != "palette.py":
            assert not re.search(r'"#[0-9a-fA-F]{6}"', module.read_text()), module.name
    assert json.dumps(digit_charts.per_class_chart([0.5] * 10).to_dict())
