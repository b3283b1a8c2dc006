//! Chapter four's queries: the plane target (its link text, its bumps, draws from it), the exact
//! field's density and arrows and particles, one batch's pairs under each coupling, W₂ between
//! point sets, and the trained plane network as a CPU field. Points are interleaved `[x, y, …]`.

use flow_core::field::linspace;
use flow_core::plane::batches::plane_pairs;
use flow_core::plane::measures::{plane_straightness, sliced_wasserstein2, wasserstein2};
use flow_core::plane::target::plane_noise;
use flow_core::plane::text::{parse_plane_target, plane_target_text};
use flow_core::plane::{PLANE_DEPTH, PlaneExactField, PlaneTarget};
use flow_core::{
    MlpField, MlpLayout, MlpWeights, VelocityField, integrate, integrate_paths, seeded_rng,
};
use js_sys::{Float32Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{
    check_range, check_size, check_total, coupling, f64s, f64s_as_f32, set, solver,
};
use crate::limits::{
    MAX_EXAMPLE_PAIRS, MAX_GRID, MAX_PLANE_OUTPUT, MAX_PLANE_POINTS, MAX_SOLVER_STEPS,
    MAX_W2_POINTS,
};

fn plane_target(text: &str) -> Result<PlaneTarget, JsError> {
    parse_plane_target(text).map_err(|e| JsError::new(&e.to_string()))
}

/// The canonical link text of a plane target (a preset's name, or its bumps rounded as a link
/// writes them); throws "plane target: …" (at most 200 characters) for text that is not one.
#[wasm_bindgen(js_name = parsePlaneTarget)]
pub fn parse_plane_target_js(text: &str) -> Result<String, JsError> {
    Ok(plane_target_text(&plane_target(text)?))
}

/// The link text of bumps given flat as `[x, y, std, weight, …]` (weights relative), as the page's
/// editor makes them; throws like `parsePlaneTarget` when they are not a target a link can carry.
#[wasm_bindgen(js_name = planeTargetFromBumps)]
pub fn plane_target_from_bumps(flat: &[f64]) -> Result<String, JsError> {
    // Empty text is the default preset in a link; an empty drawing is not a target.
    if flat.is_empty() {
        return Err(JsError::new(
            "plane target: a target needs at least one bump",
        ));
    }
    let text = flat
        .chunks(4)
        .map(|b| b.iter().map(f64::to_string).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join(";");
    parse_plane_target_js(&text)
}

/// The target's bumps, flat `[weight, x, y, std, …]`, weights summing to one.
#[wasm_bindgen(js_name = planeBumps)]
pub fn plane_bumps(text: &str) -> Result<Float64Array, JsError> {
    let target = plane_target(text)?;
    let flat: Vec<f64> = target
        .bumps()
        .iter()
        .flat_map(|b| [b.weight, b.mean[0], b.mean[1], b.std])
        .collect();
    Ok(f64s(&flat))
}

/// `n` seeded draws from the target.
#[wasm_bindgen(js_name = planeSample)]
pub fn plane_sample(text: &str, n: usize, seed: u32) -> Result<Float64Array, JsError> {
    check_size("points", n, MAX_PLANE_POINTS)?;
    let target = plane_target(text)?;
    Ok(f64s(&target.sample(&mut seeded_rng(seed.into()), n)))
}

/// The centres of `n` cells per side of the view [lo, hi]², row by row from the bottom (y = lo):
/// the points of a density frame and of an arrow frame.
fn lattice(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let step = (hi - lo) / n as f64;
    let centre = |i: usize| lo + (i as f64 + 0.5) * step;
    (0..n)
        .flat_map(|r| (0..n).flat_map(move |c| [centre(c), centre(r)]))
        .collect()
}

/// Any plane field's velocity on an `n × n` lattice of the view at `frames` times from 0 to 1:
/// `frames · n² · 2` numbers, frame by frame, row by row from the bottom.
fn arrow_frames(
    field: &impl VelocityField,
    frames: usize,
    lo: f64,
    hi: f64,
    n: usize,
) -> Result<Float32Array, JsError> {
    check_size("frames", frames, MAX_GRID)?;
    check_size("arrows", n, MAX_GRID)?;
    check_total("arrows", &[frames, n, n, 2], MAX_PLANE_OUTPUT)?;
    check_range(lo, hi)?;
    let points = lattice(lo, hi, n);
    let mut out = Vec::with_capacity(frames * points.len());
    let mut v = vec![0.0; points.len()];
    for t in linspace(0.0, 1.0, frames) {
        field.velocity(t, &points, &mut v);
        out.extend_from_slice(&v);
    }
    Ok(f64s_as_f32(&out))
}

/// `n` noise points drawn from `seed` (at most MAX_PLANE_POINTS, `name` in the message): the starts
/// of every flow and measure of the page, so that the network's and the exact field's are the same.
fn noise_starts(name: &str, n: usize, seed: u32) -> Result<Vec<f64>, JsError> {
    check_size(name, n, MAX_PLANE_POINTS)?;
    Ok(plane_noise(&mut seeded_rng(seed.into()), n))
}

/// Paths of `n` seeded noise points through a plane field: `(steps + 1) · 2n` numbers, step by step.
fn flow(
    field: &impl VelocityField,
    n: usize,
    seed: u32,
    steps: usize,
    solver_name: &str,
) -> Result<Float32Array, JsError> {
    let x0 = noise_starts("particles", n, seed)?;
    check_size("steps", steps, MAX_SOLVER_STEPS)?;
    check_total("particles", &[steps + 1, n, 2], MAX_PLANE_OUTPUT)?;
    let rows = integrate_paths(field, solver(solver_name)?, &x0, steps);
    Ok(f64s_as_f32(&rows.concat()))
}

/// Where `steps` solver steps carry `n` seeded noise points (interleaved).
fn ends(
    field: &impl VelocityField,
    n: usize,
    seed: u32,
    steps: usize,
    solver_name: &str,
) -> Result<Float64Array, JsError> {
    let x0 = noise_starts("points", n, seed)?;
    check_size("steps", steps, MAX_SOLVER_STEPS)?;
    Ok(f64s(&integrate(field, solver(solver_name)?, &x0, steps)))
}

/// The exact marginal density p_t (`bins` cells per side) and the exact field (`arrows` per side)
/// at `frames` times from 0 to 1, on the view [lo, hi]²: `{ density, peaks, arrows }`, each frame's
/// cells row by row from the bottom; `peaks` holds each density frame's largest value.
#[wasm_bindgen(js_name = planeExactFrames)]
pub fn plane_exact_frames(
    text: &str,
    frames: usize,
    lo: f64,
    hi: f64,
    bins: usize,
    arrows: usize,
) -> Result<Object, JsError> {
    check_size("frames", frames, MAX_GRID)?;
    check_size("bins", bins, MAX_GRID)?;
    check_total("density", &[frames, bins, bins], MAX_PLANE_OUTPUT)?;
    check_range(lo, hi)?;
    let field = PlaneExactField::new(plane_target(text)?);
    let cells = lattice(lo, hi, bins);
    let mut density = Vec::with_capacity(frames * bins * bins);
    let mut peaks = Vec::with_capacity(frames);
    for t in linspace(0.0, 1.0, frames) {
        let start = density.len();
        density.extend(
            cells
                .chunks_exact(2)
                .map(|p| field.density(t, [p[0], p[1]])),
        );
        peaks.push(density[start..].iter().copied().fold(0.0, f64::max));
    }
    let out = Object::new();
    set(&out, "density", &f64s_as_f32(&density).into());
    set(&out, "peaks", &f64s(&peaks).into());
    set(
        &out,
        "arrows",
        &arrow_frames(&field, frames, lo, hi, arrows)?.into(),
    );
    Ok(out)
}

/// The exact field's particles from `n` seeded noise points: `(steps + 1) · 2n` numbers.
#[wasm_bindgen(js_name = planeExactFlow)]
pub fn plane_exact_flow(
    text: &str,
    n: usize,
    seed: u32,
    steps: usize,
    solver_name: &str,
) -> Result<Float32Array, JsError> {
    flow(
        &PlaneExactField::new(plane_target(text)?),
        n,
        seed,
        steps,
        solver_name,
    )
}

/// Where the exact field's `steps` solver steps carry `n` seeded noise points.
#[wasm_bindgen(js_name = planeExactEnds)]
pub fn plane_exact_ends(
    text: &str,
    n: usize,
    seed: u32,
    steps: usize,
    solver_name: &str,
) -> Result<Float64Array, JsError> {
    ends(
        &PlaneExactField::new(plane_target(text)?),
        n,
        seed,
        steps,
        solver_name,
    )
}

/// One batch of `n` noise and target draws paired by `coupling` ("independent" or "ot", exact
/// assignment): `{ x0, x1 }`. The same seed gives the same draws under both couplings.
#[wasm_bindgen(js_name = planePairs)]
pub fn plane_pairs_js(
    text: &str,
    coupling_name: &str,
    n: usize,
    seed: u32,
) -> Result<Object, JsError> {
    check_size("pairs", n, MAX_EXAMPLE_PAIRS)?;
    let target = plane_target(text)?;
    let (x0, x1) = plane_pairs(
        &target,
        &mut seeded_rng(seed.into()),
        n,
        coupling(coupling_name)?,
    );
    let out = Object::new();
    set(&out, "x0", &f64s(&x0).into());
    set(&out, "x1", &f64s(&x1).into());
    Ok(out)
}

fn same_size_sets(a: &[f64], b: &[f64], max: usize) -> Result<(), JsError> {
    if a.len() != b.len() || !a.len().is_multiple_of(2) {
        return Err(JsError::new(
            "W2: two sets of as many points, two numbers each",
        ));
    }
    check_size("points", a.len() / 2, max)
}

/// Exact W₂ between two sets of as many points (an optimal assignment; at most 2,000 points).
#[wasm_bindgen(js_name = planeW2)]
pub fn plane_w2(a: &[f64], b: &[f64]) -> Result<f64, JsError> {
    same_size_sets(a, b, MAX_W2_POINTS)?;
    Ok(wasserstein2(a, b))
}

/// Sliced W₂ between two sets of as many points, over `directions` angles.
#[wasm_bindgen(js_name = planeSlicedW2)]
pub fn plane_sliced_w2(a: &[f64], b: &[f64], directions: usize) -> Result<f64, JsError> {
    same_size_sets(a, b, MAX_PLANE_POINTS)?;
    check_size("directions", directions, MAX_GRID)?;
    Ok(sliced_wasserstein2(a, b, directions))
}

/// A trained plane network ([t, x, y] → 2, flow-core's `PLANE_DEPTH` hidden layers) from a snapshot.
#[wasm_bindgen]
pub struct PlaneField {
    field: MlpField,
}

#[wasm_bindgen]
impl PlaneField {
    /// `weights`: the flat snapshot of a 3 → hidden × PLANE_DEPTH → 2 network.
    #[wasm_bindgen(constructor)]
    pub fn new(hidden: usize, weights: &[f32]) -> Result<PlaneField, JsError> {
        let layout = MlpLayout::for_dimension(2, hidden, PLANE_DEPTH);
        let weights =
            MlpWeights::from_flat(layout, weights).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Self {
            field: MlpField::new(weights),
        })
    }

    /// Paths of `n` seeded noise points: `(steps + 1) · 2n` numbers, step by step.
    pub fn flow(
        &self,
        n: usize,
        seed: u32,
        steps: usize,
        solver_name: &str,
    ) -> Result<Float32Array, JsError> {
        flow(&self.field, n, seed, steps, solver_name)
    }

    /// Where `steps` solver steps carry `n` seeded noise points.
    pub fn ends(
        &self,
        n: usize,
        seed: u32,
        steps: usize,
        solver_name: &str,
    ) -> Result<Float64Array, JsError> {
        ends(&self.field, n, seed, steps, solver_name)
    }

    /// The field on an `n × n` lattice of [lo, hi]² at `frames` times from 0 to 1.
    pub fn arrows(
        &self,
        frames: usize,
        lo: f64,
        hi: f64,
        n: usize,
    ) -> Result<Float32Array, JsError> {
        arrow_frames(&self.field, frames, lo, hi, n)
    }

    /// How far its paths from `n` seeded noise points are from straight (RK4, `steps` steps).
    pub fn straightness(&self, n: usize, seed: u32, steps: usize) -> Result<f64, JsError> {
        let x0 = noise_starts("points", n, seed)?;
        check_size("steps", steps, MAX_SOLVER_STEPS)?;
        Ok(plane_straightness(&self.field, &x0, steps))
    }
}
