//! GELU, x·Φ(x), with an erf that vectorises.
//!
//! libm's `erff` branches per value and cannot be vectorised, and the network applies GELU 128 times
//! per evaluation (640 million times for 100k samples × 50 steps). This rational approximation
//! (odd degree-13 over even degree-8 in x, clamped to |x| ≤ 4 where erf is ±1 in f32; the
//! coefficients are the ones Eigen and XLA use) is branch-free, so the batched forward pass becomes
//! wasm SIMD / SSE code. Tested against libm below. The fused GPU kernels (flow-train) build their
//! erf from these same coefficients, so that the GPU and the CPU compute the same GELU.

/// Where erf is ±1 in f32: [`erf`] clamps its argument to ±this first.
pub const ERF_CLAMP: f32 = 4.0;

/// The numerator's coefficients, highest power first: erf(x) ≈ x·P(x²)/Q(x²), P of degree 6 in x².
pub const ALPHA: [f32; 7] = [
    -2.726_142_3e-10,
    2.770_681_4e-8,
    -2.101_024e-6,
    -5.692_506_4e-5,
    -7.349_906_3e-4,
    -2.954_600_2e-3,
    -1.609_603_3e-2,
];
/// The denominator's coefficients, highest power first: Q of degree 4 in x².
pub const BETA: [f32; 5] = [
    -1.456_607_2e-5,
    -2.133_740_6e-4,
    -1.682_827e-3,
    -7.373_329e-3,
    -1.426_474e-2,
];

/// 1/√(2π), the standard normal density at 0 (GELU's slope needs the density).
pub const FRAC_1_SQRT_2PI: f32 = 0.398_942_3;

#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let x = x.clamp(-ERF_CLAMP, ERF_CLAMP);
    let x2 = x * x;
    let mut p = ALPHA[0];
    for a in &ALPHA[1..] {
        p = p * x2 + a;
    }
    let mut q = BETA[0];
    for b in &BETA[1..] {
        q = q * x2 + b;
    }
    x * p / q
}

/// Exact GELU (not the tanh variant), as PyTorch's default and burn's `Gelu::new()` compute it.
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// GELU and its derivative Φ(x) + x·φ(x) together (forward-mode slopes through the network).
#[inline(always)]
pub fn gelu_with_slope(x: f32) -> (f32, f32) {
    let cdf = 0.5 * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    let density = (-0.5 * x * x).exp() * FRAC_1_SQRT_2PI;
    (x * cdf, cdf + x * density)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_libm_to_a_few_ulp() {
        let mut worst = 0.0f32;
        for i in -80_000..=80_000 {
            let x = i as f32 * 1e-4;
            worst = worst.max((erf(x) - libm::erff(x)).abs());
        }
        assert!(worst < 5e-7, "largest error {worst}");
        // Far out it saturates at ±1 (within one f32 step), never overshooting.
        assert!((erf(50.0) - 1.0).abs() < 2e-7 && erf(50.0) <= 1.0);
        assert!((erf(-50.0) + 1.0).abs() < 2e-7 && erf(-50.0) >= -1.0);
    }

    #[test]
    fn gelu_matches_the_exact_definition() {
        for i in -600..=600 {
            let x = i as f32 * 0.01;
            let exact = 0.5 * x as f64 * (1.0 + libm::erf(x as f64 / std::f64::consts::SQRT_2));
            assert!(
                (gelu(x) as f64 - exact).abs() < 2e-6,
                "x = {x}: {} vs {exact}",
                gelu(x)
            );
        }
    }
}
