//! A one-dimensional Gaussian mixture: the target distribution π₁.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::normal::{normal_cdf, normal_pdf};

/// Why a set of mixture parameters was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MixtureError {
    #[error("a mixture needs at least one component")]
    NoComponents,
    #[error(
        "weights, means and standard deviations must have the same length ({weights}, {means}, {stds})"
    )]
    LengthMismatch {
        weights: usize,
        means: usize,
        stds: usize,
    },
    #[error("component {index}: {what} is not a finite number")]
    NotFinite { index: usize, what: &'static str },
    #[error("component {index}: weight {weight} is not positive")]
    NonPositiveWeight { index: usize, weight: f64 },
    #[error("component {index}: standard deviation {std} is not positive")]
    NonPositiveStd { index: usize, std: f64 },
}

/// One weighted normal component of a mixture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub weight: f64,
    pub mean: f64,
    pub std: f64,
}

/// A validated Gaussian mixture whose weights sum to one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mixture {
    components: Vec<Component>,
}

impl Mixture {
    /// Builds a mixture, normalising the weights so that they sum to one.
    pub fn new(weights: &[f64], means: &[f64], stds: &[f64]) -> Result<Self, MixtureError> {
        if weights.len() != means.len() || weights.len() != stds.len() {
            return Err(MixtureError::LengthMismatch {
                weights: weights.len(),
                means: means.len(),
                stds: stds.len(),
            });
        }
        if weights.is_empty() {
            return Err(MixtureError::NoComponents);
        }
        for (index, ((&weight, &mean), &std)) in weights.iter().zip(means).zip(stds).enumerate() {
            for (value, what) in [
                (weight, "weight"),
                (mean, "mean"),
                (std, "standard deviation"),
            ] {
                if !value.is_finite() {
                    return Err(MixtureError::NotFinite { index, what });
                }
            }
            if weight <= 0.0 {
                return Err(MixtureError::NonPositiveWeight { index, weight });
            }
            if std <= 0.0 {
                return Err(MixtureError::NonPositiveStd { index, std });
            }
        }
        let total: f64 = weights.iter().sum();
        let components = weights
            .iter()
            .zip(means)
            .zip(stds)
            .map(|((&w, &mean), &std)| Component {
                weight: w / total,
                mean,
                std,
            })
            .collect();
        Ok(Self { components })
    }

    /// The tutorial's target: 0.55·N(−0.85, 0.65²) + 0.45·N(1.5, 0.25²).
    pub fn tutorial_target() -> Self {
        Self::new(&[0.55, 0.45], &[-0.85, 1.5], &[0.65, 0.25])
            .expect("the tutorial's mixture is valid")
    }

    /// N(0, 1) as a one-component mixture: the noise, where a mixture's tools (quantiles) are wanted.
    pub fn standard_normal() -> Self {
        Self::new(&[1.0], &[0.0], &[1.0]).expect("N(0, 1) is a valid mixture")
    }

    pub fn components(&self) -> &[Component] {
        &self.components
    }

    pub fn pdf(&self, x: f64) -> f64 {
        self.components
            .iter()
            .map(|c| c.weight * normal_pdf(x, c.mean, c.std))
            .sum()
    }

    pub fn cdf(&self, x: f64) -> f64 {
        self.components
            .iter()
            .map(|c| c.weight * normal_cdf(x, c.mean, c.std))
            .sum()
    }

    /// The inverse CDF F⁻¹(p) for p in (0, 1); ±∞ at the ends and NaN outside.
    ///
    /// Bisection on a bracket that certainly contains the answer, then Newton steps: the CDF is smooth
    /// and strictly increasing, so this converges to machine precision without a special case per tail.
    pub fn quantile(&self, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) || p.is_nan() {
            return f64::NAN;
        }
        if p == 0.0 {
            return f64::NEG_INFINITY;
        }
        if p == 1.0 {
            return f64::INFINITY;
        }
        let spread = self.components.iter().map(|c| c.std).fold(0.0, f64::max);
        let mut lo = self
            .components
            .iter()
            .map(|c| c.mean)
            .fold(f64::INFINITY, f64::min)
            - 40.0 * spread;
        let mut hi = self
            .components
            .iter()
            .map(|c| c.mean)
            .fold(f64::NEG_INFINITY, f64::max)
            + 40.0 * spread;
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut x = 0.5 * (lo + hi);
        for _ in 0..3 {
            let density = self.pdf(x);
            if density <= 0.0 {
                break;
            }
            let next = x - (self.cdf(x) - p) / density;
            if !(lo..=hi).contains(&next) {
                break;
            }
            x = next;
        }
        x
    }

    /// Points and weights for E[g(x)] over x from the mixture: for each component, a standardised
    /// grid of `nodes` points in ±`half_width`·σ weighted by w_k·φ(z)·dz (the trapezoid rule, which
    /// is spectrally accurate for a smooth g times a Gaussian: a few dozen nodes per component do
    /// what a thousand quantiles do to 1e-3).
    pub fn expectation_nodes(&self, nodes: usize, half_width: f64) -> (Vec<f64>, Vec<f64>) {
        let nodes = nodes.max(2);
        let dz = 2.0 * half_width / (nodes - 1) as f64;
        let mut points = Vec::with_capacity(nodes * self.components.len());
        let mut weights = Vec::with_capacity(points.capacity());
        for c in &self.components {
            for j in 0..nodes {
                let z = -half_width + j as f64 * dz;
                points.push(c.mean + c.std * z);
                weights.push(c.weight * crate::normal::std_normal_pdf(z) * dz);
            }
        }
        (points, weights)
    }

    /// Differential entropy −∫ p log p = E[−log p(x)], on 161 nodes per component in ±8σ.
    pub fn entropy(&self) -> f64 {
        let (points, weights) = self.expectation_nodes(161, 8.0);
        points
            .iter()
            .zip(&weights)
            .map(|(&x, w)| w * -self.pdf(x).ln())
            .sum()
    }

    pub fn mean(&self) -> f64 {
        self.components.iter().map(|c| c.weight * c.mean).sum()
    }

    /// Draws one sample: pick a component by weight, then draw from it.
    pub fn sample_one<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let chosen = pick_by_weight(&self.components, |c| c.weight, rng.random());
        let z: f64 = StandardNormal.sample(rng);
        chosen.mean + chosen.std * z
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.sample_one(rng)).collect()
    }
}

