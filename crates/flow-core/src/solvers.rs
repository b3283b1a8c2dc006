//! ODE solvers for dx/dt = u(x, t) on t ∈ [0, 1], for a batch of starting points at once.

use serde::{Deserialize, Serialize};

use crate::field::VelocityField;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// x ← x + u(x, t)·dt: one field evaluation per step, error ∝ dt (the tutorial's sampler).
    Euler,
    /// Explicit trapezoid: average the slope at both ends of an Euler step; error ∝ dt².
    Heun,
    /// Classic fourth-order Runge–Kutta; error ∝ dt⁴.
    Rk4,
}

/// Advances every `x` by one step of `solver` from `t` to `t + dt`.
fn step(
    field: &impl VelocityField,
    solver: Solver,
    t: f64,
    dt: f64,
    x: &mut [f64],
    scratch: &mut Scratch,
) {
    let n = x.len();
    let Scratch {
        k1,
        k2,
        k3,
        k4,
        probe,
    } = scratch;
    field.velocity(t, x, &mut k1[..n]);
    match solver {
        Solver::Euler => {
            for (xi, k) in x.iter_mut().zip(&k1[..n]) {
                *xi += dt * k;
            }
        }
        Solver::Heun => {
            for i in 0..n {
                probe[i] = x[i] + dt * k1[i];
            }
            field.velocity(t + dt, &probe[..n], &mut k2[..n]);
            for i in 0..n {
                x[i] += 0.5 * dt * (k1[i] + k2[i]);
            }
        }
        Solver::Rk4 => {
            for i in 0..n {
                probe[i] = x[i] + 0.5 * dt * k1[i];
            }
            field.velocity(t + 0.5 * dt, &probe[..n], &mut k2[..n]);
            for i in 0..n {
                probe[i] = x[i] + 0.5 * dt * k2[i];
            }
            field.velocity(t + 0.5 * dt, &probe[..n], &mut k3[..n]);
            for i in 0..n {
                probe[i] = x[i] + dt * k3[i];
            }
            field.velocity(t + dt, &probe[..n], &mut k4[..n]);
            for i in 0..n {
                x[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
        }
    }
}

struct Scratch {
    k1: Vec<f64>,
    k2: Vec<f64>,
    k3: Vec<f64>,
    k4: Vec<f64>,
    probe: Vec<f64>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            k1: vec![0.0; n],
            k2: vec![0.0; n],
            k3: vec![0.0; n],
            k4: vec![0.0; n],
            probe: vec![0.0; n],
        }
    }
}

/// The time of step `i` of `steps` on [0, 1]; ts = linspace(0, 1, steps + 1) as in the tutorial.
pub fn step_time(i: usize, steps: usize) -> f64 {
    i as f64 / steps as f64
}

/// Integrates from t = 0 to t = 1 in `steps` equal steps and returns the end points.
pub fn integrate(field: &impl VelocityField, solver: Solver, x0: &[f64], steps: usize) -> Vec<f64> {
    let mut x = x0.to_vec();
    let mut scratch = Scratch::new(x.len());
    let dt = 1.0 / steps as f64;
    for i in 0..steps {
        step(field, solver, step_time(i, steps), dt, &mut x, &mut scratch);
    }
    x
}

/// Like [`integrate`] but keeps every intermediate state: `steps + 1` rows, each with one value per path.
pub fn integrate_paths(
    field: &impl VelocityField,
    solver: Solver,
    x0: &[f64],
    steps: usize,
) -> Vec<Vec<f64>> {
    let mut rows = Vec::with_capacity(steps + 1);
    let mut x = x0.to_vec();
    let mut scratch = Scratch::new(x.len());
    let dt = 1.0 / steps as f64;
    rows.push(x.clone());
    for i in 0..steps {
        step(field, solver, step_time(i, steps), dt, &mut x, &mut scratch);
        rows.push(x.clone());
    }
    rows
}

