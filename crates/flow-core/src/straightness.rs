//! How straight a flow's paths are: S = E ∫₀¹ (u(x_t, t) − (x₁ − x₀))² dt along each path of the ODE,
//! x₁ being where that path ends. S is 0 exactly when every path is a straight line travelled at
//! constant speed, so that a single Euler step lands exactly; reflow exists to lower it.

use crate::field::VelocityField;
use crate::solvers::{Solver, integrate_paths};

/// S for paths started at `x0`, integrated by RK4 in `steps` steps and averaged over t by the
/// trapezoid rule on the same nodes.
pub fn straightness(field: &impl VelocityField, x0: &[f64], steps: usize) -> f64 {
    let rows = integrate_paths(field, Solver::Rk4, x0, steps);
    let ends = &rows[steps];
    let mut velocity = vec![0.0; x0.len()];
    let mut total = 0.0;
    for (i, row) in rows.iter().enumerate() {
        field.velocity(i as f64 / steps as f64, row, &mut velocity);
        let weight = if i == 0 || i == steps { 0.5 } else { 1.0 } / steps as f64;
        total += weight
            * velocity
                .iter()
                .zip(x0.iter().zip(ends))
                .map(|(v, (a, b))| (v - (b - a)).powi(2))
                .sum::<f64>();
    }
    total / x0.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_field::ExactField;
    use crate::metrics::quantile_points;
    use crate::mixture::Mixture;

    fn noise_points() -> Vec<f64> {
        quantile_points(&Mixture::standard_normal(), 2000)
    }

    /// x_t = x₀·(1 + (a − 1)t): straight lines from x₀ to a·x₀, written as a field of (x, t).
    struct Stretch(f64);
    impl VelocityField for Stretch {
        fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = (self.0 - 1.0) * x / (1.0 + (self.0 - 1.0) * t);
            }
        }
    }

    /// u = x: paths x₀·eᵗ, curved, with a closed-form straightness.
    struct Growth;
    impl VelocityField for Growth {
        fn velocity(&self, _t: f64, xs: &[f64], out: &mut [f64]) {
            out.copy_from_slice(xs);
        }
    }

    #[test]
    fn straight_paths_score_zero_and_curved_ones_their_closed_form() {
        let x0 = noise_points();
        assert!(straightness(&Stretch(0.4), &x0, 50) < 1e-12);
        // ∫₀¹ (x₀eᵗ − x₀(e − 1))² dt = x₀²·((e² − 1)/2 − (e − 1)²).
        let e = std::f64::consts::E;
        let second_moment = x0.iter().map(|x| x * x).sum::<f64>() / x0.len() as f64;
        let expected = second_moment * ((e * e - 1.0) / 2.0 - (e - 1.0).powi(2));
        let got = straightness(&Growth, &x0, 200);
        assert!((got / expected - 1.0).abs() < 1e-4, "{got} vs {expected}");
    }

    #[test]
    fn the_exact_field_of_the_tutorial_bends() {
        // Its paths are curved (they split the noise between two bumps), so S is clearly above 0;
        // this is what reflow can remove.
        let s = straightness(
            &ExactField::new(Mixture::tutorial_target()),
            &noise_points(),
            100,
        );
        assert!(s > 0.01 && s < 1.0, "{s}");
    }
}
