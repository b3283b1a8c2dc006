//! burn's own training step, on any device and any network shape: autodiff, burn's Adam, then the weight average blended
//! tensor by tensor. The reference the fused GPU step is checked against, and its fallback.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};
use flow_core::paths::TrainingBatch;
use flow_core::{MlpLayout, MlpWeights};

use crate::adam::AdamConstants;
use crate::model::VelocityMlp;
use crate::reads::{NetworksRead, PendingLosses};

pub struct GenericStep {
    /// The autodiff device the network trains on.
    device: Device,
    layout: MlpLayout,
    model: Option<VelocityMlp>,
    /// The exponential moving average of the weights, on the plain (inference) device.
    averaged: VelocityMlp,
    optimizer: ModuleOptimizer,
    pending: Vec<Tensor<1>>,
}

impl GenericStep {
    /// Starts from `initial` on `device` (a plain device; training runs on its autodiff wrapper).
    pub fn new(initial: &MlpWeights, device: &Device, adam: AdamConstants) -> Self {
        let device = device.clone().autodiff();
        let model = VelocityMlp::from_weights(initial, &device);
        let optimizer = AdamConfig::new()
            .with_beta_1(adam.beta1)
            .with_beta_2(adam.beta2)
            .with_epsilon(adam.epsilon)
            .init();
        Self {
            device,
            layout: initial.layout(),
            averaged: model.valid(),
            model: Some(model),
            optimizer,
            pending: Vec::new(),
        }
    }

    /// One Adam step on `batch`, then the average keeps `keep` of itself.
    pub fn step(&mut self, batch: TrainingBatch, keep: f64, learning_rate: f64) {
        let (d_in, d_out) = (self.layout.inputs, self.layout.outputs);
        let n = batch.inputs.len() / d_in;
        let inputs = Tensor::<2>::from_data(TensorData::new(batch.inputs, [n, d_in]), &self.device);
        let targets =
            Tensor::<2>::from_data(TensorData::new(batch.targets, [n, d_out]), &self.device);
        let model = self.model.take().expect("the model is always put back");
        let loss = (model.forward(inputs) - targets).powf_scalar(2.0).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let model = self.optimizer.step(learning_rate, model, grads);
        self.averaged = self.averaged.blend(&model.valid(), keep);
        self.model = Some(model);
        self.pending.push(loss.inner());
    }

    pub fn take_pending_losses(&mut self) -> Option<PendingLosses> {
        (!self.pending.is_empty()).then(|| {
            PendingLosses::Tensor(Box::new(Tensor::cat(std::mem::take(&mut self.pending), 0)))
        })
    }

    pub fn networks(&self) -> NetworksRead {
        let latest = self.model.as_ref().expect("the model is always put back");
        NetworksRead::Models(Box::new([self.averaged.clone(), latest.valid()]))
    }
}
