//! Imports `wasi:random/random@0.2.0`, which the host does not offer: refused with a forbidden-import error.
#![allow(unsafe_code)]

wit_bindgen::generate!({ world: "plugin", path: "wit", generate_all });

use exports::tiendo::plugin::metric::{ComputeInput, Guest, MetricError, MetricValue, PluginInfo};

struct WasiImport;

impl Guest for WasiImport {
    fn info() -> PluginInfo {
        PluginInfo {
            id: "hostile-wasi-import".to_owned(),
            version: "0.1.0".to_owned(),
            description: "uses WASI randomness".to_owned(),
            inputs: Vec::new(),
            metrics: vec!["random".to_owned()],
        }
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let random = wasi::random::random::get_random_u64();
        Ok(vec![MetricValue { name: "random".to_owned(), value: Some(random as f64), unit: None, note: None }])
    }
}

export!(WasiImport);
