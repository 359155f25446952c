//! Exports `tiendo:plugin/packed@0.1.2` with a `compute-packed` whose signature is not that of WIT 0.1.2 (and a
//! correct `compute-columns`): refused at load with an incompatible-interface error, rather than failing (or being
//! skipped for `compute-columns`) at each call.
#![allow(unsafe_code)]

wit_bindgen::generate!({ world: "packed-metric-plugin", path: "wit" });

use exports::tiendo::plugin::columns::ColumnsInput;
use exports::tiendo::plugin::metric::{ComputeInput, MetricError, MetricValue, PluginInfo};

struct WrongPacked;

impl exports::tiendo::plugin::metric::Guest for WrongPacked {
    fn info() -> PluginInfo {
        PluginInfo {
            id: "hostile-wrong-packed".to_owned(),
            version: "0.1.0".to_owned(),
            description: "compute-packed with another signature".to_owned(),
            inputs: Vec::new(),
            metrics: vec!["x".to_owned()],
        }
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

impl exports::tiendo::plugin::columns::Guest for WrongPacked {
    fn compute_columns(_input: ColumnsInput) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

impl exports::tiendo::plugin::packed::Guest for WrongPacked {
    fn compute_packed(_input: Vec<u32>) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

export!(WrongPacked);
