//! Sampling many noise points through the network snapshot, a few Euler steps at a time, so that a
//! worker can answer other messages (a cancellation, a more urgent job) between slices.

use crate::measures::histogram;
use crate::mlp_field::MlpField;
use crate::solvers::step_time;

/// Where a job counts the density of its paths: `bins` bins on [lo, hi] at every step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DensityGrid {
    pub lo: f64,
    pub hi: f64,
    pub bins: usize,
}

pub struct EulerSampler {
    field: MlpField,
    x0: Vec<f32>,
    x: Vec<f32>,
    velocity: Vec<f32>,
    steps: usize,
    done: usize,
    grid: Option<DensityGrid>,
    /// One row of `bins` counts per state so far (the start included).
    counts: Vec<u32>,
}

impl EulerSampler {
    pub fn new(field: MlpField, x0: Vec<f32>, steps: usize, grid: Option<DensityGrid>) -> Self {
        let mut sampler = Self {
            field,
            x: x0.clone(),
            velocity: vec![0.0; x0.len()],
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
        let dt = 1.0 / self.steps as f32;
        for _ in 0..k {
            let t = step_time(self.done, self.steps) as f32;
            self.field.velocities(t, &self.x, &mut self.velocity);
            for (x, v) in self.x.iter_mut().zip(&self.velocity) {
                *x += v * dt;
            }
            self.done += 1;
            self.count_row();
        }
        k
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
    use crate::solvers::{Solver, integrate_paths};
    use crate::weights::MlpWeights;

    #[test]
    fn slices_add_up_to_the_whole_euler_path() {
        let flat: Vec<f32> = (0..MlpWeights::count(4))
            .map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5)
            .collect();
        let field = MlpField::new(MlpWeights::from_flat(4, &flat).unwrap());
        let x0 = vec![-1.0f32, 0.3, 2.2];
        let grid = DensityGrid {
            lo: -3.0,
            hi: 3.0,
            bins: 6,
        };
        let mut sampler = EulerSampler::new(field.clone(), x0.clone(), 10, Some(grid));
        assert_eq!(sampler.advance(3), 3);
        assert_eq!(sampler.advance(100), 7);
        assert!(sampler.is_finished());
        let wide: Vec<f64> = x0.iter().map(|&v| v.into()).collect();
        let rows = integrate_paths(&field, Solver::Euler, &wide, 10);
        for (got, want) in sampler.positions().iter().zip(&rows[10]) {
            assert!((*got as f64 - want).abs() < 1e-5, "{got} vs {want}");
        }
        // 11 rows (start and 10 steps), each counting all three paths while they stay in range.
        assert_eq!(sampler.density().len(), 11 * 6);
        assert_eq!(sampler.density()[..6].iter().sum::<u32>(), 3);
        assert_eq!(sampler.starts(), x0.as_slice());
    }
}
