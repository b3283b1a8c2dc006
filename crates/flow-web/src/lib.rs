//! wasm-bindgen layer: the page holds one [`Explorable`] and asks it for small results.
//! All math lives in `flow-core`; this crate only converts between JS values and core types.

mod convert;
mod engine;
mod figures;

pub use engine::Explorable;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // A Rust panic otherwise surfaces as an opaque "unreachable" trap; this logs its message.
    console_error_panic_hook::set_once();
}
