//! The exact marginal velocity u(x, t) = E[x₁ − x₀ | x_t = x] for N(0, 1) noise and a Gaussian-mixture target.
//!
//! Given component k, (x_t, x₁ − x₀) is jointly Gaussian, so the conditional mean is linear in x;
//! the marginal field is the posterior-weighted average of those lines (each component's
//! pair is Gaussian given the component, so E[x₁ − x₀ | x_t, k] is a regression line; checked below
//! against Monte-Carlo bins).

use crate::field::VelocityField;
use crate::mixture::{Component, Mixture};

#[derive(Debug, Clone)]
pub struct ExactField {
    target: Mixture,
}

impl ExactField {
    pub fn new(target: Mixture) -> Self {
        Self { target }
    }

    pub fn target(&self) -> &Mixture {
        &self.target
    }

    /// u(x, t) at one point: the average of the components' conditional-mean lines, weighted by each
    /// component's posterior given x_t = x. Weights are formed in log space relative to the largest,
    /// so that far in the tails, where every density underflows, the dominant component still wins.
    pub fn at(&self, t: f64, x: f64) -> f64 {
        // One pass: sums are kept relative to the largest log-weight seen so far, rescaled when it grows.
        let (mut max_log_w, mut weighted, mut weight_sum) = (f64::NEG_INFINITY, 0.0, 0.0);
        for c in self.target.components() {
            let (log_w, velocity) = component_term(c, t, x);
            if log_w > max_log_w {
                let rescale = (max_log_w - log_w).exp();
                weighted *= rescale;
                weight_sum *= rescale;
                max_log_w = log_w;
            }
            let w = (log_w - max_log_w).exp();
            weighted += w * velocity;
            weight_sum += w;
        }
        weighted / weight_sum
    }

    /// The lowest loss any network can reach, E[(x₁ − x₀ − u(x_t, t))²] = E[(x₁ − x₀)²] − E[u(x_t, t)²]
    /// (the regression residual of the conditional mean). The first term is closed-form; the second is
    /// integrated over t by the midpoint rule and over x_t, for each component of the mixture that x_t
    /// follows, on a standardised grid (spectrally accurate for a smooth function times a Gaussian).
    pub fn loss_floor(&self) -> f64 {
        const TIMES: usize = 200;
        const NODES: usize = 161; // z from −8 to 8 in steps of 0.1
        let components = self.target.components();
        let second_moment: f64 = 1.0
            + components
                .iter()
                .map(|c| c.weight * (c.std * c.std + c.mean * c.mean))
                .sum::<f64>();
        let dz = 16.0 / (NODES - 1) as f64;
        let mut mean_square = 0.0;
        for i in 0..TIMES {
            let t = (i as f64 + 0.5) / TIMES as f64;
            for c in components {
                let s = ((1.0 - t).powi(2) + t * t * c.std * c.std).sqrt();
                let inner: f64 = (0..NODES)
                    .map(|j| {
                        let z = -8.0 + j as f64 * dz;
                        crate::normal::std_normal_pdf(z) * self.at(t, t * c.mean + s * z).powi(2)
                    })
                    .sum();
                mean_square += c.weight * inner * dz / TIMES as f64;
            }
        }
        second_moment - mean_square
    }
}

/// For one component at (x, t): its log posterior weight (up to a shared constant) and
/// E[x₁ − x₀ | x_t = x, component], which is linear in x because x_t and x₁ − x₀ are jointly Gaussian.
fn component_term(c: &Component, t: f64, x: f64) -> (f64, f64) {
    let var = (1.0 - t).powi(2) + t * t * c.std * c.std;
    let centre = t * c.mean;
    let log_w = c.weight.ln() - 0.5 * var.ln() - 0.5 * (x - centre).powi(2) / var;
    let slope = (t * c.std * c.std - (1.0 - t)) / var;
    (log_w, c.mean + slope * (x - centre))
}

