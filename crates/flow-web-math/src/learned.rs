//! The trained network on the CPU, from a weight snapshot sent by the engine: field grids, path
//! lines, and large sampling jobs advanced a slice at a time by the figure worker.

use flow_core::measures::{density_histogram, ks_statistic, wasserstein1};
use flow_core::metrics;
use flow_core::paths::noise_samples;
use flow_core::straightness::straightness;
use flow_core::sweep;
use flow_core::{
    DensityGrid, ExactField, Mixture, MlpField, MlpLayout, MlpWeights, Sampler, Solver, integrate,
    seeded_rng,
};
use js_sys::{Float32Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{
    check_range, check_size, f64s, field_grid, field_paths, set, solver, u32s, widen,
};
use crate::limits::{MAX_GRID, MAX_PATHS, MAX_QUANTILES, MAX_SOLVER_STEPS};
use crate::target::target;

#[wasm_bindgen]
pub struct LearnedField {
    field: MlpField,
}

#[wasm_bindgen]
impl LearnedField {
    /// `weights`: the flat snapshot (w1, b1, w2, b2, w3, b3) of a 2 → hidden → hidden → 1 network.
    #[wasm_bindgen(constructor)]
    pub fn new(hidden: usize, weights: &[f32]) -> Result<LearnedField, JsError> {
        let weights = MlpWeights::from_flat(MlpLayout::tutorial(hidden), weights)
            .map_err(|e| JsError::new(&e.to_string()))?;
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

    /// Paths by `solver` from each start, `steps + 1` rows of `starts.len()` values.
    pub fn paths(
        &self,
        starts: &[f64],
        steps: usize,
        solver_name: &str,
    ) -> Result<Float64Array, JsError> {
        field_paths(&self.field, starts, steps, solver_name)
    }

    /// How far the paths from `n` noise quantiles are from straight lines (RK4, `steps` steps):
    /// E ∫ (u − (x₁ − x₀))² dt, 0 for a flow one Euler step samples exactly.
    pub fn straightness(&self, n: usize, steps: usize) -> Result<f64, JsError> {
        check_size("paths", n, MAX_QUANTILES)?;
        check_size("steps", steps, MAX_SOLVER_STEPS)?;
        let starts = metrics::quantile_points(&Mixture::standard_normal(), n);
        Ok(straightness(&self.field, &starts, steps))
    }

    /// W₁ to the target of `n` noise quantiles after `steps` Euler steps: how well a sampler this
    /// cheap does.
    #[wasm_bindgen(js_name = eulerW1)]
    pub fn euler_w1(&self, target_text: &str, steps: usize, n: usize) -> Result<f64, JsError> {
        check_size("steps", steps, MAX_SOLVER_STEPS)?;
        check_size("samples", n, MAX_QUANTILES)?;
        let target = target(target_text)?;
        let starts = metrics::quantile_points(&Mixture::standard_normal(), n);
        let ends = integrate(&self.field, Solver::Euler, &starts, steps);
        Ok(wasserstein1(&ends, |x| target.cdf(x)))
    }
}

/// Many seeded noise points carried through `steps` solver steps of a snapshot, optionally counting
/// their path density; measured against the exact target when done.
#[wasm_bindgen]
pub struct SamplingJob {
    sampler: Sampler<MlpField>,
    target: Mixture,
}

#[wasm_bindgen]
impl SamplingJob {
    /// `bins = 0`: no path density.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        field: &LearnedField,
        target_text: &str,
        n: usize,
        steps: usize,
        seed: u32,
        lo: f64,
        hi: f64,
        bins: usize,
        solver_name: &str,
    ) -> Result<SamplingJob, JsError> {
        check_size("samples", n, MAX_PATHS)?;
        check_size("steps", steps, MAX_SOLVER_STEPS)?;
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
            sampler: Sampler::new(field.field.clone(), solver(solver_name)?, x0, steps, grid),
            target: target(target_text)?,
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
        let target = &self.target;
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

/// Field error, W₁ and KS of fresh samples, and NLL of the target's quantiles for one snapshot,
/// advanced a slice at a time.
#[wasm_bindgen]
pub struct MetricsJob {
    job: metrics::MetricsJob<MlpField>,
}

#[wasm_bindgen]
impl MetricsJob {
    #[wasm_bindgen(constructor)]
    pub fn new(field: &LearnedField, target_text: &str) -> Result<MetricsJob, JsError> {
        Ok(Self {
            job: metrics::MetricsJob::new(field.field.clone(), target(target_text)?),
        })
    }

    /// Does up to `k` units of work (a solver step of the measured points); returns the fraction done.
    pub fn advance(&mut self, k: usize) -> f64 {
        self.job.advance(k)
    }

    /// `{ fieldError, w1, ks, nll }` once finished, else null.
    pub fn result(&self) -> JsValue {
        let Some(m) = self.job.result() else {
            return JsValue::NULL;
        };
        let out = Object::new();
        set(&out, "fieldError", &m.field_error.into());
        set(&out, "w1", &m.w1.into());
        set(&out, "ks", &m.ks.into());
        set(&out, "nll", &m.nll.into());
        out.into()
    }
}

enum SweepField {
    Learned(Box<sweep::SweepJob<MlpField>>),
    Exact(Box<sweep::SweepJob<ExactField>>),
}

/// W₁ against field evaluations for every solver, on the network or on the exact field.
#[wasm_bindgen]
pub struct SweepJob {
    job: SweepField,
}

#[wasm_bindgen]
impl SweepJob {
    /// The sweep for a snapshot, from `n` quantile starts.
    #[wasm_bindgen(js_name = forNetwork)]
    pub fn for_network(
        field: &LearnedField,
        target_text: &str,
        n: usize,
    ) -> Result<SweepJob, JsError> {
        check_size("samples", n, MAX_QUANTILES)?;
        let job = sweep::SweepJob::new(field.field.clone(), target(target_text)?, n);
        Ok(Self {
            job: SweepField::Learned(Box::new(job)),
        })
    }

    /// The same sweep on the exact field: the reference lines.
    #[wasm_bindgen(js_name = forExactField)]
    pub fn for_exact_field(target_text: &str, n: usize) -> Result<SweepJob, JsError> {
        check_size("samples", n, MAX_QUANTILES)?;
        let target = target(target_text)?;
        let job = sweep::SweepJob::new(ExactField::new(target.clone()), target, n);
        Ok(Self {
            job: SweepField::Exact(Box::new(job)),
        })
    }

    /// Runs up to `k` field evaluations' worth of steps per point; returns the fraction done.
    pub fn advance(&mut self, k: usize) -> f64 {
        match &mut self.job {
            SweepField::Learned(j) => j.advance(k),
            SweepField::Exact(j) => j.advance(k),
        }
    }

    /// The points so far: `{ solvers: string[], steps, evaluations: Uint32Array, w1: Float64Array }`.
    pub fn points(&self) -> Object {
        let points = match &self.job {
            SweepField::Learned(j) => j.points(),
            SweepField::Exact(j) => j.points(),
        };
        let out = Object::new();
        let names = js_sys::Array::new();
        for p in points {
            names.push(&JsValue::from_str(p.solver.name()));
        }
        let ints = |f: fn(&sweep::SweepPoint) -> usize| {
            u32s(&points.iter().map(|p| f(p) as u32).collect::<Vec<_>>())
        };
        set(&out, "solvers", &names.into());
        set(&out, "steps", &ints(|p| p.steps).into());
        set(&out, "evaluations", &ints(|p| p.evaluations).into());
        set(
            &out,
            "w1",
            &f64s(&points.iter().map(|p| p.w1).collect::<Vec<_>>()).into(),
        );
        out
    }
}
