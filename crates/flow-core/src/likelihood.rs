//! The density a flow defines, by the change of variables along its paths.
//!
//! A point x₁ came from x₀ = the flow run backwards, and the log-density changes along the way by
//! d/dt log p_t(x_t) = −∂ₓu(x_t, t). So log p̂₁(x₁) = log φ(x₀) − ∫₀¹ ∂ₓu(x_t, t) dt, found by
//! integrating x and the running integral together from t = 1 back to t = 0 (RK4, the integral
//! riding along as a second state so that it gets the same order of accuracy).

use crate::field::SlopeField;
use crate::normal::std_normal_pdf;
use crate::solvers::{Solver, Stages, rk_step};

/// Backward integration of many points at once, a few steps at a time.
pub struct Likelihood<F> {
    field: F,
    /// `[x…, L…]`: positions, then −∫ ∂ₓu dt accumulated from t = 1 down to the current time.
    state: Vec<f64>,
    stages: Stages<f64>,
    steps: usize,
    done: usize,
}

impl<F: SlopeField> Likelihood<F> {
    pub fn new(field: F, x1: &[f64], steps: usize) -> Self {
        let mut state = x1.to_vec();
        state.resize(2 * x1.len(), 0.0);
        Self {
            field,
            stages: Stages::new(Solver::Rk4, state.len()),
            state,
            steps: steps.max(1),
            done: 0,
        }
    }

    /// Runs up to `k` more backward steps; returns how many ran.
    pub fn advance(&mut self, k: usize) -> usize {
        let k = k.min(self.steps - self.done);
        let n = self.state.len() / 2;
        let dt = -1.0 / self.steps as f64;
        let field = &self.field;
        let mut derivative = |t: f64, s: &[f64], out: &mut [f64]| {
            let (velocity, slope) = out.split_at_mut(n);
            field.velocity_and_slope(t, &s[..n], velocity, slope);
        };
        for _ in 0..k {
            let t = 1.0 - self.done as f64 / self.steps as f64;
            rk_step(
                Solver::Rk4,
                &mut derivative,
                t,
                dt,
                &mut self.state,
                &mut self.stages,
            );
            self.done += 1;
        }
        k
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.steps
    }

    pub fn steps_done(&self) -> usize {
        self.done
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    /// log p̂₁ at every point (meaningful once finished).
    pub fn log_densities(&self) -> Vec<f64> {
        let (x0, change) = self.state.split_at(self.state.len() / 2);
        x0.iter()
            .zip(change)
            .map(|(&x, &l)| std_normal_pdf(x).ln() + l)
            .collect()
    }

    /// Mean negative log-likelihood of the points, in nats.
    pub fn mean_nll(&self) -> f64 {
        let logs = self.log_densities();
        -logs.iter().sum::<f64>() / logs.len().max(1) as f64
    }

    /// −Σ wᵢ log p̂₁(xᵢ) / Σ wᵢ: the NLL as a quadrature over weighted points.
    pub fn weighted_nll(&self, weights: &[f64]) -> f64 {
        let logs = self.log_densities();
        assert_eq!(logs.len(), weights.len(), "one weight per point");
        -logs.iter().zip(weights).map(|(l, w)| l * w).sum::<f64>() / weights.iter().sum::<f64>()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exact_field::ExactField;
    use crate::field::{FieldF32, VelocityField};
    use crate::mixture::Mixture;

    /// The exact field moved by c: u_c(x, t) = u(x − ct, t) + c carries every path to itself plus ct,
    /// so its flow ends at the target shifted by c, with density p₁(x − c).
    #[derive(Clone)]
    pub(crate) struct Shifted(pub ExactField, pub f64);

    impl VelocityField for Shifted {
        fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = self.0.at(t, x - self.1 * t) + self.1;
            }
        }
    }

    impl FieldF32 for Shifted {
        fn velocities(&self, t: f32, xs: &[f32], out: &mut [f32]) {
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = self.velocity_at(t.into(), x.into()) as f32;
            }
        }
    }

    impl SlopeField for Shifted {
        fn velocity_and_slope(&self, t: f64, xs: &[f64], velocity: &mut [f64], slope: &mut [f64]) {
            for ((v, d), &x) in velocity.iter_mut().zip(slope.iter_mut()).zip(xs) {
                let (u, du) = self.0.at_with_slope(t, x - self.1 * t);
                (*v, *d) = (u + self.1, du);
            }
        }
    }

    fn run<F: SlopeField>(field: F, xs: &[f64], steps: usize) -> Likelihood<F> {
        let mut job = Likelihood::new(field, xs, steps);
        while !job.is_finished() {
            job.advance(3);
        }
        job
    }

    #[test]
    fn the_exact_flow_gives_the_exact_target_density() {
        let target = Mixture::tutorial_target();
        let xs: Vec<f64> = (0..41).map(|i| -2.5 + 0.125 * i as f64).collect();
        let job = run(ExactField::new(target.clone()), &xs, 20);
        for (&x, got) in xs.iter().zip(job.log_densities()) {
            let want = target.pdf(x).ln();
            assert!((got - want).abs() < 2e-3, "x = {x}: {got} vs {want}");
        }
    }

    #[test]
    fn a_shifted_flow_gives_the_shifted_density() {
        let target = Mixture::tutorial_target();
        let c = 0.4;
        let xs: Vec<f64> = (0..21).map(|i| -2.0 + 0.2 * i as f64).collect();
        let job = run(Shifted(ExactField::new(target.clone()), c), &xs, 20);
        for (&x, got) in xs.iter().zip(job.log_densities()) {
            let want = target.pdf(x - c).ln();
            assert!((got - want).abs() < 2e-3, "x = {x}: {got} vs {want}");
        }
    }
}
