//! What the benchmark (tests/browser/bench.mjs) measures in the page beyond the article itself: the
//! arithmetic of one training step, this machine's multiply-add rate in this very module (wasm SIMD,
//! compiled as the trainer's products are), and the fused CPU step on any network shape.

use flow_core::adam::pytorch_adam;
use flow_core::cpu_step::step_flops;
use flow_core::{CpuStep, MlpLayout, MlpWeights, seeded_rng};
use wasm_bindgen::prelude::*;

/// Floating-point operations of one fused CPU step of a network of `depth` hidden layers of
/// `hidden` units on points of `dimension`, batch `batch` (the matrix products; GELU and Adam add
/// a few per cent).
#[wasm_bindgen(js_name = stepFlops)]
pub fn step_flops_js(hidden: usize, depth: usize, dimension: usize, batch: usize) -> f64 {
    step_flops(MlpLayout::for_dimension(dimension, hidden, depth), batch)
}

/// Runs `rounds` rounds of 16 independent 8-lane multiply-adds (the shape of the trainer's inner
/// loop, with no memory traffic) and returns how many floating-point operations that was; the
/// caller times the call. What the compiler makes of this loop is the peak the step is held to.
#[wasm_bindgen(js_name = multiplyAdds)]
pub fn multiply_adds(rounds: u32) -> f64 {
    const CHAINS: usize = 16;
    const LANES: usize = 8;
    let mut acc = [[0.0f32; LANES]; CHAINS];
    let a: [f32; LANES] = std::hint::black_box([0.999; LANES]);
    let b: [f32; LANES] = std::hint::black_box([1e-3; LANES]);
    for _ in 0..rounds {
        for chain in acc.iter_mut() {
            for ((x, &p), &q) in chain.iter_mut().zip(&a).zip(&b) {
                *x = *x * p + q;
            }
        }
    }
    std::hint::black_box(acc);
    f64::from(rounds) * (CHAINS * LANES * 2) as f64
}

/// Runs `steps` fused CPU steps of a network of `depth` × `hidden` on points of `dimension`, batch
/// `batch`, on fixed pseudo-random batches (a step's cost does not depend on its data); the caller
/// times the call. Returns the last loss, so that nothing is optimised away.
#[wasm_bindgen(js_name = trainShape)]
pub fn train_shape(
    dimension: usize,
    hidden: usize,
    depth: usize,
    batch: usize,
    steps: usize,
) -> Result<f32, JsError> {
    let layout = MlpLayout::for_dimension(dimension, hidden, depth);
    if !layout.is_valid() || batch == 0 || hidden > 1024 || depth > 8 || batch > 1 << 16 {
        return Err(JsError::new("trainShape: a shape or batch out of range"));
    }
    let start = MlpWeights::initial(&mut seeded_rng(1), layout);
    let mut step = CpuStep::new(&start, batch, pytorch_adam(1e-3));
    let inputs: Vec<f32> = (0..batch * layout.inputs)
        .map(|i| ((i * 7919) % 401) as f32 / 100.0 - 2.0)
        .collect();
    let targets: Vec<f32> = (0..batch * layout.outputs)
        .map(|i| ((i * 104_729) % 601) as f32 / 100.0 - 3.0)
        .collect();
    let mut loss = 0.0;
    for _ in 0..steps {
        loss = step.step(&inputs, &targets, 0.999);
    }
    Ok(loss)
}