/// One path by Euler's method: the positions at t = 0, 1/steps, …, 1 (the tutorial's table and animation).
pub fn euler_path(field: &impl VelocityField, x0: f64, steps: usize) -> Vec<f64> {
    integrate_paths(field, Solver::Euler, &[x0], steps)
        .into_iter()
        .map(|row| row[0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_field::ExactField;
    use crate::mixture::Mixture;
    use crate::normal::std_normal_cdf;

    /// u(x, t) = x has the known flow x(1) = x₀·e.
    struct Linear;
    impl VelocityField for Linear {
        fn velocity(&self, _t: f64, xs: &[f64], out: &mut [f64]) {
            out.copy_from_slice(xs);
        }
    }

    #[test]
    fn orders_of_accuracy_on_a_linear_ode() {
        let exact = std::f64::consts::E;
        let error = |solver, steps| (integrate(&Linear, solver, &[1.0], steps)[0] - exact).abs();
        // Halving dt divides the error by 2, 4 and 16 respectively (within 10 %).
        for (solver, order) in [(Solver::Euler, 1), (Solver::Heun, 2), (Solver::Rk4, 4)] {
            let ratio = error(solver, 40) / error(solver, 80);
            let expected = 2f64.powi(order);
            assert!(
                (ratio / expected - 1.0).abs() < 0.1,
                "{solver:?}: ratio {ratio}, expected {expected}"
            );
        }
    }

    #[test]
    fn rk4_on_the_exact_field_is_the_transport_map() {
        // The flow of the exact field sends x₀ to F₁⁻¹(Φ(x₀)); check on a quantile grid of the noise.
        let target = Mixture::tutorial_target();
        let field = ExactField::new(target.clone());
        let x0: Vec<f64> = (1..40).map(|i| -2.6 + i as f64 * 0.13).collect();
        let x1 = integrate(&field, Solver::Rk4, &x0, 100);
        for (a, b) in x0.iter().zip(&x1) {
            let expected = target.quantile(std_normal_cdf(*a));
            assert!((b - expected).abs() < 1e-4, "x₀ = {a}: {b} vs {expected}");
        }
    }

    #[test]
    fn fifteen_euler_steps_from_085_reproduce_the_notes() {
        // Euler with 15 steps on the exact field from x₀ = 0.85, as tabulated (to 3 decimals) alongside the
        // PyTorch re-run of the tutorial that this project reproduces.
        let expected = [
            0.850, 0.807, 0.771, 0.744, 0.728, 0.726, 0.741, 0.777, 0.836, 0.914, 1.006, 1.102,
            1.201, 1.301, 1.401, 1.501,
        ];
        let path = euler_path(&ExactField::new(Mixture::tutorial_target()), 0.85, 15);
        assert_eq!(path.len(), 16);
        for (i, (got, want)) in path.iter().zip(expected).enumerate() {
            assert!((got - want).abs() < 1e-3, "step {i}: {got} vs {want}");
        }
    }

    #[test]
    fn euler_w1_on_the_exact_field_matches_the_notes_table() {
        // W₁ of 100k samples carried by Euler on the exact field, measured in the PyTorch re-run of the
        // tutorial: 0.050 for 20 steps, 0.020 for 50 (Euler's error is about 0.98 / steps). Sampling noise
        // in W₁ for 100k draws is about 0.004, so ±0.006 tells a wrong solver from a right one.
        let target = Mixture::tutorial_target();
        let field = ExactField::new(target.clone());
        let x0 = crate::paths::noise_samples(&mut crate::seeded_rng(1), 100_000);
        let w1 = |solver, steps| {
            crate::measures::wasserstein1(&integrate(&field, solver, &x0, steps), |x| target.cdf(x))
        };
        for (steps, expected) in [(20, 0.050), (50, 0.020)] {
            let got = w1(Solver::Euler, steps);
            assert!(
                (got - expected).abs() < 0.006,
                "Euler × {steps}: W1 {got}, reference {expected}"
            );
        }
        // RK4 has converged by 5 steps: what is left is this noise draw's own distance to N(0, 1), carried
        // through the transport map (the PyTorch re-run's draw gave 0.0022, ours 0.0085).
        let (coarse, fine) = (w1(Solver::Rk4, 5), w1(Solver::Rk4, 100));
        assert!(
            (coarse - fine).abs() < 5e-4 && fine < 0.012,
            "RK4: 5 steps {coarse}, 100 steps {fine}"
        );
    }

    #[test]
    fn paths_start_at_x0_and_end_at_the_endpoints() {
        let field = ExactField::new(Mixture::tutorial_target());
        let rows = integrate_paths(&field, Solver::Heun, &[-1.0, 0.5], 10);
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[0], vec![-1.0, 0.5]);
        assert_eq!(rows[10], integrate(&field, Solver::Heun, &[-1.0, 0.5], 10));
    }
}
