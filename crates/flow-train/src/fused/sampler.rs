//! The fused sampler: every sample integrated through `k` solver steps in one dispatch.

use burn::cubecl::client::Client;
use burn::cubecl::prelude::*;
use burn::cubecl::server::Handle;
use flow_core::{MlpLayout, MlpWeights, Solver};

use super::kernels::{check_layout, integrate};
use super::read_floats;
use crate::DeviceError;

const UNITS: u32 = 64;

/// Loop iterations one unit may run in one dispatch. Mesa's software Vulkan (lavapipe, where the
/// native tests run without a GPU) stops an invocation's loops after 65,535 iterations in all:
/// measured here as a midpoint dispatch whose samples froze halfway through its eighth step. It
/// also keeps each dispatch of a large batch short enough that no browser calls the GPU hung.
const LOOP_BUDGET: usize = 60_000;

/// How many solver steps go into one dispatch: as many as the loop budget allows, at least one.
pub fn steps_per_dispatch(hidden: usize, solver: Solver) -> usize {
    let per_evaluation = hidden * hidden + 2 * hidden;
    (LOOP_BUDGET / (per_evaluation * solver.evaluations())).max(1)
}

pub struct FusedSampler {
    client: Client,
    layout: MlpLayout,
    solver: Solver,
    params: Handle,
    xs: Handle,
    n: usize,
    steps: usize,
    done: usize,
}

impl FusedSampler {
    pub fn new(
        client: Client,
        weights: &MlpWeights,
        solver: Solver,
        x0: &[f32],
        steps: usize,
    ) -> Self {
        Self {
            layout: check_layout(weights.layout()),
            solver,
            params: client.create_from_slice(f32::as_bytes(&weights.to_flat())),
            xs: client.create_from_slice(f32::as_bytes(x0)),
            n: x0.len(),
            steps,
            done: 0,
            client,
        }
    }

    pub fn steps_done(&self) -> usize {
        self.done
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.steps
    }

    /// Queues up to `k` more solver steps, [`steps_per_dispatch`] per dispatch; returns how many.
    pub fn advance(&mut self, k: usize) -> usize {
        let k = k.min(self.steps - self.done);
        let dt = 1.0 / self.steps as f64;
        let stages = self.solver.evaluations();
        let tableau = self.solver.tableau();
        assert!(
            (0..stages).all(|s| tableau.a[s]
                .iter()
                .take(s.saturating_sub(1))
                .all(|&a| a == 0.0)),
            "the fused sampler steps only tableaux whose stages each use the previous slope"
        );
        let coefficients: Vec<f32> = (tableau.c.iter().copied())
            .chain((0..stages).map(|s| if s == 0 { 0.0 } else { tableau.a[s][s - 1] }))
            .chain(tableau.b.iter().copied())
            .map(|v| v as f32)
            .collect();
        let coefficients = self.client.create_from_slice(f32::as_bytes(&coefficients));
        let mut queued = 0;
        while queued < k {
            let chunk = (k - queued).min(steps_per_dispatch(self.layout.hidden, self.solver));
            let t0 = (self.done + queued) as f64 * dt;
            // SAFETY: the lengths are those the buffers were created with.
            unsafe {
                integrate::launch(
                    &self.client,
                    CubeCount::Static((self.n as u32).div_ceil(UNITS), 1, 1),
                    CubeDim::new_1d(UNITS),
                    BufferArg::from_raw_parts(self.params.clone(), self.layout.parameter_count()),
                    BufferArg::from_raw_parts(self.xs.clone(), self.n),
                    BufferArg::from_raw_parts(coefficients.clone(), 3 * stages),
                    self.n,
                    t0 as f32,
                    dt as f32,
                    chunk as u32,
                    stages,
                    self.layout,
                );
            }
            queued += chunk;
        }
        self.done += k;
        k
    }

    /// The current positions of all samples.
    pub async fn positions(&self) -> Result<Vec<f32>, DeviceError> {
        let mut read = read_floats(&self.client, vec![self.xs.clone()]).await?;
        Ok(read.remove(0))
    }
}
