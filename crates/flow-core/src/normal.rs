//! The standard normal distribution: the noise π₀ and the building block of the mixture.

use std::f64::consts::{PI, SQRT_2};

/// Density of N(0, 1) at `x`.
pub fn std_normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// Cumulative distribution Φ(x) of N(0, 1).
///
/// Written with `erfc` rather than `1 + erf` so that the far left tail keeps its relative precision.
pub fn std_normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / SQRT_2)
}

/// Density of N(mean, std²) at `x`.
pub fn normal_pdf(x: f64, mean: f64, std: f64) -> f64 {
    std_normal_pdf((x - mean) / std) / std
}

/// Cumulative distribution of N(mean, std²) at `x`.
pub fn normal_cdf(x: f64, mean: f64, std: f64) -> f64 {
    std_normal_cdf((x - mean) / std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_matches_closed_form_values() {
        assert!((std_normal_pdf(0.0) - 0.398_942_280_401_432_7).abs() < 1e-15);
        assert!((std_normal_pdf(1.0) - 0.241_970_724_519_143_37).abs() < 1e-15);
        assert!((normal_pdf(1.5, 1.5, 0.25) - 4.0 * 0.398_942_280_401_432_7).abs() < 1e-12);
    }

    #[test]
    fn cdf_matches_tabulated_values() {
        // Values from standard normal tables (Abramowitz & Stegun 26.2).
        assert!((std_normal_cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((std_normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-12);
        assert!((std_normal_cdf(-1.959_963_984_540_054) - 0.025).abs() < 1e-12);
        assert!((std_normal_cdf(-8.0) - 6.220_960_574_271_785e-16).abs() < 1e-25);
    }

    #[test]
    fn pdf_integrates_to_the_cdf() {
        // Trapezoid rule on [-8, 1.3] against Φ(1.3).
        let n = 20_000;
        let (a, b) = (-8.0, 1.3);
        let h = (b - a) / n as f64;
        let mut sum = 0.5 * (std_normal_pdf(a) + std_normal_pdf(b));
        for i in 1..n {
            sum += std_normal_pdf(a + i as f64 * h);
        }
        assert!((sum * h - std_normal_cdf(b)).abs() < 1e-8);
    }
}
