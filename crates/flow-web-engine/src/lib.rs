//! The training engine the page's worker loads second: burn, on WebGPU or on the CPU, behind one
//! [`Engine`] handle. Only small things leave it: losses and a flat weight snapshot.

#[cfg(target_arch = "wasm32")]
mod checks;
mod engine;

pub use engine::Engine;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // A Rust panic otherwise surfaces as an opaque "unreachable" trap; this logs its message.
    console_error_panic_hook::set_once();
}
