//! W₁ against the number of field evaluations, for every solver: what a sampler's accuracy costs.
//!
//! The starting points are the quantiles of N(0, 1) rather than random draws, so that the distance
//! measures the solver and the field, not sampling noise (any flow is monotone, so the end points are
//! then quantiles of whatever distribution the flow makes).

use crate::field::FieldF32;
use crate::measures::wasserstein1;
use crate::metrics::quantile_points;
use crate::mixture::Mixture;
use crate::sampling::Sampler;
use crate::solvers::Solver;

/// The budgets of field evaluations per sample that the figure compares (each solver uses those it
/// can: RK4 needs a multiple of 4).
pub const SWEEP_EVALUATIONS: [usize; 10] = [1, 2, 4, 5, 10, 20, 40, 50, 100, 200];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub solver: Solver,
    pub steps: usize,
    pub evaluations: usize,
    pub w1: f64,
}

/// Every (solver, steps) pair the sweep runs, in order.
pub fn sweep_plan() -> Vec<(Solver, usize)> {
    Solver::ALL
        .into_iter()
        .flat_map(|solver| {
            let cost = solver.evaluations();
            SWEEP_EVALUATIONS
                .into_iter()
                .filter(move |e| e % cost == 0)
                .map(move |e| (solver, e / cost))
        })
        .collect()
}

pub struct SweepJob<F> {
    field: F,
    target: Mixture,
    x0: Vec<f32>,
    plan: Vec<(Solver, usize)>,
    current: Option<Sampler<F>>,
    points: Vec<SweepPoint>,
    work_done: usize,
    work_total: usize,
}

impl<F: FieldF32 + Clone> SweepJob<F> {
    pub fn new(field: F, target: Mixture, n: usize) -> Self {
        let noise = Mixture::standard_normal();
        let plan = sweep_plan();
        Self {
            field,
            target,
            x0: quantile_points(&noise, n)
                .into_iter()
                .map(|x| x as f32)
                .collect(),
            work_total: plan.iter().map(|(s, k)| s.evaluations() * k).sum(),
            plan,
            current: None,
            points: Vec::new(),
            work_done: 0,
        }
    }

    /// Runs up to `k` field evaluations' worth of steps; returns the fraction done.
    pub fn advance(&mut self, k: usize) -> f64 {
        let mut left = k.max(1);
        while left > 0 && self.points.len() < self.plan.len() {
            let (solver, steps) = self.plan[self.points.len()];
            let sampler = self.current.get_or_insert_with(|| {
                Sampler::new(self.field.clone(), solver, self.x0.clone(), steps, None)
            });
            let ran = sampler.advance(left.div_ceil(solver.evaluations()));
            left = left.saturating_sub(ran * solver.evaluations());
            self.work_done += ran * solver.evaluations();
            if sampler.is_finished() {
                let ends: Vec<f64> = sampler.positions().iter().map(|&x| x.into()).collect();
                let target = &self.target;
                self.points.push(SweepPoint {
                    solver,
                    steps,
                    evaluations: steps * solver.evaluations(),
                    w1: wasserstein1(&ends, |x| target.cdf(x)),
                });
                self.current = None;
            }
        }
        self.fraction()
    }

    pub fn fraction(&self) -> f64 {
        self.work_done as f64 / self.work_total as f64
    }

    pub fn is_finished(&self) -> bool {
        self.points.len() == self.plan.len()
    }

    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_field::ExactField;

    #[test]
    fn every_solver_gets_budgets_it_can_spend_exactly() {
        let plan = sweep_plan();
        assert_eq!(plan.iter().filter(|p| p.0 == Solver::Euler).count(), 10);
        assert_eq!(plan.iter().filter(|p| p.0 == Solver::Rk4).count(), 5);
        for (solver, steps) in plan {
            assert!(SWEEP_EVALUATIONS.contains(&(solver.evaluations() * steps)));
        }
    }

    #[test]
    fn the_exact_field_reproduces_the_reference_euler_errors() {
        let target = Mixture::tutorial_target();
        let mut job = SweepJob::new(ExactField::new(target.clone()), target, 4096);
        while !job.is_finished() {
            job.advance(5000);
        }
        assert!((job.fraction() - 1.0).abs() < 1e-12);
        for p in job.points() {
            eprintln!(
                "{:?} × {} ({} evaluations): W1 {:.5}",
                p.solver, p.steps, p.evaluations, p.w1
            );
        }
        let w1 = |solver, evaluations| {
            job.points()
                .iter()
                .find(|p| p.solver == solver && p.evaluations == evaluations)
                .unwrap()
                .w1
        };
        // The reference: W₁ against the exact mixture CDF of 100k random N(0, 1) samples carried by
        // Euler on the closed-form field u (x ← x + u(t, x)·dt on linspace(0, 1, N + 1)), computed in
        // the Python re-run of the tutorial notebook (PyTorch 2.15 / NumPy on CPU, the notebook's
        // seeds): 0.195, 0.099, 0.050, 0.020, 0.0095 at N = 5, 10, 20, 50, 100 steps. Its output is
        // not kept in this repository; the numbers are written here. Quantile starts remove the
        // sampling noise, so ours are within a few per cent.
        for (steps, reference) in [
            (5, 0.195),
            (10, 0.099),
            (20, 0.050),
            (50, 0.020),
            (100, 0.0095),
        ] {
            let got = w1(Solver::Euler, steps);
            assert!(
                (got / reference - 1.0).abs() < 0.1,
                "Euler × {steps}: {got} vs {reference}"
            );
        }
        // Higher order pays: at 20 evaluations the midpoint and Heun beat Euler, RK4 beats both, and
        // by 100 evaluations RK4 is at the f32 / quantile-grid floor.
        assert!(w1(Solver::Midpoint, 20) < w1(Solver::Euler, 20) / 3.0);
        assert!(w1(Solver::Heun, 20) < w1(Solver::Euler, 20) / 3.0);
        assert!(w1(Solver::Rk4, 20) < w1(Solver::Heun, 20).min(w1(Solver::Midpoint, 20)));
        assert!(w1(Solver::Rk4, 100) < 1e-3, "{}", w1(Solver::Rk4, 100));
    }
}
