//! Stateless queries behind the figures that need no network: the settings table, densities, the
//! exact field and its loss floor, reference paths and the binned average field.

use flow_core::config::settings_table;
use flow_core::field::{bin_centres, linspace};
use flow_core::measures::density_histogram;
use flow_core::measures::wasserstein1;
use flow_core::normal::std_normal_pdf;
use flow_core::paths::{coupled_endpoints, straight_path_density};
use flow_core::{
    BinnedField, Coupling, ExactField, Solver, VelocityField, integrate_paths, seeded_rng,
};
use js_sys::{Float32Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{check_range, check_size, f64s, f64s_as_f32, set, u32s};
use crate::couplings::coupling;
use crate::target::target;

/// The largest grid side, histogram or step count a figure asks for (a page could not draw more).
pub(crate) const MAX_GRID: usize = 2048;
const MAX_PATHS: usize = 1_000_000;

/// Any field on `times` columns (t from 0 to 1) × `bins` x-bin centres on [lo, hi], column by column.
pub(crate) fn field_grid(
    field: &impl VelocityField,
    times: usize,
    lo: f64,
    hi: f64,
    bins: usize,
) -> Result<Float32Array, JsError> {
    check_size("times", times, MAX_GRID)?;
    check_size("bins", bins, MAX_GRID)?;
    check_range(lo, hi)?;
    Ok(f64s_as_f32(&field.grid(
        &linspace(0.0, 1.0, times),
        &bin_centres(lo, hi, bins),
    )))
}

/// The training settings (key, field, label, kind, default, min, max), from the one table in Rust.
#[wasm_bindgen(js_name = settingsTable)]
pub fn settings_table_js() -> JsValue {
    serde_wasm_bindgen::to_value(&settings_table()).expect("plain rows serialise")
}

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

/// A solver by its name in links ("euler", "midpoint", "heun", "rk4").
pub(crate) fn solver(name: &str) -> Result<Solver, JsError> {
    Solver::from_name(name).ok_or_else(|| JsError::new(&format!("unknown solver \"{name}\"")))
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
    check_size("steps", steps, 10_000)?;
    check_size("paths", starts.len(), MAX_GRID)?;
    let field = ExactField::new(target(target_text)?);
    Ok(f64s(
        &integrate_paths(&field, solver(solver_name)?, starts, steps).concat(),
    ))
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
    check_size("draws", draws as usize, 100)?;
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

/// `n` straight reference paths, paired by `coupling` in batches of `batch` as training pairs them: the noise and target samples' density histograms (`histBins` on
/// [lo, hi]), the path-density counts (`steps + 1` rows × `bins`), and the first `examples`
/// (x₀, x₁) pairs to draw as lines.
#[wasm_bindgen(js_name = referencePaths)]
#[allow(clippy::too_many_arguments)]
pub fn reference_paths(
    target_text: &str,
    coupling_name: &str,
    batch: usize,
    n: usize,
    steps: usize,
    lo: f64,
    hi: f64,
    bins: usize,
    hist_bins: usize,
    examples: usize,
    seed: u32,
) -> Result<Object, JsError> {
    check_size("paths", n, MAX_PATHS)?;
    check_size("batch", batch, MAX_PATHS)?;
    check_size("steps", steps, MAX_GRID)?;
    check_size("bins", bins, MAX_GRID)?;
    check_size("histogram bins", hist_bins, MAX_GRID)?;
    check_range(lo, hi)?;
    let (x0, x1) = coupled_endpoints(
        &target(target_text)?,
        &mut seeded_rng(seed.into()),
        n,
        coupling(coupling_name)?,
        batch,
    );
    let times = linspace(0.0, 1.0, steps + 1);
    let out = Object::new();
    set(
        &out,
        "density",
        &u32s(&straight_path_density(&x0, &x1, &times, lo, hi, bins)).into(),
    );
    set(
        &out,
        "noiseHistogram",
        &f64s(&density_histogram(&x0, lo, hi, hist_bins)).into(),
    );
    set(
        &out,
        "targetHistogram",
        &f64s(&density_histogram(&x1, lo, hi, hist_bins)).into(),
    );
    // Examples from one batch: the first ones (independent pairs are in no order), or spread over
    // its ranks when the batch is sorted (the first ones would all be its lowest).
    let k = examples.min(n);
    let picked: Vec<usize> = if coupling(coupling_name)? == Coupling::Ot {
        let m = batch.min(n);
        (0..k).map(|j| (2 * j + 1) * m / (2 * k)).collect()
    } else {
        (0..k).collect()
    };
    set(
        &out,
        "exampleStarts",
        &f64s(&picked.iter().map(|&i| x0[i]).collect::<Vec<_>>()).into(),
    );
    set(
        &out,
        "exampleEnds",
        &f64s(&picked.iter().map(|&i| x1[i]).collect::<Vec<_>>()).into(),
    );
    Ok(out)
}

/// The average velocity of `n` straight paths (paired by `coupling` in batches of `batch`) binned at `times` evenly spaced times (image view
/// [lo, hi], empty bins NaN), 100-bin histograms of both ends on that view, and `lines` path lines
/// started evenly on the wide view [wideLo, wideHi] and integrated by Euler through the wide-view
/// binned field.
#[wasm_bindgen(js_name = binnedField)]
#[allow(clippy::too_many_arguments)]
pub fn binned_field(
    target_text: &str,
    coupling_name: &str,
    batch: usize,
    n: usize,
    times: usize,
    lo: f64,
    hi: f64,
    bins: usize,
    wide_lo: f64,
    wide_hi: f64,
    lines: usize,
    seed: u32,
) -> Result<Object, JsError> {
    check_size("paths", n, MAX_PATHS)?;
    check_size("batch", batch, MAX_PATHS)?;
    check_size("times", times, MAX_GRID)?;
    check_size("bins", bins, MAX_GRID)?;
    check_size("lines", lines, 64)?;
    check_range(lo, hi)?;
    check_range(wide_lo, wide_hi)?;
    if times < 2 {
        return Err(JsError::new("times must be at least 2"));
    }
    let (x0, x1) = coupled_endpoints(
        &target(target_text)?,
        &mut seeded_rng(seed.into()),
        n,
        coupling(coupling_name)?,
        batch,
    );
    let ts = linspace(0.0, 1.0, times);
    let image = BinnedField::from_paths(&x0, &x1, &ts, lo, hi, bins);
    let wide = BinnedField::from_paths(&x0, &x1, &ts, wide_lo, wide_hi, bins);
    let rows = integrate_paths(
        &wide,
        Solver::Euler,
        &linspace(wide_lo, wide_hi, lines),
        times - 1,
    );
    let out = Object::new();
    set(&out, "field", &f64s_as_f32(&image.means()).into());
    set(
        &out,
        "noiseHistogram",
        &f64s(&density_histogram(&x0, lo, hi, 100)).into(),
    );
    set(
        &out,
        "targetHistogram",
        &f64s(&density_histogram(&x1, lo, hi, 100)).into(),
    );
    set(&out, "lines", &f64s(&rows.concat()).into());
    Ok(out)
}
