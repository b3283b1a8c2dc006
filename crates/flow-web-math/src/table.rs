//! The two tables the page is built from, both defined in flow-core: the training settings and
//! every other name and size the page shares with Rust.

use flow_core::config::settings_table;
use flow_core::page_table::page_table;
use wasm_bindgen::prelude::*;

/// The training settings (key, field, label, kind, default, min, max, choices), from the one table
/// in Rust.
#[wasm_bindgen(js_name = settingsTable)]
pub fn settings_table_js() -> JsValue {
    serde_wasm_bindgen::to_value(&settings_table()).expect("plain rows serialise")
}

/// Names and sizes the page shares with Rust (flow-core's `PageTable`, camelCase keys): solvers,
/// step kinds, couplings, the target's limits, the figures' sizes, the OT floor's, reflow's.
#[wasm_bindgen(js_name = pageTable)]
pub fn page_table_js() -> JsValue {
    serde_wasm_bindgen::to_value(&page_table()).expect("plain fields serialise")
}
