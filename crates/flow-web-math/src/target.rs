//! The target as the page edits it: link text in, checked components out. Every query that depends
//! on the target takes its link text ("" for the tutorial's), so the figure worker needs no state.

use flow_core::Mixture;
use flow_core::coupling::monotone_map;
use flow_core::target_text::{parse_target, target_text};
use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{f64s, set};

/// The mixture a link text names ("" is the tutorial's target: flow-core's rule).
pub(crate) fn target(text: &str) -> Result<Mixture, JsError> {
    parse_target(text).map_err(|e| JsError::new(&e.to_string()))
}

/// The tutorial's target as link text.
#[wasm_bindgen(js_name = tutorialTargetText)]
pub fn tutorial_target_text() -> String {
    target_text(&Mixture::tutorial_target())
}

/// Checks a target's link text and returns it in canonical form (weights normalised, 4 significant
/// digits); throws "target: …" saying what is wrong.
#[wasm_bindgen(js_name = parseTarget)]
pub fn parse_target_js(text: &str) -> Result<String, JsError> {
    Ok(target_text(&target(text)?))
}

/// `{ weights, means, stds }` of a target.
#[wasm_bindgen(js_name = targetComponents)]
pub fn target_components(text: &str) -> Result<Object, JsError> {
    let mixture = target(text)?;
    let c = mixture.components();
    let out = Object::new();
    set(
        &out,
        "weights",
        &f64s(&c.iter().map(|c| c.weight).collect::<Vec<_>>()).into(),
    );
    set(
        &out,
        "means",
        &f64s(&c.iter().map(|c| c.mean).collect::<Vec<_>>()).into(),
    );
    set(
        &out,
        "stds",
        &f64s(&c.iter().map(|c| c.std).collect::<Vec<_>>()).into(),
    );
    Ok(out)
}

/// Where the optimal (monotone) map F₁⁻¹(Φ(x)) sends each noise point: the limit of every flow.
#[wasm_bindgen(js_name = monotoneMap)]
pub fn monotone_map_js(text: &str, xs: &[f64]) -> Result<Float64Array, JsError> {
    let mixture = target(text)?;
    Ok(f64s(
        &xs.iter()
            .map(|&x| monotone_map(&mixture, x))
            .collect::<Vec<_>>(),
    ))
}
