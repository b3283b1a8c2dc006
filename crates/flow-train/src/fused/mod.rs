//! The fused GPU path: a whole training step in two dispatches and a sampler in one, as CubeCL
//! kernels on burn's wgpu runtime (WebGPU in the browser, any wgpu adapter natively).
//!
//! burn's generic path stays the reference (the equivalence tests compare the two step by step)
//! and the fallback for what the kernels do not cover: networks over
//! [`crate::MAX_RECORD_PARAMETERS`] parameters. (On the CPU the fused step is flow-core's.)

mod kernels;
mod sampler;
mod step;

use burn::cubecl::client::Client;
use burn::cubecl::prelude::*;
use burn::cubecl::server::Handle;
use burn::tensor::Device;

pub use sampler::{FusedSampler, steps_per_dispatch};
pub use step::{FusedStep, LOSS_RING, WeightsRead};

use crate::DeviceError;

/// The compute client behind `device` if it is a GPU device of burn's wgpu runtime (the fused
/// kernels' only runtime), with or without autodiff; `None` for the CPU.
pub fn gpu_client(device: &Device) -> Option<Client> {
    let plain = device.clone().inner();
    match plain.as_dispatch() {
        burn::backend::DispatchDevice::Cube(cube @ burn::cubecl::Device::Wgpu(_)) => {
            Some(cube.client())
        }
        _ => None,
    }
}

/// Reads whole f32 buffers back in one transfer.
async fn read_floats(client: &Client, handles: Vec<Handle>) -> Result<Vec<Vec<f32>>, DeviceError> {
    let bytes = client
        .read_async(handles)
        .await
        .map_err(DeviceError::from_display)?;
    Ok(bytes.iter().map(|b| f32::from_bytes(b).to_vec()).collect())
}

/// Losses queued on the device's ring since the last read: `count` of them from slot `first`.
pub struct RingLosses {
    pub(crate) client: Client,
    pub(crate) ring: Handle,
    pub(crate) first: usize,
    pub(crate) count: usize,
}

impl RingLosses {
    pub async fn read(self) -> Result<Vec<f32>, DeviceError> {
        let ring = read_floats(&self.client, vec![self.ring]).await?.remove(0);
        Ok((0..self.count)
            .map(|i| ring[(self.first + i) % LOSS_RING])
            .collect())
    }
}
