//! The velocity network FM_θ(t, x) in burn, for any [`MlpLayout`]: linear layers with GELU
//! between them, input [t, x], output the velocity.

use burn::module::{Module, Param};
use burn::nn::{Gelu, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use flow_core::{MlpLayout, MlpWeights};

use crate::DeviceError;

#[derive(Module, Debug)]
pub struct VelocityMlp {
    /// Linear layers in order: `depth` hidden ones (each followed by GELU), then the output one.
    layers: Vec<Linear>,
    activation: Gelu,
}

fn linear(weight: &[f32], bias: &[f32], d_in: usize, d_out: usize, device: &Device) -> Linear {
    let weight = Tensor::<2>::from_data(TensorData::new(weight.to_vec(), [d_in, d_out]), device);
    let bias = Tensor::<1>::from_data(TensorData::new(bias.to_vec(), [d_out]), device);
    Linear {
        weight: Param::from_tensor(weight),
        bias: Some(Param::from_tensor(bias)),
    }
}

impl VelocityMlp {
    pub fn from_weights(w: &MlpWeights, device: &Device) -> Self {
        let net = w.layout();
        let layers = (0..net.layers())
            .map(|l| {
                linear(
                    w.weight(l),
                    w.bias(l),
                    net.fan_in(l),
                    net.fan_out(l),
                    device,
                )
            })
            .collect();
        Self {
            layers,
            activation: Gelu::new(),
        }
    }

    /// `inputs`: `[n, 1 + D]` rows of (t, x); returns `[n, D]` velocities.
    pub fn forward(&self, inputs: Tensor<2>) -> Tensor<2> {
        let (last, hidden) = self.layers.split_last().expect("at least two layers");
        let h = hidden
            .iter()
            .fold(inputs, |h, layer| self.activation.forward(layer.forward(h)));
        last.forward(h)
    }

    /// `keep`·self + (1 − `keep`)·`latest`, parameter by parameter: one step of a weight average.
    pub fn blend(&self, latest: &VelocityMlp, keep: f64) -> VelocityMlp {
        let mix = |a: &Linear, b: &Linear| Linear {
            weight: Param::from_tensor(
                a.weight.val().mul_scalar(keep) + b.weight.val().mul_scalar(1.0 - keep),
            ),
            bias: Some(Param::from_tensor(
                bias(a).mul_scalar(keep) + bias(b).mul_scalar(1.0 - keep),
            )),
        };
        VelocityMlp {
            layers: self
                .layers
                .iter()
                .zip(&latest.layers)
                .map(|(a, b)| mix(a, b))
                .collect(),
            activation: Gelu::new(),
        }
    }

    /// The network's shape, read from its layers' sizes.
    pub fn layout(&self) -> MlpLayout {
        let dims = |l: &Linear| l.weight.val().dims();
        let first = dims(&self.layers[0]);
        let last = dims(self.layers.last().expect("at least two layers"));
        MlpLayout {
            inputs: first[0],
            hidden: first[1],
            depth: self.layers.len() - 1,
            outputs: last[1],
        }
    }

    /// Reads the parameters back to the host in one transaction (the only way to read on the web).
    pub async fn weights(&self) -> Result<MlpWeights, DeviceError> {
        let mut both = read_weights(&[self]).await?;
        Ok(both.remove(0))
    }
}

/// The parameters of several networks, read back in one transaction (one round trip to a GPU).
pub async fn read_weights(models: &[&VelocityMlp]) -> Result<Vec<MlpWeights>, DeviceError> {
    let mut transaction = burn::tensor::Transaction::default();
    for model in models {
        for layer in &model.layers {
            transaction = transaction
                .register(layer.weight.val())
                .register(bias(layer));
        }
    }
    let data = transaction
        .execute_async()
        .await
        .map_err(DeviceError::from_display)?;
    let mut v = data
        .into_iter()
        .map(|d| d.try_to_vec::<f32>().expect("parameters are f32"));
    Ok(models
        .iter()
        .map(|model| {
            // Weight then bias of each layer: the flat order, checked against the layout.
            let flat: Vec<f32> = v.by_ref().take(2 * model.layers.len()).flatten().collect();
            MlpWeights::split(model.layout(), flat)
        })
        .collect())
}

fn bias(layer: &Linear) -> Tensor<1> {
    layer.bias.as_ref().expect("every layer has a bias").val()
}
