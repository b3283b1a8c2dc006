//! The trained network on the CPU, from a weight snapshot sent by the engine: field grids, path
//! lines, and large sampling jobs advanced a slice at a time by the figure worker.

use flow_core::measures::{density_histogram, ks_statistic, wasserstein1};
use flow_core::paths::noise_samples;
use flow_core::{
    DensityGrid, EulerSampler, Mixture, MlpField, MlpWeights, Solver, integrate_paths, seeded_rng,
};
use js_sys::{Float32Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{check_range, check_size, f64s, set, u32s, widen};
use crate::figures::{MAX_GRID, field_grid};

#[wasm_bindgen]
pub struct LearnedField {
    field: MlpField,
}

#[wasm_bindgen]
impl LearnedField {
    /// `weights`: the flat snapshot (w1, b1, w2, b2, w3, b3) of a 2 → hidden → hidden → 1 network.
    #[wasm_bindgen(constructor)]
    pub fn new(hidden: usize, weights: &[f32]) -> Result<LearnedField, JsError> {
        let weights =
            MlpWeights::from_flat(hidden, weights).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Self {
            field: MlpField::new(weights),
        })
    }

    /// The field on `times` columns (t from 0 to 1) × `bins` bin centres on [lo, hi], column by column.
    pub fn grid(
        &self,
        times: usize,
        lo: f64,
        hi: f64,
        bins: usize,
    ) -> Result<Float32Array, JsError> {
        field_grid(&self.field, times, lo, hi, bins)
    }

    /// Euler paths from each start, `steps + 1` rows of `starts.len()` values.
    pub fn paths(&self, starts: &[f64], steps: usize) -> Result<Float64Array, JsError> {
        check_size("steps", steps, 10_000)?;
        Ok(f64s(
            &integrate_paths(&self.field, Solver::Euler, starts, steps).concat(),
        ))
    }
}

/// Many seeded noise points carried through `steps` Euler steps of a snapshot, optionally counting
/// their path density; measured against the exact target when done.
#[wasm_bindgen]
pub struct SamplingJob {
    sampler: EulerSampler,
}

#[wasm_bindgen]
impl SamplingJob {
    /// `bins = 0`: no path density.
    #[wasm_bindgen(constructor)]
    pub fn new(
        field: &LearnedField,
        n: usize,
        steps: usize,
        seed: u32,
        lo: f64,
        hi: f64,
        bins: usize,
    ) -> Result<SamplingJob, JsError> {
        check_size("samples", n, 1_000_000)?;
        check_size("steps", steps, 1000)?;
        let grid = if bins > 0 {
            check_size("bins", bins, MAX_GRID)?;
            check_range(lo, hi)?;
            Some(DensityGrid { lo, hi, bins })
        } else {
            None
        };
        let x0 = noise_samples(&mut seeded_rng(seed.into()), n)
            .into_iter()
            .map(|x| x as f32)
            .collect();
        Ok(Self {
            sampler: EulerSampler::new(field.field.clone(), x0, steps, grid),
        })
    }

    /// Runs up to `k` more steps; returns the number done so far.
    pub fn advance(&mut self, k: usize) -> usize {
        self.sampler.advance(k);
        self.sampler.steps_done()
    }

    /// Histograms of the starts and of the current positions (`bins` on [lo, hi], as densities).
    pub fn histograms(&self, lo: f64, hi: f64, bins: usize) -> Result<Object, JsError> {
        check_size("bins", bins, MAX_GRID)?;
        check_range(lo, hi)?;
        let out = Object::new();
        let starts = widen(self.sampler.starts());
        let ends = widen(self.sampler.positions());
        set(
            &out,
            "noise",
            &f64s(&density_histogram(&starts, lo, hi, bins)).into(),
        );
        set(
            &out,
            "samples",
            &f64s(&density_histogram(&ends, lo, hi, bins)).into(),
        );
        Ok(out)
    }

    /// Path-density counts so far: one row of bins per state (start included).
    pub fn density(&self) -> js_sys::Uint32Array {
        u32s(self.sampler.density())
    }

    /// W₁ and KS of the current positions against the exact target CDF: `{ w1, ks }`.
    pub fn distances(&self) -> Object {
        let target = Mixture::tutorial_target();
        let samples = widen(self.sampler.positions());
        let out = Object::new();
        set(
            &out,
            "w1",
            &wasserstein1(&samples, |x| target.cdf(x)).into(),
        );
        set(
            &out,
            "ks",
            &ks_statistic(&samples, |x| target.cdf(x)).into(),
        );
        out
    }
}
