//! What several test files measure the same way.

use flow_core::measures::wasserstein1;
use flow_core::paths::{TrainingBatch, noise_samples};
use flow_core::{Mixture, Sampler, Solver, seeded_rng};

/// A flow-matching batch in dimension D: t ~ U[0, 1], x₀ ~ N(0, I), x₁ from bumps at ±1.5 of
/// std 0.3 in each coordinate; inputs (t, x_t) row by row, targets x₁ − x₀.
#[allow(dead_code)] // each test binary compiles this module; not every one draws batches
pub fn flow_batch(rng: &mut rand::rngs::StdRng, d: usize, n: usize) -> TrainingBatch {
    use rand::RngExt;
    use rand_distr::{Distribution, StandardNormal};
    let mut inputs = Vec::with_capacity(n * (1 + d));
    let mut targets = Vec::with_capacity(n * d);
    for _ in 0..n {
        let t: f32 = rng.random();
        inputs.push(t);
        for _ in 0..d {
            let x0: f32 = StandardNormal.sample(rng);
            let side = if rng.random::<bool>() { 1.5 } else { -1.5 };
            let noise: f32 = StandardNormal.sample(rng);
            let x1 = side + 0.3 * noise;
            inputs.push((1.0 - t) * x0 + t * x1);
            targets.push(x1 - x0);
        }
    }
    TrainingBatch { inputs, targets }
}

/// 100k seeded noise points and W₁ of where 50 Euler steps of `field` carry them: the quality bar a
/// trained network is held to (the exact field's own error at 50 steps is 0.020).
#[allow(dead_code)] // not every test binary trains to the quality bar
pub fn euler50_w1(field: impl flow_core::FieldF32 + Clone, target: &Mixture) -> f64 {
    let x0: Vec<f32> = noise_samples(&mut seeded_rng(1), 100_000)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let mut sampler = Sampler::new(field, Solver::Euler, x0, 50, None);
    sampler.advance(50);
    let samples: Vec<f64> = sampler.positions().iter().map(|&x| x.into()).collect();
    wasserstein1(&samples, |x| target.cdf(x))
}

/// Whether the environment variable `name` is set to something other than "", "0" or "false".
#[cfg(feature = "gpu")]
fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// The wgpu device for tests of the fused kernels, initialised once per test binary (a runtime
/// initialises once), or `None` where the test is to be skipped. The rule, in one place:
/// - `FLOW_SKIP_GPU=1` skips (and says so), whatever the machine has;
/// - otherwise a wgpu adapter (a GPU, or Vulkan's lavapipe in software: tests/setup.sh installs it)
///   runs the test;
/// - no adapter is a failure where a GPU is required: under CI (`CI` set, as CI services set it) or
///   with `FLOW_REQUIRE_GPU=1` (tests/run.sh sets it). Elsewhere it is a skip, said aloud.
#[cfg(feature = "gpu")]
#[allow(dead_code)] // each test binary compiles this module; not every one has GPU tests
pub fn wgpu_device_or_skip(test: &str) -> Option<&'static burn::tensor::Device> {
    use std::sync::OnceLock;
    static GPU: OnceLock<Result<burn::tensor::Device, String>> = OnceLock::new();
    if flag("FLOW_SKIP_GPU") {
        eprintln!("{test}: SKIPPED (FLOW_SKIP_GPU is set)");
        return None;
    }
    let gpu = GPU.get_or_init(|| {
        burn::tensor::Device::wgpu_options()
            .init()
            .map_err(|e| e.to_string())
    });
    match gpu {
        Ok(device) => Some(device),
        Err(e) if flag("CI") || flag("FLOW_REQUIRE_GPU") => panic!(
            "{test}: no wgpu adapter ({e}), and a GPU is required here (CI or FLOW_REQUIRE_GPU is \
             set): install Vulkan's lavapipe (tests/setup.sh), or set FLOW_SKIP_GPU=1 to skip"
        ),
        Err(e) => {
            eprintln!(
                "{test}: SKIPPED: no wgpu adapter ({e}); set FLOW_REQUIRE_GPU=1 to make this a failure"
            );
            None
        }
    }
}
