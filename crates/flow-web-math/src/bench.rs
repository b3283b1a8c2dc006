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

/// Runs `rounds` rounds of `chains` independent 8-lane multiply-adds (the shape of the trainer's
/// inner loop, with no memory traffic) and returns how many floating-point operations that was; the
/// caller times the call. Too few chains wait on each other's latency, too many spill out of the
/// registers, so the benchmark tries several and keeps the fastest: that is the peak the step is
/// held to. `chains` is one of 2, 4, 6, 8, 12, 16.
#[wasm_bindgen(js_name = multiplyAdds)]
pub fn multiply_adds(rounds: u32, chains: usize) -> Result<f64, JsError> {
    Ok(match chains {
        2 => chained::<2>(rounds),
        4 => chained::<4>(rounds),
        6 => chained::<6>(rounds),
        8 => chained::<8>(rounds),
        12 => chained::<12>(rounds),
        16 => chained::<16>(rounds),
        _ => {
            return Err(JsError::new(
                "multiplyAdds: chains is one of 2, 4, 6, 8, 12, 16",
            ));
        }
    })
}

fn chained<const CHAINS: usize>(rounds: u32) -> f64 {
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

/// Milliseconds per exact assignment of a training batch in this module: `batches` batches of `n`
/// noise points against the draws of `preset` (squared distances, seeded), solved by flow-core's
/// solver (`solver` "ours") or by the `lsap` crate ("lsap", the baseline) — the same matrices for
/// both, built before the clock starts.
#[wasm_bindgen(js_name = assignmentMs)]
pub fn assignment_ms(solver: &str, preset: &str, n: usize, batches: u32) -> Result<f64, JsError> {
    use flow_core::assignment::{lsap_assignment, optimal_assignment, squared_distances};
    use flow_core::plane::target::{Preset, plane_noise};
    let solve = match solver {
        "ours" => optimal_assignment,
        "lsap" => lsap_assignment,
        _ => return Err(JsError::new("assignmentMs: solver is \"ours\" or \"lsap\"")),
    };
    let preset = Preset::from_name(preset)
        .ok_or_else(|| JsError::new("assignmentMs: not one of the presets"))?;
    let mut rng = seeded_rng(7);
    let matrices: Vec<Vec<f64>> = (0..batches)
        .map(|_| {
            let x0 = plane_noise(&mut rng, n);
            squared_distances(&x0, &preset.target().sample(&mut rng, n))
        })
        .collect();
    let started = js_sys::Date::now();
    let mut checksum = 0;
    for cost in &matrices {
        checksum += solve(cost, n)[0];
    }
    std::hint::black_box(checksum);
    Ok((js_sys::Date::now() - started) / f64::from(batches.max(1)))
}
