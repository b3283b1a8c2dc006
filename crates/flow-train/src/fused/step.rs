//! The fused training step's device state: the parameters, Adam's moments and the weight average in
//! flat buffers, and the launches of one step (two dispatches, see [`super::kernels`]).

use burn::cubecl::client::Client;
use burn::cubecl::prelude::*;
use burn::cubecl::server::Handle;
use flow_core::{MlpLayout, MlpWeights};

use super::kernels::{
    AdamScalarsLaunch, adam_any, adam_update, backprop_any, backprop_samples, in_registers,
};
use super::read_floats;
use crate::DeviceError;
use flow_core::adam::AdamConstants;

/// Losses are kept on the device in a ring this long, read back in one transfer; a trainer never
/// queues more steps than this between two reads.
pub const LOSS_RING: usize = 1024;

/// Units per workgroup: a multiple of every GPU's SIMD width, within WebGPU's guaranteed 256.
const UNITS: u32 = 64;

pub struct FusedStep {
    client: Client,
    layout: MlpLayout,
    batch: usize,
    adam: AdamConstants,
    params: Handle,
    moment1: Handle,
    moment2: Handle,
    average: Handle,
    records: Handle,
    losses: Handle,
    /// For the record kernels (any shape but the tutorial's in registers): each parameter's two
    /// gradient factors, as record indices.
    factors: Option<Handle>,
    /// Adam's step count t (for its bias corrections).
    adam_steps: i32,
}

fn upload(client: &Client, values: &[f32]) -> Handle {
    client.create_from_slice(f32::as_bytes(values))
}

fn groups(units: usize) -> CubeCount {
    CubeCount::Static((units as u32).div_ceil(UNITS), 1, 1)
}

impl FusedStep {
    /// Starts from `initial` (the average starts there too) with zero moments.
    pub fn new(client: Client, initial: &MlpWeights, batch: usize, adam: AdamConstants) -> Self {
        let layout = initial.layout();
        assert!(
            crate::fused_gpu_takes(layout),
            "the fused GPU step does not take {layout:?}"
        );
        let flat = initial.to_flat();
        let factors = (!in_registers(layout)).then(|| {
            let table: Vec<u32> = (0..layout.parameter_count())
                .flat_map(|p| {
                    let (a, d) = layout.gradient_factors(p);
                    [a as u32, d as u32]
                })
                .collect();
            client.create_from_slice(u32::as_bytes(&table))
        });
        let zeros = vec![0.0f32; flat.len()];
        Self {
            layout,
            batch,
            adam,
            params: upload(&client, &flat),
            moment1: upload(&client, &zeros),
            moment2: upload(&client, &zeros),
            average: upload(&client, &flat),
            records: client.empty(batch * layout.record().length() * size_of::<f32>()),
            losses: upload(&client, &[0.0; LOSS_RING]),
            factors,
            adam_steps: 0,
            client,
        }
    }

    /// The network's shape.
    pub fn layout(&self) -> MlpLayout {
        self.layout
    }

