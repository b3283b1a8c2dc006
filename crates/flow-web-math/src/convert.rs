//! Conversions between core results and JS values, and between the page's names and core types.

use flow_core::field::{bin_centres, linspace};
use flow_core::{Coupling, MlpLayout, Solver, VelocityField, integrate_paths};
use js_sys::{Float32Array, Float64Array, Object, Reflect, Uint32Array};
use wasm_bindgen::{JsError, JsValue};

use crate::limits::{MAX_GRID, MAX_PATH_STEPS};

pub fn f64s_as_f32(values: &[f64]) -> Float32Array {
    let narrowed: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    Float32Array::from(narrowed.as_slice())
}

pub fn f64s(values: &[f64]) -> Float64Array {
    Float64Array::from(values)
}

pub fn u32s(values: &[u32]) -> Uint32Array {
    Uint32Array::from(values)
}

pub fn widen(values: &[f32]) -> Vec<f64> {
    values.iter().map(|&v| v.into()).collect()
}

/// Rejects sizes a page could not draw anyway, before allocating for them.
pub fn check_size(name: &str, value: usize, max: usize) -> Result<(), JsError> {
    if value == 0 || value > max {
        return Err(JsError::new(&format!(
            "{name} must be from 1 to {max}, got {value}"
        )));
    }
    Ok(())
}

/// Rejects a query whose result, the product of `sizes`, would hold more than `max` numbers (each size
/// was checked on its own; their product may still be more than a page can hold, or overflow).
pub fn check_total(name: &str, sizes: &[usize], max: usize) -> Result<(), JsError> {
    let total = sizes.iter().try_fold(1usize, |acc, &s| acc.checked_mul(s));
    match total {
        Some(t) if t <= max => Ok(()),
        _ => Err(JsError::new(&format!(
            "{name}: at most {max} numbers in one query"
        ))),
    }
}

/// Rejects a view range that is empty, reversed or not made of numbers.
pub fn check_range(lo: f64, hi: f64) -> Result<(), JsError> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(JsError::new(&format!("range [{lo}, {hi}] is not a range")));
    }
    Ok(())
}

/// Sets `obj[key] = value` on an object this crate just made (which cannot refuse).
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    Reflect::set(obj, &JsValue::from_str(key), value).expect("setting a field on a fresh object");
}

/// A snapshot's shape, as the page's fields are built from it: `hidden` (width), `depth` (hidden
/// layers) and `dimension` (1 on the line, 2 in the plane).
pub fn set_layout(obj: &Object, layout: MlpLayout) {
    set(obj, "hidden", &(layout.hidden as u32).into());
    set(obj, "depth", &(layout.depth as u32).into());
    set(obj, "dimension", &(layout.outputs as u32).into());
}

/// A solver by its name in links ("euler", "midpoint", "heun", "rk4").
pub fn solver(name: &str) -> Result<Solver, JsError> {
    Solver::from_name(name).ok_or_else(|| JsError::new(&format!("unknown solver \"{name}\"")))
}

/// A coupling by its name in links ("independent", "ot").
pub fn coupling(name: &str) -> Result<Coupling, JsError> {
    Coupling::from_name(name).ok_or_else(|| JsError::new(&format!("unknown coupling \"{name}\"")))
}

/// Any field's paths by the solver named `solver_name` from each start: `steps + 1` rows of
/// `starts.len()` values, flat.
pub fn field_paths(
    field: &impl VelocityField,
    starts: &[f64],
    steps: usize,
    solver_name: &str,
) -> Result<Float64Array, JsError> {
    check_size("steps", steps, MAX_PATH_STEPS)?;
    check_size("paths", starts.len(), MAX_GRID)?;
    Ok(f64s(
        &integrate_paths(field, solver(solver_name)?, starts, steps).concat(),
    ))
}

/// Any field on `times` columns (t from 0 to 1) × `bins` x-bin centres on [lo, hi], column by column.
pub fn field_grid(
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