/// The item whose cumulative weight first exceeds `u` ∈ [0, 1) (weights summing to one), the last
/// one if rounding leaves `u` past the total: how a mixture picks a component for a draw.
pub(crate) fn pick_by_weight<T: Copy>(items: &[T], weight: impl Fn(&T) -> f64, u: f64) -> T {
    let mut acc = 0.0;
    for item in items {
        acc += weight(item);
        if u < acc {
            return *item;
        }
    }
    items[items.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;

    #[test]
    fn invalid_parameters_are_typed_errors() {
        assert_eq!(Mixture::new(&[], &[], &[]), Err(MixtureError::NoComponents));
        assert!(matches!(
            Mixture::new(&[1.0], &[0.0, 1.0], &[1.0]),
            Err(MixtureError::LengthMismatch { .. })
        ));
        assert!(matches!(
            Mixture::new(&[0.0], &[0.0], &[1.0]),
            Err(MixtureError::NonPositiveWeight { .. })
        ));
        assert!(matches!(
            Mixture::new(&[-1.0, 2.0], &[0.0, 0.0], &[1.0, 1.0]),
            Err(MixtureError::NonPositiveWeight { .. })
        ));
        assert!(matches!(
            Mixture::new(&[1.0], &[0.0], &[0.0]),
            Err(MixtureError::NonPositiveStd { .. })
        ));
        assert!(matches!(
            Mixture::new(&[1.0], &[f64::NAN], &[1.0]),
            Err(MixtureError::NotFinite { what: "mean", .. })
        ));
        assert!(matches!(
            Mixture::new(&[f64::INFINITY], &[0.0], &[1.0]),
            Err(MixtureError::NotFinite { .. })
        ));
    }

    #[test]
    fn weights_are_normalised() {
        let m = Mixture::new(&[2.0, 6.0], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
        assert_eq!(m.components()[0].weight, 0.25);
        assert_eq!(m.components()[1].weight, 0.75);
    }

    #[test]
    fn pdf_integrates_to_one_and_to_the_cdf() {
        let m = Mixture::tutorial_target();
        let (a, n) = (-10.0, 40_000);
        let h = 20.0 / n as f64;
        let mut integral = 0.0;
        for i in 0..n {
            let x = a + (i as f64 + 0.5) * h;
            integral += m.pdf(x) * h;
            if i % 5000 == 4999 {
                assert!((integral - m.cdf(x + 0.5 * h)).abs() < 1e-7);
            }
        }
        assert!((integral - 1.0).abs() < 1e-7);
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        let m = Mixture::tutorial_target();
        for i in 1..1000 {
            let p = i as f64 / 1000.0;
            assert!((m.cdf(m.quantile(p)) - p).abs() < 1e-12, "p = {p}");
        }
        assert!((m.quantile(1e-12) - m.quantile(2e-12)) < 0.0);
        assert!(m.quantile(1.5).is_nan());
        assert_eq!(m.quantile(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn samples_match_the_mixture_moments() {
        // Mean 0.2075: standard error of the mean of 200k draws is about 1.16/√200k ≈ 0.0026; allow 4σ.
        let m = Mixture::tutorial_target();
        let xs = m.sample(&mut seeded_rng(7), 200_000);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - m.mean()).abs() < 0.011, "{mean} vs {}", m.mean());
        let left = xs.iter().filter(|&&x| x < 0.7189).count() as f64 / xs.len() as f64;
        assert!((left - m.cdf(0.7189)).abs() < 0.005);
    }

    #[test]
    fn sampling_is_deterministic_for_a_seed() {
        let m = Mixture::tutorial_target();
        assert_eq!(
            m.sample(&mut seeded_rng(3), 10),
            m.sample(&mut seeded_rng(3), 10)
        );
        assert_ne!(
            m.sample(&mut seeded_rng(3), 10),
            m.sample(&mut seeded_rng(4), 10)
        );
    }

    #[test]
    fn entropy_of_one_normal_is_closed_form_and_of_the_target_matches_a_riemann_sum() {
        let one = Mixture::new(&[1.0], &[0.3], &[0.7]).unwrap();
        let closed = 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E * 0.49).ln();
        assert!((one.entropy() - closed).abs() < 1e-10, "{}", one.entropy());
        let target = Mixture::tutorial_target();
        let h = 1e-3;
        let riemann: f64 = (0..12_000)
            .map(|i| {
                let p = target.pdf(-6.0 + (i as f64 + 0.5) * h);
                if p > 0.0 { -p * p.ln() * h } else { 0.0 }
            })
            .sum();
        assert!(
            (target.entropy() - riemann).abs() < 1e-6,
            "{} vs {riemann}",
            target.entropy()
        );
    }
}
