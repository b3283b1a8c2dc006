//! The math module the page loads first (and its figure worker loads too): the page's tables,
//! densities, the exact and binned fields, reference paths, couplings, the trained network as a CPU
//! field from its weights, sampling jobs and their measures. No burn, so it is small; everything is
//! `flow-core`, converted.

mod convert;
mod couplings;
mod exact;
mod learned;
mod limits;
mod paths;
mod table;
mod target;

pub use learned::{LearnedField, MetricsJob, SamplingJob, SweepJob};

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // A Rust panic otherwise surfaces as an opaque "unreachable" trap; this logs its message.
    console_error_panic_hook::set_once();
}
