//! Built against `tiendo:plugin@1.0.0`, a major version this host does not support: refused with an
//! incompatible-interface error that names the supported range.
#![allow(unsafe_code)]

wit_bindgen::generate!({ world: "metric-plugin", path: "wit" });

use exports::tiendo::plugin::metric::{ComputeInput, Guest, MetricError, MetricValue, PluginInfo};

struct WrongMajor;

impl Guest for WrongMajor {
    fn info() -> PluginInfo {
        tiendo::plugin::host::log(tiendo::plugin::host::Level::Info, "from the future");
        PluginInfo {
            id: "hostile-wrong-major".to_owned(),
            version: "0.1.0".to_owned(),
            description: "built for interface 1.0.0".to_owned(),
            inputs: Vec::new(),
            metrics: vec!["x".to_owned()],
        }
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        Ok(Vec::new())
    }
}

export!(WrongMajor);
