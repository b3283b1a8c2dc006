//! A target in the plane: a mixture of isotropic Gaussian bumps (weight, mean, std). A drawn point
//! cloud is such a mixture too (one bump per brush dab), so every target of chapter four has the
//! closed-form marginal field of [`super::exact::PlaneExactField`].

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use std::f64::consts::PI;

use crate::mixture::pick_by_weight;
use crate::paths::noise_samples;

/// One weighted isotropic bump N(mean, std² I).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bump {
    pub weight: f64,
    pub mean: [f64; 2],
    pub std: f64,
}

/// A validated mixture of bumps whose weights sum to one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneTarget {
    bumps: Vec<Bump>,
}

/// Why a list of bumps is not a target.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaneTargetError {
    #[error("a target needs at least one bump")]
    Empty,
    #[error("bump {0}: every number must be finite, the weight and the width positive")]
    Invalid(usize),
}

impl PlaneTarget {
    /// Normalises the weights; refuses an empty list, a number that is not finite, or a weight or
    /// width that is not positive.
    pub fn new(bumps: &[Bump]) -> Result<Self, PlaneTargetError> {
        if bumps.is_empty() {
            return Err(PlaneTargetError::Empty);
        }
        for (i, b) in bumps.iter().enumerate() {
            let finite = [b.weight, b.mean[0], b.mean[1], b.std]
                .iter()
                .all(|v| v.is_finite());
            if !finite || b.weight <= 0.0 || b.std <= 0.0 {
                return Err(PlaneTargetError::Invalid(i + 1));
            }
        }
        let total: f64 = bumps.iter().map(|b| b.weight).sum();
        Ok(Self {
            bumps: bumps
                .iter()
                .map(|b| Bump {
                    weight: b.weight / total,
                    ..*b
                })
                .collect(),
        })
    }

    /// Equal bumps of one width at `means`.
    pub fn equal(means: &[[f64; 2]], std: f64) -> Self {
        let bumps: Vec<Bump> = means
            .iter()
            .map(|&mean| Bump {
                weight: 1.0,
                mean,
                std,
            })
            .collect();
        Self::new(&bumps).expect("equal bumps of a positive width are a target")
    }

    pub fn bumps(&self) -> &[Bump] {
        &self.bumps
    }

    /// The density at a point.
    pub fn pdf(&self, point: [f64; 2]) -> f64 {
        self.bumps
            .iter()
            .map(|b| {
                let var = b.std * b.std;
                let d2 = (point[0] - b.mean[0]).powi(2) + (point[1] - b.mean[1]).powi(2);
                b.weight * (-0.5 * d2 / var).exp() / (2.0 * PI * var)
            })
            .sum()
    }

    /// Draws one point: a bump by weight, then a point of it.
    pub fn sample_one<R: Rng + ?Sized>(&self, rng: &mut R) -> [f64; 2] {
        let chosen = pick_by_weight(&self.bumps, |b| b.weight, rng.random());
        let (zx, zy): (f64, f64) = (StandardNormal.sample(rng), StandardNormal.sample(rng));
        [
            chosen.mean[0] + chosen.std * zx,
            chosen.mean[1] + chosen.std * zy,
        ]
    }

    /// `n` points, interleaved `[x, y, x, y, …]`.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<f64> {
        (0..n).flat_map(|_| self.sample_one(rng)).collect()
    }

    /// E|x|² under the target: what the exact loss floor's first term needs.
    pub fn second_moment(&self) -> f64 {
        self.bumps
            .iter()
            .map(|b| b.weight * (2.0 * b.std * b.std + b.mean[0].powi(2) + b.mean[1].powi(2)))
            .sum()
    }
}

/// `n` draws of the noise N(0, I) in the plane, interleaved.
pub fn plane_noise<R: Rng + ?Sized>(rng: &mut R, n: usize) -> Vec<f64> {
    noise_samples(rng, 2 * n)
}

