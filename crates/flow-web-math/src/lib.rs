//! The math module the page loads first (and its figure worker loads too): the page's tables,
//! densities, the exact and binned fields, reference paths, couplings, the trained network as a CPU
//! field from its weights, sampling jobs and their measures, chapter four's plane queries; and, for
//! a page without WebGPU, the training engine itself (the fused CPU step). No burn, so it is small; everything is `flow-core`,
//! converted.

mod bench;
mod convert;
mod couplings;
mod exact;
mod learned;
mod limits;
mod pairs;
mod paths;
mod plane;
mod table;
mod target;
mod trainer;

pub use learned::{LearnedField, MetricsJob, SamplingJob, SweepJob};
pub use pairs::PlanePairStream;
pub use plane::PlaneField;
pub use trainer::CpuEngine;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // A Rust panic otherwise surfaces as an opaque "unreachable" trap; this logs its message.
    console_error_panic_hook::set_once();
}
