//! What several test files measure the same way.

use flow_core::measures::wasserstein1;
use flow_core::paths::noise_samples;
use flow_core::{Mixture, Sampler, Solver, seeded_rng};

/// 100k seeded noise points and W₁ of where 50 Euler steps of `field` carry them: the quality bar a
/// trained network is held to (the exact field's own error at 50 steps is 0.020).
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
