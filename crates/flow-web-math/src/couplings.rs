//! Queries about couplings: example pairs under each, and the loss floor against batch size.

use flow_core::coupled_floor::coupled_loss_floor;
use flow_core::paths::noise_samples;
use flow_core::{Coupling, seeded_rng};
use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{check_size, f64s, set};
use crate::target::target;

/// A coupling by its name in links ("independent", "ot").
pub(crate) fn coupling(name: &str) -> Result<Coupling, JsError> {
    Coupling::from_name(name).ok_or_else(|| JsError::new(&format!("unknown coupling \"{name}\"")))
}

/// One batch of `n` noise and target draws, paired by `coupling`: `{ starts, ends }`. The same seed
/// gives the same draws under both couplings, so the two differ only in who goes with whom.
#[wasm_bindgen(js_name = couplingPairs)]
pub fn coupling_pairs(
    target_text: &str,
    coupling_name: &str,
    n: usize,
    seed: u32,
) -> Result<Object, JsError> {
    check_size("pairs", n, 4096)?;
    let mixture = target(target_text)?;
    let mut rng = seeded_rng(seed.into());
    let mut x0 = noise_samples(&mut rng, n);
    let mut x1 = mixture.sample(&mut rng, n);
    coupling(coupling_name)?.pair(&mut x0, &mut x1);
    let out = Object::new();
    set(&out, "starts", &f64s(&x0).into());
    set(&out, "ends", &f64s(&x1).into());
    Ok(out)
}

/// The loss floor under minibatch OT for each batch size, from `pairs` coupled pairs (a binned
/// estimate; the independent floor is `lossFloor`).
#[wasm_bindgen(js_name = otLossFloors)]
pub fn ot_loss_floors(
    target_text: &str,
    batch_sizes: &[u32],
    pairs: usize,
    seed: u32,
) -> Result<Float64Array, JsError> {
    check_size("pairs", pairs, 1_000_000)?;
    check_size("batch sizes", batch_sizes.len(), 32)?;
    let mixture = target(target_text)?;
    let floors: Vec<f64> = batch_sizes
        .iter()
        .map(|&b| coupled_loss_floor(&mixture, Coupling::Ot, b as usize, pairs, seed.into()))
        .collect();
    Ok(f64s(&floors))
}
