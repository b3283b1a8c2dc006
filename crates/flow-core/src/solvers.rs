//! ODE solvers for dx/dt = u(x, t) on t ∈ [0, 1], for a batch of starting points at once.

use std::ops::{Add, Mul};

use serde::{Deserialize, Serialize};

use crate::field::VelocityField;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// x ← x + u(x, t)·dt: one field evaluation per step, error ∝ dt (the tutorial's sampler).
    Euler,
    /// Explicit midpoint: an Euler half step, then the whole step with the slope found there; error ∝ dt².
    Midpoint,
    /// Explicit trapezoid: average the slope at both ends of an Euler step; error ∝ dt².
    Heun,
    /// Classic fourth-order Runge–Kutta; error ∝ dt⁴.
    Rk4,
}

/// An explicit Runge–Kutta method as its Butcher tableau: stage s is evaluated at t + c[s]·dt on
/// x + dt·Σ a[s][j]·k_j, and the step adds dt·Σ b[s]·k_s. One code path then serves every solver, in
/// f32 (the samplers) and f64 (the references).
pub struct Tableau {
    pub c: &'static [f64],
    pub a: &'static [&'static [f64]],
    pub b: &'static [f64],
}

const EULER: Tableau = Tableau {
    c: &[0.0],
    a: &[&[]],
    b: &[1.0],
};
const MIDPOINT: Tableau = Tableau {
    c: &[0.0, 0.5],
    a: &[&[], &[0.5]],
    b: &[0.0, 1.0],
};
const HEUN: Tableau = Tableau {
    c: &[0.0, 1.0],
    a: &[&[], &[1.0]],
    b: &[0.5, 0.5],
};
const RK4: Tableau = Tableau {
    c: &[0.0, 0.5, 0.5, 1.0],
    a: &[&[], &[0.5], &[0.0, 0.5], &[0.0, 0.0, 1.0]],
    b: &[1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0],
};

impl Solver {
    pub const ALL: [Solver; 4] = [Solver::Euler, Solver::Midpoint, Solver::Heun, Solver::Rk4];

    /// Field evaluations per step: what a sample costs is steps × this.
    pub fn evaluations(self) -> usize {
        self.tableau().b.len()
    }

    /// The name used in links and messages ("euler", "midpoint", "heun", "rk4").
    pub fn name(self) -> &'static str {
        match self {
            Solver::Euler => "euler",
            Solver::Midpoint => "midpoint",
            Solver::Heun => "heun",
            Solver::Rk4 => "rk4",
        }
    }

    pub fn from_name(name: &str) -> Option<Solver> {
        Solver::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn tableau(self) -> &'static Tableau {
        match self {
            Solver::Euler => &EULER,
            Solver::Midpoint => &MIDPOINT,
            Solver::Heun => &HEUN,
            Solver::Rk4 => &RK4,
        }
    }
}

/// The float types a solver can step: f32 for the network's own precision, f64 for references.
pub trait Real: Copy + Default + Add<Output = Self> + Mul<Output = Self> {
    fn of(v: f64) -> Self;
}

impl Real for f32 {
    fn of(v: f64) -> f32 {
        v as f32
    }
}

impl Real for f64 {
    fn of(v: f64) -> f64 {
        v
    }
}

/// Stage buffers for [`rk_step`], allocated once per batch size.
pub struct Stages<R> {
    k: Vec<Vec<R>>,
    probe: Vec<R>,
}

impl<R: Real> Stages<R> {
    pub fn new(solver: Solver, n: usize) -> Self {
        Self {
            k: vec![vec![R::default(); n]; solver.evaluations()],
            probe: vec![R::default(); n],
        }
    }
}

