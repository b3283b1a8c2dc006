//! The fused sampler: every sample integrated through `k` solver steps in one dispatch.

use burn::cubecl::client::Client;
use burn::cubecl::prelude::*;
use burn::cubecl::server::Handle;
use flow_core::{MlpWeights, Solver};

use super::kernels::integrate;
use super::read_floats;
use crate::DeviceError;

const UNITS: u32 = 64;

/// At most this many solver steps go into one dispatch, so that no single dispatch of a large batch
/// runs long enough for a browser or driver to call the GPU hung.
pub const STEPS_PER_DISPATCH: usize = 10;

pub struct FusedSampler {
    client: Client,
    hidden: usize,
    solver: Solver,
    params: Handle,
    xs: Handle,
    n: usize,
    steps: usize,
    done: usize,
}

impl FusedSampler {
    pub fn new(client: Client, weights: &MlpWeights, solver: Solver, x0: &[f32], steps: usize) -> Self {
        Self {
            hidden: weights.hidden,
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

    /// Queues up to `k` more solver steps, `STEPS_PER_DISPATCH` per dispatch; returns how many.
    pub fn advance(&mut self, k: usize) -> usize {
        let k = k.min(self.steps - self.done);
        let dt = 1.0 / self.steps as f64;
        let solver = match self.solver {
            Solver::Euler => 0,
            Solver::Midpoint => 1,
            Solver::Heun => 2,
            Solver::Rk4 => 3,
        };
        let mut queued = 0;
        while queued < k {
            let chunk = (k - queued).min(STEPS_PER_DISPATCH);
            let t0 = (self.done + queued) as f64 * dt;
            // SAFETY: the lengths are those the buffers were created with.
            unsafe {
                integrate::launch(
                    &self.client,
                    CubeCount::Static((self.n as u32).div_ceil(UNITS), 1, 1),
                    CubeDim::new_1d(UNITS),
                    BufferArg::from_raw_parts(self.params.clone(), MlpWeights::count(self.hidden)),
                    BufferArg::from_raw_parts(self.xs.clone(), self.n),
                    self.n,
                    t0 as f32,
                    dt as f32,
                    chunk as u32,
                    self.hidden,
                    solver,
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
