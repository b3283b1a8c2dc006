//! Reads from the device that own what they need, so that a caller (a page's engine, where other
//! events may touch the trainer meanwhile) holds nothing borrowed while the device answers.

use burn::tensor::Tensor;
use flow_core::MlpWeights;

#[cfg(feature = "gpu")]
use crate::fused::{RingLosses, WeightsRead};
use crate::model::{VelocityMlp, read_weights};
use crate::{DeviceError, read_f32};

/// The losses of the steps run since the last read, still on the device.
pub enum PendingLosses {
    /// Already on the host (the fused CPU step).
    Ready(Vec<f32>),
    Tensor(Box<Tensor<1>>),
    #[cfg(feature = "gpu")]
    Ring(RingLosses),
}

impl PendingLosses {
    pub async fn read(self) -> Result<Vec<f32>, DeviceError> {
        match self {
            PendingLosses::Ready(values) => Ok(values),
            PendingLosses::Tensor(t) => read_f32(*t).await,
            #[cfg(feature = "gpu")]
            PendingLosses::Ring(ring) => ring.read().await,
        }
    }
}

/// Both networks of a run, the weight average and the last Adam iterate, to be read.
pub enum NetworksRead {
    /// Already on the host (the fused CPU step).
    Ready(Box<[MlpWeights; 2]>),
    Models(Box<[VelocityMlp; 2]>),
    #[cfg(feature = "gpu")]
    Fused(Box<WeightsRead>),
}

impl NetworksRead {
    /// `[averaged, latest]`.
    pub async fn read(self) -> Result<[MlpWeights; 2], DeviceError> {
        match self {
            NetworksRead::Ready(weights) => Ok(*weights),
            NetworksRead::Models(models) => {
                let [averaged, latest] = *models;
                let mut both = read_weights(&[&averaged, &latest]).await?;
                let latest = both.pop().expect("two networks read");
                Ok([both.pop().expect("two networks read"), latest])
            }
            #[cfg(feature = "gpu")]
            NetworksRead::Fused(read) => read.read().await,
        }
    }
}
