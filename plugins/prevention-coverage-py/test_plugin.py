"""Native tests of the metric logic: `python -m unittest` in this folder (no WebAssembly involved)."""

import json
import pathlib
import unittest

import plugin
import tiendo_plugin
from tiendo_plugin import ComputeInput, InvalidInput

NAMES = [plugin.HIGH_RISK_COMMUNES, plugin.COVERED, plugin.WITH_MODEL, plugin.PEOPLE_REACHED, plugin.POPULATION]
FULL = [40.0, 30.0, 10.0, 500_000.0, 1_000_000.0]


def request(values, **params):
    input = ComputeInput("nghe-an", ["2024"])
    for name, value in zip(NAMES, values):
        input.with_value(name, "nghe-an", "2024", value)
    for name, value in params.items():
        input.with_param(name, value)
    return input


def metric(metrics, name):
    return next(value for value in metrics if value.name == name)


class PreventionCoverage(unittest.TestCase):
    def setUp(self):
        tiendo_plugin.take_native_logs()

    def test_default_weights(self):
        metrics = plugin.compute(request(FULL))
        self.assertEqual(metric(metrics, "commune-coverage").value, 75.0)
        self.assertEqual(metric(metrics, "model-coverage").value, 25.0)
        self.assertEqual(metric(metrics, "population-reach").value, 50.0)
        # 0.5 x 75 + 0.3 x 25 + 0.2 x 50 = 55
        self.assertAlmostEqual(metric(metrics, "prevention-coverage-index").value, 55.0, places=9)
        self.assertIsNone(metric(metrics, "prevention-coverage-index").note)

    def test_weights_come_from_parameters(self):
        metrics = plugin.compute(request(FULL, weight_coverage="1", weight_model="0", weight_reach="1"))
        self.assertAlmostEqual(metric(metrics, "prevention-coverage-index").value, 62.5, places=9)

    def test_a_missing_component_is_left_out_and_noted(self):
        metrics = plugin.compute(request([40.0, 30.0, 10.0, None, 1e6]))
        index = metric(metrics, "prevention-coverage-index")
        # (0.5 x 75 + 0.3 x 25) / 0.8 = 56.25
        self.assertAlmostEqual(index.value, 56.25, places=9)
        self.assertEqual(index.note, "without population-reach; remaining weights rescaled")

    def test_without_commune_data_there_is_no_index(self):
        metrics = plugin.compute(request([None, 3.0, None, 1.0, 2.0]))
        self.assertIsNone(metric(metrics, "prevention-coverage-index").value)

    def test_reach_is_capped_and_overcounted_communes_are_logged(self):
        metrics = plugin.compute(request([10.0, 12.0, 10.0, 3e6, 1e6]))
        self.assertEqual(metric(metrics, "population-reach").value, 100.0)
        self.assertEqual(metric(metrics, "commune-coverage").value, 120.0)
        self.assertAlmostEqual(metric(metrics, "prevention-coverage-index").value, 100.0, places=9)
        self.assertEqual(len(tiendo_plugin.take_native_logs()), 1)

    def test_invalid_weights_are_refused(self):
        for name, value in [("weight_model", "-1"), ("weight_reach", "lots"), ("weight_reach", "1_0")]:
            with self.assertRaises(InvalidInput, msg=f"{name} = {value}"):
                plugin.compute(request(FULL, **{name: value}))
        with self.assertRaises(InvalidInput):
            plugin.compute(request(FULL, weight_coverage="0", weight_model="0", weight_reach="0"))

    def test_the_example_input(self):
        data = json.loads((pathlib.Path(__file__).parent / "input.json").read_text())
        metrics = plugin.compute(ComputeInput.from_json(data))
        self.assertAlmostEqual(metric(metrics, "prevention-coverage-index").value, 55.0, places=9)


if __name__ == "__main__":
    unittest.main()