impl VelocityField for ExactField {
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        for (o, &x) in out.iter_mut().zip(xs) {
            *o = self.at(t, x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binned_field::BinnedField;
    use crate::paths::path_endpoints;
    use crate::seeded_rng;

    fn field() -> ExactField {
        ExactField::new(Mixture::tutorial_target())
    }

    #[test]
    fn at_t_one_the_field_is_the_identity() {
        for x in [-2.0, -0.3, 0.0, 1.7] {
            assert!((field().at(1.0, x) - x).abs() < 1e-12);
        }
    }

    #[test]
    fn at_t_zero_the_field_is_the_target_mean_minus_x() {
        // x_0 = x is independent of x₁, so E[x₁ − x₀ | x₀ = x] = E[x₁] − x.
        let mean = Mixture::tutorial_target().mean();
        for x in [-2.0, 0.0, 1.1] {
            assert!((field().at(0.0, x) - (mean - x)).abs() < 1e-12);
        }
    }

    #[test]
    fn loss_floor_matches_the_reference_and_a_monte_carlo_residual() {
        // 1.8368 was computed for the tutorial's target alongside its PyTorch re-run (the dashed line
        // of the loss figure); a Monte-Carlo mean of the residual over 400k triples must agree within
        // 4 standard errors.
        let floor = field().loss_floor();
        assert!((floor - 1.8368).abs() < 5e-4, "floor {floor}");
        let batch =
            crate::paths::training_batch(&Mixture::tutorial_target(), &mut seeded_rng(3), 400_000);
        let residuals: Vec<f64> = batch
            .inputs
            .chunks(2)
            .zip(&batch.targets)
            .map(|(tx, &v)| (v as f64 - field().at(tx[0] as f64, tx[1] as f64)).powi(2))
            .collect();
        let n = residuals.len() as f64;
        let mean = residuals.iter().sum::<f64>() / n;
        let sd = (residuals.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(
            (mean - floor).abs() < 4.0 * sd / n.sqrt(),
            "Monte Carlo {mean} vs quadrature {floor}"
        );
        // A point-mass target (σ → 0) has no floor at all: x_t then determines x₀, so only one path
        // passes through each point.
        let narrow = ExactField::new(Mixture::new(&[1.0], &[0.5], &[1e-3]).unwrap());
        assert!(narrow.loss_floor() < 1e-3, "{}", narrow.loss_floor());
    }

    #[test]
    fn far_tails_stay_finite() {
        for x in [-60.0, 60.0] {
            assert!(field().at(0.5, x).is_finite());
        }
    }

    #[test]
    fn agrees_with_a_monte_carlo_estimate_of_the_conditional_mean() {
        // 1M straight paths binned at 5 times into 40 bins of width 0.1 on [−2, 2]. In a bin with n paths
        // the sample mean of x₁ − x₀ has standard error s/√n (s from the same bin); we allow 5 of them,
        // plus 0.01 for evaluating u at the bin centre rather than averaging it over the bin
        // (|u''| ≲ 8 here, so the centre/average gap is ≤ |u''|·w²/24 ≈ 0.003).
        let (x0, x1) = path_endpoints(&Mixture::tutorial_target(), &mut seeded_rng(11), 1_000_000);
        let times = [0.1, 0.3, 0.5, 0.7, 0.9];
        let binned = BinnedField::from_paths(&x0, &x1, &times, -2.0, 2.0, 40);
        let mut checked = 0;
        for (ti, &t) in times.iter().enumerate() {
            for (bi, centre) in crate::field::bin_centres(-2.0, 2.0, 40)
                .into_iter()
                .enumerate()
            {
                // The edge bins also collect every path outside [−2, 2]; they are not local averages.
                if bi == 0 || bi == 39 {
                    continue;
                }
                let Some(stats) = binned.bin(ti, bi) else {
                    continue;
                };
                if stats.count < 2000 {
                    continue;
                }
                let tolerance = 5.0 * stats.standard_error() + 0.01;
                let exact = field().at(t, centre);
                assert!(
                    (stats.mean - exact).abs() < tolerance,
                    "t = {t}, x = {centre}: Monte Carlo {} vs exact {exact} (tolerance {tolerance})",
                    stats.mean
                );
                checked += 1;
            }
        }
        assert!(
            checked > 120,
            "only {checked} bins were populated enough to check"
        );
    }
}
