//! Queries about couplings: example pairs under each, and the loss floor against batch size.

use flow_core::coupled_floor::ot_loss_floor;
use flow_core::paths::coupled_endpoints;
use flow_core::seeded_rng;
use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{check_size, coupling, f64s, set};
use crate::limits::{MAX_BATCH_SIZES, MAX_EXAMPLE_PAIRS};
use crate::target::target;

/// One batch of `n` noise and target draws, paired by `coupling`: `{ starts, ends }`. The same seed
/// gives the same draws under both couplings, so the two differ only in who goes with whom.
#[wasm_bindgen(js_name = couplingPairs)]
pub fn coupling_pairs(
    target_text: &str,
    coupling_name: &str,
    n: usize,
    seed: u32,
) -> Result<Object, JsError> {
    check_size("pairs", n, MAX_EXAMPLE_PAIRS)?;
    let mixture = target(target_text)?;
    let coupling = coupling(coupling_name)?;
    let (x0, x1) = coupled_endpoints(&mixture, &mut seeded_rng(seed.into()), n, coupling, n);
    let out = Object::new();
    set(&out, "starts", &f64s(&x0).into());
    set(&out, "ends", &f64s(&x1).into());
    Ok(out)
}

/// The loss floor under minibatch OT for each batch size (a binned estimate from flow-core's
/// `FLOOR_PAIRS` coupled pairs drawn from `FLOOR_SEED`, the page table's `otFloor`; the independent
/// floor is `lossFloor`).
#[wasm_bindgen(js_name = otLossFloors)]
pub fn ot_loss_floors(target_text: &str, batch_sizes: &[u32]) -> Result<Float64Array, JsError> {
    check_size("batch sizes", batch_sizes.len(), MAX_BATCH_SIZES)?;
    let mixture = target(target_text)?;
    let floors: Vec<f64> = batch_sizes
        .iter()
        .map(|&b| ot_loss_floor(&mixture, b as usize))
        .collect();
    Ok(f64s(&floors))
}
