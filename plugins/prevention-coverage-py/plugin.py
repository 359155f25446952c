"""Prevention-coverage index for high-risk communes: the Python twin of `plugins/prevention-coverage` (Rust).

Combines three coverage ratios into one index from 0 to 100, as a weighted mean:

* `commune-coverage`: high-risk communes reached by prevention activities in the period, as a percentage of all
  high-risk communes (`high_risk_communes_communicated / high_risk_communes`);
* `model-coverage`: high-risk communes with a community prevention model (e.g. a self-management team), as a
  percentage of all high-risk communes (`high_risk_communes_with_model / high_risk_communes`);
* `population-reach`: people reached by communication activities as a percentage of the population
  (`people_reached / population`), capped at 100 because people are reached more than once.

Parameters: `weight_coverage` (default 0.5), `weight_model` (0.3), `weight_reach` (0.2). Weights must not be
negative. A component without data is left out and the remaining weights are rescaled; the index's note says so.
Without commune data the index has no value. `tests/python_plugins.rs` checks that both versions give the same
values.
"""

from tiendo_plugin import ComputeInput, InvalidInput, MetricValue, PluginInfo, format_number, warn

HIGH_RISK_COMMUNES = "high_risk_communes"
COVERED = "high_risk_communes_communicated"
WITH_MODEL = "high_risk_communes_with_model"
PEOPLE_REACHED = "people_reached"
POPULATION = "population"

# Components: metric name, weight parameter, default weight.
COMPONENTS = [
    ("commune-coverage", "weight_coverage", 0.5),
    ("model-coverage", "weight_model", 0.3),
    ("population-reach", "weight_reach", 0.2),
]

INFO = PluginInfo(
    id="prevention-coverage",
    version="0.1.0",
    description="Prevention-coverage index for high-risk communes: weighted mean of commune coverage, community "
    "models and population reach",
    inputs=[HIGH_RISK_COMMUNES, COVERED, WITH_MODEL, PEOPLE_REACHED, POPULATION],
    metrics=[name for name, _, _ in COMPONENTS] + ["prevention-coverage-index"],
)


def share(numerator, denominator, cap):
    """`numerator / denominator` in percent (capped at 100 when `cap`), or None without data or denominator."""
    if numerator is None or denominator is None or not denominator > 0:
        return None
    percent = numerator / denominator * 100.0
    return min(percent, 100.0) if cap else percent


def compute(input: ComputeInput):
    weights = []
    for _, parameter, default in COMPONENTS:
        weight = input.param_f64(parameter, default)
        if weight < 0:
            raise InvalidInput(f"parameter `{parameter}` is negative: {format_number(weight)}")
        weights.append(weight)
    if sum(weights) == 0:
        raise InvalidInput("all weights are zero")

    communes = input.sum(HIGH_RISK_COMMUNES)
    components = [
        share(input.sum(COVERED), communes, False),
        share(input.sum(WITH_MODEL), communes, False),
        share(input.sum(PEOPLE_REACHED), input.sum(POPULATION), True),
    ]

    metrics = []
    weighted_sum = 0.0
    weight_used = 0.0
    left_out = []
    for (name, _, _), percent, weight in zip(COMPONENTS, components, weights):
        if percent is None:
            left_out.append(name)
            metrics.append(MetricValue(name, None, "%", "no data"))
            continue
        if percent > 100.0:
            warn(f"{name} is {percent:.1f} %: more communes counted than exist")
        weighted_sum += min(percent, 100.0) * weight
        weight_used += weight
        metrics.append(MetricValue(name, percent, "%"))

    if components[0] is None or weight_used == 0.0:
        index = MetricValue("prevention-coverage-index", None, note="no high-risk commune data")
    else:
        index = MetricValue("prevention-coverage-index", weighted_sum / weight_used)
        if left_out:
            index.note = f"without {', '.join(left_out)}; remaining weights rescaled"
    metrics.append(index.with_unit("index 0-100"))
    return metrics
