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

/// GELU and its derivative Φ(x) + x·φ(x) together (forward-mode slopes through the network, and
/// the CPU trainer's backward pass).
#[inline(always)]
pub fn gelu_with_slope(x: f32) -> (f32, f32) {
    let cdf = 0.5 * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    let density = exp(-0.5 * x * x) * FRAC_1_SQRT_2PI;
    (x * cdf, cdf + x * density)
}

/// eˣ without a branch or a library call, so that a loop of it vectorises (libm's `expf` is one
/// call per value): x = n·ln 2 + r with |r| ≤ ½ ln 2, a degree-6 polynomial for eʳ (Cephes'
/// `expf` coefficients), and 2ⁿ built in the exponent bits. Relative error below 4e-7 down to e⁻⁸⁰; arguments
/// are clamped to where f32 neither overflows nor goes subnormal.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Round to nearest by adding 1.5·2²³: the sum's last bits are the integer (no `round` call,
    // which baseline x86 lacks as an instruction).
    const SHIFTER: f32 = 12_582_912.0;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + SHIFTER) - SHIFTER;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4f32;
    for c in [1.398_2e-3, 8.333_452e-3, 4.166_579_6e-2, 0.166_666_65, 0.5] {
        p = p * r + c;
    }
    let er = p * r * r + r + 1.0;
    er * f32::from_bits(((n as i32 + 127) as u32) << 23)
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
    fn exp_matches_the_library_to_f32_precision() {
        // Relative error from e⁻⁸⁰ to e^87.9 (the clamp is at 88); below that the result nears f32's subnormals, where only
        // absolute error is kept (GELU's slope multiplies these by x, far below any f32 weight).
        let mut worst = 0.0f64;
        for i in -80_000..=87_900 {
            let x = i as f32 * 1e-3;
            let want = f64::from(x).exp();
            worst = worst.max((f64::from(exp(x)) - want).abs() / want);
        }
        assert!(worst < 4e-7, "largest relative error {worst}");
        for i in -87_000..-80_000 {
            let x = i as f32 * 1e-3;
            assert!(
                (f64::from(exp(x)) - f64::from(x).exp()).abs() < 1e-40,
                "x = {x}"
            );
        }
        assert_eq!(exp(0.0), 1.0);
        assert!(exp(-1e4) > 0.0 && exp(-1e4) < 1e-37);
        assert!(exp(1e4).is_finite());
    }

    #[test]
    fn the_slope_is_the_derivative() {
        for i in -500..=500 {
            let x = i as f32 * 0.012;
            let (g, d) = gelu_with_slope(x);
            assert_eq!(g, gelu(x));
            let h = 1e-3f64;
            let exact = |v: f64| 0.5 * v * (1.0 + libm::erf(v / std::f64::consts::SQRT_2));
            let fd = (exact(f64::from(x) + h) - exact(f64::from(x) - h)) / (2.0 * h);
            assert!((f64::from(d) - fd).abs() < 1e-5, "x = {x}: {d} vs {fd}");
        }
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