/// Advances every `x` by one step of `solver` from `t` to `t + dt` (`dt` may be negative).
/// `velocity(t, xs, out)` evaluates the field for a whole batch at one time.
pub fn rk_step<R: Real>(
    solver: Solver,
    velocity: &mut impl FnMut(f64, &[R], &mut [R]),
    t: f64,
    dt: f64,
    x: &mut [R],
    stages: &mut Stages<R>,
) {
    let tableau = solver.tableau();
    let n = x.len();
    let Stages { k, probe } = stages;
    for s in 0..tableau.b.len() {
        let (done, rest) = k.split_at_mut(s);
        let out = &mut rest[0][..n];
        if s == 0 {
            velocity(t, x, out);
            continue;
        }
        probe[..n].copy_from_slice(x);
        for (kj, &a) in done.iter().zip(tableau.a[s]) {
            if a != 0.0 {
                let h = R::of(dt * a);
                for (p, &v) in probe[..n].iter_mut().zip(&kj[..n]) {
                    *p = *p + h * v;
                }
            }
        }
        velocity(t + tableau.c[s] * dt, &probe[..n], out);
    }
    for (ks, &b) in k.iter().zip(tableau.b) {
        if b != 0.0 {
            let h = R::of(dt * b);
            for (xi, &v) in x.iter_mut().zip(&ks[..n]) {
                *xi = *xi + h * v;
            }
        }
    }
}

fn step(
    field: &impl VelocityField,
    solver: Solver,
    t: f64,
    dt: f64,
    x: &mut [f64],
    stages: &mut Stages<f64>,
) {
    rk_step(
        solver,
        &mut |t, xs: &[f64], out: &mut [f64]| field.velocity(t, xs, out),
        t,
        dt,
        x,
        stages,
    );
}

/// The time of step `i` of `steps` on [0, 1]; ts = linspace(0, 1, steps + 1) as in the tutorial.
pub fn step_time(i: usize, steps: usize) -> f64 {
    i as f64 / steps as f64
}

/// Integrates from t = 0 to t = 1 in `steps` equal steps and returns the end points.
pub fn integrate(field: &impl VelocityField, solver: Solver, x0: &[f64], steps: usize) -> Vec<f64> {
    let mut x = x0.to_vec();
    let mut scratch = Stages::new(solver, x.len());
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
    let mut scratch = Stages::new(solver, x.len());
    let dt = 1.0 / steps as f64;
    rows.push(x.clone());
    for i in 0..steps {
        step(field, solver, step_time(i, steps), dt, &mut x, &mut scratch);
        rows.push(x.clone());
    }
    rows
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
        for (solver, order) in [
            (Solver::Euler, 1),
            (Solver::Midpoint, 2),
            (Solver::Heun, 2),
            (Solver::Rk4, 4),
        ] {
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
        // Euler with 15 steps on the exact field from x₀ = 0.85, as tabulated (to 3 decimals) beside the
        // project's PyTorch re-run of the tutorial (its target 0.55·N(−0.85, 0.65²) + 0.45·N(1.5, 0.25²),
        // noise N(0, 1), float64 closed-form u(x, t), ts = linspace(0, 1, 16)).
        let expected = [
            0.850, 0.807, 0.771, 0.744, 0.728, 0.726, 0.741, 0.777, 0.836, 0.914, 1.006, 1.102,
            1.201, 1.301, 1.401, 1.501,
        ];
        let rows = integrate_paths(
            &ExactField::new(Mixture::tutorial_target()),
            Solver::Euler,
            &[0.85],
            15,
        );
        let path: Vec<f64> = rows.iter().map(|row| row[0]).collect();
        assert_eq!(path.len(), 16);
        for (i, (got, want)) in path.iter().zip(expected).enumerate() {
            assert!((got - want).abs() < 1e-3, "step {i}: {got} vs {want}");
        }
    }

    #[test]
    fn euler_w1_on_the_exact_field_matches_the_notes_table() {
        // W₁ of 100k samples carried by Euler on the exact field, measured in the project's PyTorch re-run
        // of the tutorial (its two-Gaussian target, 100k N(0, 1) draws, float64, W₁ against the exact
        // mixture CDF): 0.050 for 20 steps, 0.020 for 50 (Euler's error is about 0.98 / steps). Sampling noise
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
