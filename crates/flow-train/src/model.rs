//! The velocity network FM_θ(t, x): input [t, x], two hidden GELU layers, one output.

use burn::module::{Module, Param};
use burn::nn::{Gelu, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use rand::{Rng, RngExt};

use flow_core::MlpWeights;

use crate::DeviceError;

#[derive(Module, Debug)]
pub struct VelocityMlp {
    input: Linear,
    hidden: Linear,
    output: Linear,
    activation: Gelu,
}

/// The network's starting weights, initialised as PyTorch initialises a linear layer (weights and
/// biases uniform in ±1/√fan_in), from our own seeded generator so that a seed gives the same
/// network on every backend and on both training paths.
pub fn initial_weights<R: Rng + ?Sized>(rng: &mut R, hidden: usize) -> MlpWeights {
    let layout = MlpWeights::layout_for(hidden);
    // In flat order, which is the draw order: each layer's weight, then its bias.
    let mut flat = Vec::with_capacity(layout.parameter_count());
    for layer in 0..layout.layers() {
        let bound = 1.0 / (layout.fan_in(layer) as f32).sqrt();
        let n = layout.weight(layer).len + layout.bias(layer).len;
        flat.extend((0..n).map(|_| rng.random_range(-bound..bound)));
    }
    MlpWeights::split(hidden, &flat)
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
    pub fn new<R: Rng + ?Sized>(rng: &mut R, hidden: usize, device: &Device) -> Self {
        Self::from_weights(&initial_weights(rng, hidden), device)
    }

    pub fn from_weights(w: &MlpWeights, device: &Device) -> Self {
        let net = w.layout();
        let layer = |l: usize, weight: &[f32], bias: &[f32]| {
            linear(weight, bias, net.fan_in(l), net.fan_out(l), device)
        };
        Self {
            input: layer(0, &w.w1, &w.b1),
            hidden: layer(1, &w.w2, &w.b2),
            output: layer(2, &w.w3, &w.b3),
            activation: Gelu::new(),
        }
    }

    /// `inputs`: `[n, 2]` rows of (t, x); returns `[n, 1]` velocities.
    pub fn forward(&self, inputs: Tensor<2>) -> Tensor<2> {
        let h = self.activation.forward(self.input.forward(inputs));
        let h = self.activation.forward(self.hidden.forward(h));
        self.output.forward(h)
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
            input: mix(&self.input, &latest.input),
            hidden: mix(&self.hidden, &latest.hidden),
            output: mix(&self.output, &latest.output),
            activation: Gelu::new(),
        }
    }

    pub fn hidden_width(&self) -> usize {
        self.input.weight.val().dims()[1]
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
        for layer in [&model.input, &model.hidden, &model.output] {
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
            let flat: Vec<f32> = v.by_ref().take(6).flatten().collect();
            MlpWeights::split(model.hidden_width(), &flat)
        })
        .collect())
}

fn bias(layer: &Linear) -> Tensor<1> {
    layer.bias.as_ref().expect("every layer has a bias").val()
}
