//! Integration of the network on its own device through burn's generic operations, with any of the
//! solvers (their Butcher tableaux come from flow-core, so device and CPU step the same way).
//!
//! The figures sample on `flow_core`'s CPU field instead; this is the reference it is measured and
//! checked against (the benchmark's "native burn" sampling time, the device/snapshot agreement test),
//! and the starting point for a GPU sampler. The state stays on the device between steps.

use burn::tensor::{Device, Tensor, TensorData};
use flow_core::Solver;

use crate::model::VelocityMlp;
use crate::{DeviceError, read_f32};

pub struct DeviceSampler {
    model: VelocityMlp,
    device: Device,
    solver: Solver,
    x: Tensor<2>,
    steps: usize,
    done: usize,
    recorded: Vec<Tensor<2>>,
}

impl DeviceSampler {
    /// `model` must live on `device` (a plain, inference device).
    pub fn new(
        model: VelocityMlp,
        solver: Solver,
        x0: &[f32],
        steps: usize,
        device: &Device,
    ) -> Self {
        let x = Tensor::<2>::from_data(TensorData::new(x0.to_vec(), [x0.len(), 1]), device);
        Self {
            model,
            device: device.clone(),
            solver,
            x,
            steps,
            done: 0,
            recorded: Vec::new(),
        }
    }

    pub fn steps_done(&self) -> usize {
        self.done
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.steps
    }

    fn velocity(&self, t: f64, x: Tensor<2>) -> Tensor<2> {
        let n = x.dims()[0];
        let t = Tensor::<2>::full([n, 1], t as f32, &self.device);
        self.model.forward(Tensor::cat(vec![t, x], 1))
    }

    /// Queues up to `k` solver steps on the device; with `record`, keeps each new state for
    /// [`Self::read_recorded`]. Returns how many steps were queued.
    pub fn advance(&mut self, k: usize, record: bool) -> usize {
        let k = k.min(self.steps - self.done);
        let n = self.x.dims()[0];
        let dt = 1.0 / self.steps as f64;
        let tableau = self.solver.tableau();
        for _ in 0..k {
            let t = self.done as f64 * dt;
            let mut slopes: Vec<Tensor<2>> = Vec::with_capacity(tableau.b.len());
            for (s, &c) in tableau.c.iter().enumerate() {
                let mut probe = self.x.clone();
                for (slope, &a) in slopes.iter().zip(tableau.a[s]) {
                    if a != 0.0 {
                        probe = probe + slope.clone() * (a * dt);
                    }
                }
                slopes.push(self.velocity(t + c * dt, probe));
            }
            for (slope, &b) in slopes.into_iter().zip(tableau.b) {
                if b != 0.0 {
                    self.x = self.x.clone() + slope * (b * dt);
                }
            }
            self.done += 1;
            if record {
                self.recorded.push(self.x.clone().reshape([1, n]));
            }
        }
        k
    }

    /// The current positions of all samples, as a device tensor `[n, 1]` (read it with [`read_f32`]).
    pub fn current(&self) -> Tensor<2> {
        self.x.clone()
    }

    /// The states recorded since the last call, stacked `[steps, n]`, or `None` if there are none.
    pub fn take_recorded(&mut self) -> Option<Tensor<2>> {
        (!self.recorded.is_empty()).then(|| Tensor::cat(std::mem::take(&mut self.recorded), 0))
    }

    /// The current positions, read from the device.
    pub async fn positions(&self) -> Result<Vec<f32>, DeviceError> {
        read_f32(self.current()).await
    }

    /// The states recorded since the last read, one row of all samples per step, in one transfer.
    pub async fn read_recorded(&mut self) -> Result<Vec<Vec<f32>>, DeviceError> {
        let Some(stacked) = self.take_recorded() else {
            return Ok(vec![]);
        };
        let n = stacked.dims()[1];
        let flat = read_f32(stacked).await?;
        Ok(flat.chunks(n).map(<[f32]>::to_vec).collect())
    }
}