    /// Queues one step per batch in `rows` (batches of `batch` rows of (t, x, target), back to
    /// back), with the weight average keeping `keeps[i]` after step i. Step i's mean loss goes to
    /// ring slot `(first_slot + i) % LOSS_RING`. Nothing is read back.
    pub fn queue(&mut self, rows: &[f32], keeps: &[f64], first_slot: usize) {
        let n = self.batch;
        let layout = self.layout;
        let row_len = layout.inputs + layout.outputs;
        assert_eq!(
            rows.len(),
            keeps.len() * n * row_len,
            "one batch of rows per step"
        );
        let count = layout.parameter_count();
        let rows = upload(&self.client, rows);
        let record_floats = n * layout.record().length();
        for (i, &keep) in keeps.iter().enumerate() {
            self.adam_steps += 1;
            let t = self.adam_steps;
            // As burn's Adam computes them, in f32.
            let correction2 = (1.0 - self.adam.beta2.powi(t)).sqrt();
            let scalars = AdamScalarsLaunch::new(
                self.adam.learning_rate as f32,
                self.adam.beta1,
                self.adam.beta2,
                correction2 / (1.0 - self.adam.beta1.powi(t)),
                self.adam.epsilon * correction2,
                keep as f32,
            );
            // SAFETY: every length below is the length the buffer was created with.
            unsafe {
                let params = || BufferArg::from_raw_parts(self.params.clone(), count);
                let rows = BufferArg::from_raw_parts(rows.clone(), keeps.len() * n * row_len);
                let records = || BufferArg::from_raw_parts(self.records.clone(), record_floats);
                // The mean squared error over n·D numbers, as burn's `mean()` takes it.
                let dloss_scale = 2.0 / (n * layout.outputs) as f32;
                match &self.factors {
                    None => backprop_samples::launch(
                        &self.client,
                        groups(n),
                        CubeDim::new_1d(UNITS),
                        params(),
                        rows,
                        records(),
                        i * n,
                        n,
                        dloss_scale,
                        layout,
                    ),
                    Some(_) => backprop_any::launch(
                        &self.client,
                        groups(n),
                        CubeDim::new_1d(UNITS),
                        params(),
                        rows,
                        records(),
                        i * n,
                        n,
                        dloss_scale,
                        layout,
                    ),
                }
                let moment1 = BufferArg::from_raw_parts(self.moment1.clone(), count);
                let moment2 = BufferArg::from_raw_parts(self.moment2.clone(), count);
                let average = BufferArg::from_raw_parts(self.average.clone(), count);
                let losses = BufferArg::from_raw_parts(self.losses.clone(), LOSS_RING);
                let slot = (first_slot + i) % LOSS_RING;
                match &self.factors {
                    None => adam_update::launch(
                        &self.client,
                        groups(count + 1),
                        CubeDim::new_1d(UNITS),
                        params(),
                        moment1,
                        moment2,
                        average,
                        records(),
                        losses,
                        n,
                        slot,
                        scalars,
                        layout,
                    ),
                    Some(factors) => adam_any::launch(
                        &self.client,
                        groups(count + 1),
                        CubeDim::new_1d(UNITS),
                        params(),
                        moment1,
                        moment2,
                        average,
                        records(),
                        BufferArg::from_raw_parts(factors.clone(), 2 * count),
                        losses,
                        n,
                        slot,
                        scalars,
                        layout,
                    ),
                }
            }
        }
    }

    /// The losses of `count` queued steps from ring slot `first`, to read.
    pub fn losses(&self, first: usize, count: usize) -> super::RingLosses {
        super::RingLosses {
            client: self.client.clone(),
            ring: self.losses.clone(),
            first,
            count,
        }
    }

    /// The ring of losses, for [`super::PendingLosses`].
    pub fn loss_ring(&self) -> (Client, Handle) {
        (self.client.clone(), self.losses.clone())
    }

    /// What [`WeightsRead`] needs to read the average and the last iterate later.
    pub fn weights_read(&self) -> WeightsRead {
        WeightsRead {
            client: self.client.clone(),
            layout: self.layout,
            handles: [self.average.clone(), self.params.clone()],
        }
    }
}

/// A pending read of the fused step's two networks (the average, then the last iterate), owning
/// what it needs so that the trainer is free while the device answers.
pub struct WeightsRead {
    client: Client,
    layout: MlpLayout,
    handles: [Handle; 2],
}

impl WeightsRead {
    pub async fn read(self) -> Result<[MlpWeights; 2], DeviceError> {
        let [average, latest] = self.handles;
        let mut flat = read_floats(&self.client, vec![average, latest]).await?;
        let latest = flat.pop().expect("two buffers read");
        let average = flat.pop().expect("two buffers read");
        Ok([
            MlpWeights::split(self.layout, average),
            MlpWeights::split(self.layout, latest),
        ])
    }
}
