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
    let mut uniform = |n: usize, fan_in: usize| -> Vec<f32> {
        let bound = 1.0 / (fan_in as f32).sqrt();
        (0..n).map(|_| rng.random_range(-bound..bound)).collect()
    };
    // In this order: each layer's weight, then its bias.
    let w1 = uniform(2 * hidden, 2);
    let b1 = uniform(hidden, 2);
    let w2 = uniform(hidden * hidden, hidden);
    let b2 = uniform(hidden, hidden);
    let w3 = uniform(hidden, hidden);
    let b3 = uniform(1, hidden);
    MlpWeights {
        hidden,
        w1,
        b1,
        w2,
        b2,
        w3,
        b3,
    }
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
        let h = w.hidden;
        Self {
            input: linear(&w.w1, &w.b1, 2, h, device),
            hidden: linear(&w.w2, &w.b2, h, h, device),
            output: linear(&w.w3, &w.b3, h, 1, device),
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
    let mut next = || v.next().expect("six parameter tensors per network");
    Ok(models
        .iter()
        .map(|model| MlpWeights {
            hidden: model.hidden_width(),
            w1: next(),
            b1: next(),
            w2: next(),
            b2: next(),
            w3: next(),
            b3: next(),
        })
        .collect())
}

fn bias(layer: &Linear) -> Tensor<1> {
    layer.bias.as_ref().expect("every layer has a bias").val()
}