/// The targets the page offers by name, each defined exactly (so that its numbers can be compared
/// with other tools'), the default first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// 8 equal bumps of std 0.2 at 2·(cos kπ/4, sin kπ/4), k = 0…7.
    Eight,
    /// Two interleaved half moons: 100 equal bumps of std 0.1; for j = 0…49 and θ = π(j + ½)/50,
    /// means 1.5·(cos θ − ½, sin θ − ¼) and 1.5·(½ − cos θ, ¼ − sin θ).
    Moons,
    /// The black cells of a 4 × 4 board of unit cells on [−2, 2]² (cell (i, j), from the lower
    /// left, black when i + j is even), each filled by 3 × 3 equal bumps of std 0.12 at its sixths
    /// (offsets 1/6, 1/2, 5/6 of the cell): 72 bumps.
    Checkerboard,
    /// Two circles, radius 1 and 2, with 16 and 32 equal bumps of std 0.12 at angles 2πk/n: the
    /// outer ring holds two thirds of the mass, as a uniform density on the two circles would.
    Rings,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Eight,
        Preset::Moons,
        Preset::Checkerboard,
        Preset::Rings,
    ];

    /// Its name in links and in the page's table.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Eight => "eight",
            Preset::Moons => "moons",
            Preset::Checkerboard => "checkerboard",
            Preset::Rings => "rings",
        }
    }

    /// How the page names it to a reader.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Eight => "eight Gaussians",
            Preset::Moons => "two moons",
            Preset::Checkerboard => "checkerboard",
            Preset::Rings => "two rings",
        }
    }

    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn target(self) -> PlaneTarget {
        match self {
            Preset::Eight => {
                let means: Vec<[f64; 2]> = (0..8)
                    .map(|k| {
                        let a = k as f64 * PI / 4.0;
                        [2.0 * a.cos(), 2.0 * a.sin()]
                    })
                    .collect();
                PlaneTarget::equal(&means, 0.2)
            }
            Preset::Moons => {
                let mut means = Vec::with_capacity(100);
                for j in 0..50 {
                    let th = PI * (j as f64 + 0.5) / 50.0;
                    means.push([1.5 * (th.cos() - 0.5), 1.5 * (th.sin() - 0.25)]);
                    means.push([1.5 * (0.5 - th.cos()), 1.5 * (0.25 - th.sin())]);
                }
                PlaneTarget::equal(&means, 0.1)
            }
            Preset::Checkerboard => {
                let mut means = Vec::with_capacity(72);
                for i in 0..4 {
                    for j in 0..4 {
                        if (i + j) % 2 != 0 {
                            continue;
                        }
                        for a in [1.0, 3.0, 5.0] {
                            for b in [1.0, 3.0, 5.0] {
                                means.push([-2.0 + i as f64 + a / 6.0, -2.0 + j as f64 + b / 6.0]);
                            }
                        }
                    }
                }
                PlaneTarget::equal(&means, 0.12)
            }
            Preset::Rings => {
                let mut means = Vec::with_capacity(48);
                for (radius, n) in [(1.0, 16), (2.0, 32)] {
                    for k in 0..n {
                        let a = 2.0 * PI * k as f64 / n as f64;
                        means.push([radius * a.cos(), radius * a.sin()]);
                    }
                }
                PlaneTarget::equal(&means, 0.12)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;

    #[test]
    fn presets_are_what_their_definitions_say() {
        let eight = Preset::Eight.target();
        assert_eq!(eight.bumps().len(), 8);
        assert!((eight.bumps()[2].mean[1] - 2.0).abs() < 1e-12);
        assert!(
            eight
                .bumps()
                .iter()
                .all(|b| b.std == 0.2 && (b.weight - 0.125).abs() < 1e-15)
        );
        let moons = Preset::Moons.target();
        assert_eq!(moons.bumps().len(), 100);
        // j = 0: θ = π/100, the first moon's first mean and its mirror through the origin.
        let th = PI / 100.0;
        let first = moons.bumps()[0].mean;
        assert!((first[0] - 1.5 * (th.cos() - 0.5)).abs() < 1e-12);
        assert_eq!(moons.bumps()[1].mean, [-first[0], -first[1]]);
        assert_eq!(Preset::Checkerboard.target().bumps().len(), 72);
        assert_eq!(Preset::Rings.target().bumps().len(), 48);
        for p in Preset::ALL {
            assert_eq!(Preset::from_name(p.name()), Some(p));
            let total: f64 = p.target().bumps().iter().map(|b| b.weight).sum();
            assert!((total - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn samples_have_the_targets_moments() {
        // Eight: mean 0 by symmetry, E|x|² = 4 + 2·0.2² = 4.08. 200k draws: the mean's standard
        // error is √(4.08/2/200k) ≈ 0.0032 per coordinate; 5e-3·… bounds are > 3 standard errors.
        let target = Preset::Eight.target();
        let xs = target.sample(&mut seeded_rng(4), 200_000);
        let n = xs.len() / 2;
        let mean_x: f64 = xs.iter().step_by(2).sum::<f64>() / n as f64;
        let mean_y: f64 = xs.iter().skip(1).step_by(2).sum::<f64>() / n as f64;
        let m2: f64 = xs.chunks(2).map(|p| p[0] * p[0] + p[1] * p[1]).sum::<f64>() / n as f64;
        assert!(
            mean_x.abs() < 0.012 && mean_y.abs() < 0.012,
            "{mean_x} {mean_y}"
        );
        assert!((target.second_moment() - 4.08).abs() < 1e-12);
        // E|x|⁴ ≈ 16.6, so the second moment's standard error is ≈ √(16.6 − 4.08²)/√200k ≈ 0.0012.
        assert!((m2 - 4.08).abs() < 0.006, "{m2}");
    }

    #[test]
    fn the_density_integrates_to_one() {
        // Midpoint rule on [−5, 5]² with h = 0.02 (bumps of std ≥ 0.1 are 5 cells wide and more).
        let target = Preset::Moons.target();
        let h = 0.02;
        let mut total = 0.0;
        for i in 0..500 {
            for j in 0..500 {
                let p = [-5.0 + (i as f64 + 0.5) * h, -5.0 + (j as f64 + 0.5) * h];
                total += target.pdf(p) * h * h;
            }
        }
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }

    #[test]
    fn bad_bumps_are_refused() {
        let ok = Bump {
            weight: 1.0,
            mean: [0.0, 0.0],
            std: 0.1,
        };
        assert_eq!(PlaneTarget::new(&[]), Err(PlaneTargetError::Empty));
        for bad in [
            Bump { weight: 0.0, ..ok },
            Bump { std: -1.0, ..ok },
            Bump {
                mean: [f64::NAN, 0.0],
                ..ok
            },
        ] {
            assert_eq!(
                PlaneTarget::new(&[ok, bad]),
                Err(PlaneTargetError::Invalid(2))
            );
        }
    }
}
