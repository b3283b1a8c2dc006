//! Sampling many noise points through a field (the network snapshot, or the exact field), a few
//! solver steps at a time, so that a worker can answer other messages (a cancellation, a more urgent
//! job) between slices.

use crate::field::FieldF32;
use crate::measures::histogram;
use crate::solvers::{Solver, Stages, rk_step, step_time};

/// Where a job counts the density of its paths: `bins` bins on [lo, hi] at every step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DensityGrid {
    pub lo: f64,
    pub hi: f64,
    pub bins: usize,
}

pub struct Sampler<F> {
    field: F,
    solver: Solver,
    x0: Vec<f32>,
    x: Vec<f32>,
    stages: Stages<f32>,
    steps: usize,
    done: usize,
    grid: Option<DensityGrid>,
    /// One row of `bins` counts per state so far (the start included).
    counts: Vec<u32>,
}

impl<F: FieldF32> Sampler<F> {
    pub fn new(
        field: F,
        solver: Solver,
        x0: Vec<f32>,
        steps: usize,
        grid: Option<DensityGrid>,
    ) -> Self {
        let mut sampler = Self {
            field,
            solver,
            x: x0.clone(),
            stages: Stages::new(solver, x0.len()),
            x0,
            steps,
            done: 0,
            grid,
            counts: Vec::new(),
        };
        sampler.count_row();
        sampler
    }

    fn count_row(&mut self) {
        if let Some(g) = self.grid {
            let row: Vec<f64> = self.x.iter().map(|&v| v.into()).collect();
            self.counts.extend(histogram(&row, g.lo, g.hi, g.bins));
        }
    }

    /// Runs up to `k` more steps; returns how many ran.
    pub fn advance(&mut self, k: usize) -> usize {
        let k = k.min(self.steps - self.done);
        let dt = 1.0 / self.steps as f64;
        for _ in 0..k {
            let t = step_time(self.done, self.steps);
            let field = &self.field;
            let mut velocity =
                |t: f64, xs: &[f32], out: &mut [f32]| field.velocities(t as f32, xs, out);
            rk_step(
                self.solver,
                &mut velocity,
                t,
                dt,
                &mut self.x,
                &mut self.stages,
            );
            self.done += 1;
            self.count_row();
        }
        k
    }

    /// Field evaluations per point so far.
    pub fn evaluations(&self) -> usize {
        self.done * self.solver.evaluations()
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn steps_done(&self) -> usize {
        self.done
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.steps
    }

    pub fn starts(&self) -> &[f32] {
        &self.x0
    }

    pub fn positions(&self) -> &[f32] {
        &self.x
    }

    /// Path-density counts so far: `steps_done() + 1` rows of `bins`, empty without a grid.
    pub fn density(&self) -> &[u32] {
        &self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mlp_field::MlpField;
    use crate::solvers::integrate_paths;
    use crate::weights::MlpWeights;

    #[test]
    fn slices_add_up_to_the_whole_path_for_every_solver() {
        let net = crate::MlpLayout::tutorial(4);
        let flat: Vec<f32> = (0..net.parameter_count())
            .map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5)
            .collect();
        let field = MlpField::new(MlpWeights::from_flat(net, &flat).unwrap());
        let x0 = vec![-1.0f32, 0.3, 2.2];
        let grid = DensityGrid {
            lo: -3.0,
            hi: 3.0,
            bins: 6,
        };
        for solver in Solver::ALL {
            let mut sampler = Sampler::new(field.clone(), solver, x0.clone(), 10, Some(grid));
            assert_eq!(sampler.advance(3), 3);
            assert_eq!(sampler.advance(100), 7);
            assert!(sampler.is_finished());
            assert_eq!(sampler.evaluations(), 10 * solver.evaluations());
            let wide: Vec<f64> = x0.iter().map(|&v| v.into()).collect();
            let rows = integrate_paths(&field, solver, &wide, 10);
            for (got, want) in sampler.positions().iter().zip(&rows[10]) {
                assert!(
                    (*got as f64 - want).abs() < 1e-5,
                    "{solver:?}: {got} vs {want}"
                );
            }
        }
        let mut sampler = Sampler::new(field, Solver::Euler, x0.clone(), 10, Some(grid));
        sampler.advance(10);
        // 11 rows (start and 10 steps), each counting all three paths while they stay in range.
        assert_eq!(sampler.density().len(), 11 * 6);
        assert_eq!(sampler.density()[..6].iter().sum::<u32>(), 3);
        assert_eq!(sampler.starts(), x0.as_slice());
    }
}
