//! Conversions between core results and JS values.

use js_sys::{Float32Array, Float64Array, Object, Reflect, Uint32Array};
use wasm_bindgen::{JsError, JsValue};

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
