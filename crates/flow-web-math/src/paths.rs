//! Queries about whole straight paths between noise and data, paired by a coupling as training
//! pairs them: the reference paths (their density and a few examples) and the binned average field.

use flow_core::field::linspace;
use flow_core::measures::density_histogram;
use flow_core::paths::{coupled_endpoints, straight_path_density};
use flow_core::{BinnedField, Coupling, Solver, integrate_paths, seeded_rng};
use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::convert::{check_range, check_size, coupling, f64s, f64s_as_f32, set, u32s};
use crate::limits::{MAX_GRID, MAX_LINES, MAX_PATHS};
use crate::target::target;

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
    check_size("lines", lines, MAX_LINES)?;
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
