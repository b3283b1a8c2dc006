//! The exact marginal velocity field in the plane, u(x, t) = E[x₁ − x₀ | x_t = x] for N(0, I)
//! noise and a mixture of isotropic bumps, and the marginal density p_t it moves. The per-bump
//! algebra is the line's (`exact_field::posterior_velocity` with D = 2): one implementation.

use std::f64::consts::PI;

use crate::exact_field::posterior_velocity;
use crate::field::VelocityField;
use crate::plane::target::PlaneTarget;

#[derive(Debug, Clone)]
pub struct PlaneExactField {
    target: PlaneTarget,
}

impl PlaneExactField {
    pub fn new(target: PlaneTarget) -> Self {
        Self { target }
    }

    pub fn target(&self) -> &PlaneTarget {
        &self.target
    }

    /// u(x, t) at one point.
    pub fn at(&self, t: f64, point: [f64; 2]) -> [f64; 2] {
        let bumps = self
            .target
            .bumps()
            .iter()
            .map(|b| (b.weight, b.mean, b.std));
        posterior_velocity(bumps, t, point)
    }

    /// p_t(x): x_t given bump k is N(t μ_k, ((1 − t)² + t² σ_k²) I), so p_t is a mixture too.
    pub fn density(&self, t: f64, point: [f64; 2]) -> f64 {
        self.target
            .bumps()
            .iter()
            .map(|b| {
                let var = (1.0 - t).powi(2) + t * t * b.std * b.std;
                let d2 = (point[0] - t * b.mean[0]).powi(2) + (point[1] - t * b.mean[1]).powi(2);
                b.weight * (-0.5 * d2 / var).exp() / (2.0 * PI * var)
            })
            .sum()
    }
}

/// Points are interleaved `[x, y, x, y, …]`, so every solver of the line integrates the plane too
/// (their updates are element-wise).
impl VelocityField for PlaneExactField {
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        for (o, p) in out.chunks_exact_mut(2).zip(xs.chunks_exact(2)) {
            o.copy_from_slice(&self.at(t, [p[0], p[1]]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_field::ExactField;
    use crate::mixture::Mixture;
    use crate::plane::target::{Bump, Preset, plane_noise};
    use crate::seeded_rng;

    #[test]
    fn a_separable_target_gives_the_lines_field_in_each_coordinate() {
        // The product of two 1-D mixtures whose components share one width σ is a mixture of
        // isotropic bumps (weights multiply); the noise's coordinates are independent, so the plane's
        // field is the pair of the two lines' fields, to rounding.
        let s = 0.3;
        let (ax, wx) = ([-1.0, 1.2], [0.3, 0.7]);
        let (ay, wy) = ([0.5, -0.8, 2.0], [0.5, 0.25, 0.25]);
        let mut bumps = vec![];
        for (mx, px) in ax.iter().zip(wx) {
            for (my, py) in ay.iter().zip(wy) {
                bumps.push(Bump {
                    weight: px * py,
                    mean: [*mx, *my],
                    std: s,
                });
            }
        }
        let plane = PlaneExactField::new(PlaneTarget::new(&bumps).unwrap());
        let line_x = ExactField::new(Mixture::new(&wx, &ax, &[s, s]).unwrap());
        let line_y = ExactField::new(Mixture::new(&wy, &ay, &[s, s, s]).unwrap());
        let mut worst: f64 = 0.0;
        for t in [0.0, 0.1, 0.5, 0.9, 0.99] {
            for x in [-2.5, -0.3, 0.0, 0.7, 2.2] {
                for y in [-1.9, 0.1, 1.4, 3.0] {
                    let [u, v] = plane.at(t, [x, y]);
                    worst = worst
                        .max((u - line_x.at(t, x)).abs())
                        .max((v - line_y.at(t, y)).abs());
                }
            }
        }
        assert!(worst < 1e-12, "{worst}");
    }

    #[test]
    fn the_field_is_the_conditional_mean_of_monte_carlo_paths() {
        // E[x₁ − x₀ | x_t ∈ small disc] estimated from 2 million paths of the `eight` target at
        // t = 0.6, at bumps' centres (1.2·(cos kπ/4, sin kπ/4)) and between two bumps, where the
        // posterior splits; discs of radius 0.05 bias the estimate by O(r²·|∇²u|) ≲ 0.01. Each disc
        // holds ≈ 1,700 paths and x₁ − x₀ given x_t has a std ≈ 0.5 per coordinate (at a centre:
        // √(1 + σ² − (tσ² − (1 − t))²/s²) = 0.48), a standard error ≈ 0.012: tolerance 0.08.
        let target = Preset::Eight.target();
        let field = PlaneExactField::new(target.clone());
        let t = 0.6;
        let probes = [[1.2, 0.0], [0.85, 0.85], [0.9, 0.4], [0.0, 1.2]];
        let mut sums = [[0.0f64; 3]; 4];
        let mut rng = seeded_rng(11);
        let (r2, n) = (0.05f64 * 0.05, 2_000_000);
        let noise = plane_noise(&mut rng, n);
        for p0 in noise.chunks(2) {
            let p1 = target.sample_one(&mut rng);
            let xt = [(1.0 - t) * p0[0] + t * p1[0], (1.0 - t) * p0[1] + t * p1[1]];
            for (probe, sum) in probes.iter().zip(sums.iter_mut()) {
                if (xt[0] - probe[0]).powi(2) + (xt[1] - probe[1]).powi(2) < r2 {
                    sum[0] += p1[0] - p0[0];
                    sum[1] += p1[1] - p0[1];
                    sum[2] += 1.0;
                }
            }
        }
        for (probe, sum) in probes.iter().zip(sums) {
            assert!(sum[2] > 1000.0, "{probe:?}: only {} paths", sum[2]);
            let mc = [sum[0] / sum[2], sum[1] / sum[2]];
            let exact = field.at(t, *probe);
            for d in 0..2 {
                assert!(
                    (mc[d] - exact[d]).abs() < 0.08,
                    "{probe:?}: {mc:?} vs {exact:?}"
                );
            }
        }
    }

    #[test]
    fn the_density_is_the_noise_at_zero_and_the_target_at_one() {
        let target = Preset::Rings.target();
        let field = PlaneExactField::new(target.clone());
        for p in [[0.0, 0.0], [1.0, 0.2], [-1.5, 1.5]] {
            let noise = (-(p[0] * p[0] + p[1] * p[1]) / 2.0f64).exp() / (2.0 * PI);
            assert!((field.density(0.0, p) - noise).abs() < 1e-14);
            assert!((field.density(1.0, p) - target.pdf(p)).abs() < 1e-14);
        }
    }
}
