//! Exports `tiendo:plugin/columns@0.1.1` with a `compute-columns` whose signature is not that of WIT 0.1.1: refused
//! at load with an incompatible-interface error, rather than failing (or being skipped) at each call.
#![allow(unsafe_code)]

wit_bindgen::generate!({ world: "columnar-metric-plugin", path: "wit" });

use exports::tiendo::plugin::metric::{ComputeInput, MetricError, MetricValue, PluginInfo};

struct WrongColumns;

impl exports::tiendo::plugin::metric::Guest for WrongColumns {
    fn info() -> PluginInfo {
        PluginInfo {
            id: "hostile-wrong-columns".to_owned(),
            version: "0.1.0".to_owned(),
            description: "compute-columns with another signature".to_owned(),
            inputs: Vec::new(),
            metrics: vec!["x".to_owned()],
        }
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

impl exports::tiendo::plugin::columns::Guest for WrongColumns {
    fn compute_columns(_input: Vec<f64>) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

export!(WrongColumns);
