//! What the tests and the benchmark ask of the engine beyond training: the fused step checked
//! against burn's autodiff step in this browser, and device sampling on either path.

use burn::tensor::Device;
use flow_core::{Mixture, MlpWeights, Solver, TrainConfig};
use flow_train::equivalence::compare_paths;
use flow_train::{DeviceSampler, StepPath, VelocityMlp};
use js_sys::{Array, Float32Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::engine::{Engine, error, set};

#[wasm_bindgen]
impl Engine {
    /// Trains `settings` on the tutorial's target twice from the same seed on the same batches: with
    /// the fused kernels on this engine's GPU, and with burn's autodiff on `reference` ("cpu": burn's
    /// CPU backend; "webgpu": this GPU). Resolves to `[{ steps, relative, absolute, loss }]`, one per
    /// checkpoint (see flow_train::equivalence::Gap); rejects where the fused step cannot run.
    #[wasm_bindgen(js_name = comparePaths)]
    pub fn compare_paths(
        &self,
        settings: JsValue,
        checkpoints: Vec<u32>,
        reference: String,
    ) -> Promise {
        let device = self.device();
        future_to_promise(async move {
            let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(error)?;
            let reference_device = match reference.as_str() {
                "cpu" => Device::flex(),
                "webgpu" => device.clone(),
                other => return Err(error(format!("unknown reference \"{other}\""))),
            };
            let checkpoints: Vec<usize> = checkpoints.into_iter().map(|c| c as usize).collect();
            let gaps = compare_paths(
                config,
                &Mixture::tutorial_target(),
                (&device, StepPath::Fused),
                (&reference_device, StepPath::Generic),
                &checkpoints,
            )
            .await
            .map_err(error)?;
            let out = Array::new();
            for gap in gaps {
                let o = Object::new();
                set(&o, "steps", &(gap.steps as u32).into());
                set(&o, "relative", &gap.relative.into());
                set(&o, "absolute", &gap.absolute.into());
                set(&o, "loss", &gap.loss.into());
                out.push(&o);
            }
            Ok(out.into())
        })
    }

    /// Integrates `x0` through the network `weights` (flat, hidden width `hidden`) for `steps` steps
    /// of `solver` on this engine's device: with the fused sampler (`fused`, GPU only) or burn's
    /// generic operations. Resolves to the final positions.
    #[wasm_bindgen(js_name = sampleOnDevice)]
    pub fn sample_on_device(
        &self,
        hidden: usize,
        weights: Vec<f32>,
        x0: Vec<f32>,
        steps: usize,
        solver: String,
        fused: bool,
    ) -> Promise {
        let device = self.device();
        future_to_promise(async move {
            let weights = MlpWeights::from_flat(flow_core::MlpLayout::tutorial(hidden), &weights)
                .map_err(error)?;
            let solver = Solver::from_name(&solver)
                .ok_or_else(|| error(format!("unknown solver \"{solver}\"")))?;
            let positions = if fused {
                let client = flow_train::fused::gpu_client(&device)
                    .ok_or_else(|| error("the fused sampler needs WebGPU"))?;
                let mut sampler =
                    flow_train::fused::FusedSampler::new(client, &weights, solver, &x0, steps);
                sampler.advance(steps);
                sampler.positions().await
            } else {
                let model = VelocityMlp::from_weights(&weights, &device);
                let mut sampler = DeviceSampler::new(model, solver, &x0, steps, &device);
                sampler.advance(steps, false);
                sampler.positions().await
            }
            .map_err(error)?;
            Ok(Float32Array::from(positions.as_slice()).into())
        })
    }
}
