//! Queries about the exact problem, no sampling of paths: the densities, the exact marginal field
//! and its paths, the loss floor, the target's entropy, and what sampling noise alone costs.

use flow_core::measures::wasserstein1;
use flow_core::normal::std_normal_pdf;
use flow_core::{ExactField, seeded_rng};
use js_sys::{Float32Array, Float64Array};
use wasm_bindgen::prelude::*;

use crate::convert::{check_size, f64s, field_grid, field_paths};
use crate::limits::{MAX_DRAWS, MAX_PATHS};
use crate::target::target;

/// Density of the noise π₀ = N(0, 1) at each x.
#[wasm_bindgen(js_name = noisePdf)]
pub fn noise_pdf(xs: &[f64]) -> Float64Array {
    f64s(&xs.iter().map(|&x| std_normal_pdf(x)).collect::<Vec<_>>())
}

/// Density of the target π₁ at each x.
#[wasm_bindgen(js_name = targetPdf)]
pub fn target_pdf(target_text: &str, xs: &[f64]) -> Result<Float64Array, JsError> {
    let target = target(target_text)?;
    Ok(f64s(&xs.iter().map(|&x| target.pdf(x)).collect::<Vec<_>>()))
}

/// The lowest loss any network can reach on the target with independent pairs (the loss figure's
/// dashed line).
#[wasm_bindgen(js_name = lossFloor)]
pub fn loss_floor(target_text: &str) -> Result<f64, JsError> {
    Ok(ExactField::new(target(target_text)?).loss_floor())
}

/// The exact marginal field on `times` columns (t from 0 to 1) × `bins` x-bin centres on [lo, hi],
/// column by column.
#[wasm_bindgen(js_name = exactVelocityGrid)]
pub fn exact_velocity_grid(
    target_text: &str,
    times: usize,
    lo: f64,
    hi: f64,
    bins: usize,
) -> Result<Float32Array, JsError> {
    field_grid(&ExactField::new(target(target_text)?), times, lo, hi, bins)
}

/// The exact field integrated by `solver` from each start: `steps + 1` rows of `starts.len()` values,
/// to set beside the network's own paths.
#[wasm_bindgen(js_name = exactPaths)]
pub fn exact_paths(
    target_text: &str,
    starts: &[f64],
    steps: usize,
    solver_name: &str,
) -> Result<Float64Array, JsError> {
    field_paths(
        &ExactField::new(target(target_text)?),
        starts,
        steps,
        solver_name,
    )
}

/// The target's differential entropy in nats: the floor of any model's negative log-likelihood.
#[wasm_bindgen(js_name = targetEntropy)]
pub fn target_entropy(target_text: &str) -> Result<f64, JsError> {
    Ok(target(target_text)?.entropy())
}

/// W₁ between `n` exact draws from the target and the target itself, the median over `draws`
/// seeded draws (one draw of 100k swings between about 0.002 and 0.009): what sampling noise alone
/// costs, the floor under any sampled W₁.
#[wasm_bindgen(js_name = samplingNoiseFloor)]
pub fn sampling_noise_floor(target_text: &str, n: usize, draws: u32) -> Result<f64, JsError> {
    check_size("samples", n, MAX_PATHS)?;
    check_size("draws", draws as usize, MAX_DRAWS)?;
    let target = target(target_text)?;
    let mut distances: Vec<f64> = (1..=draws)
        .map(|seed| {
            let samples = target.sample(&mut seeded_rng(seed.into()), n);
            wasserstein1(&samples, |x| target.cdf(x))
        })
        .collect();
    distances.sort_by(f64::total_cmp);
    Ok(distances
        .get(distances.len() / 2)
        .copied()
        .unwrap_or(f64::NAN))
}
