//! The worker's one long-lived handle: the compute device and the training run.
//!
//! Async methods return promises and never hold the state borrowed across an `await`: they take what
//! they need, release the state, await the device, then check that the run they read for is still
//! the current one (a new run may have started meanwhile) before storing anything.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use flow_core::config::StepKind;
use flow_core::plane::text::parse_plane_target;
use flow_core::reflow::{REFLOW_STEPS, reflow_data};
use flow_core::target_text::parse_target;
use flow_core::{MlpField, MlpLayout, TrainConfig};
use flow_train::{StepPath, Trainer, TrainingData};
use js_sys::{Float32Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct State {
    device: Device,
    /// The page's number for the current run, so that a result read for an earlier run is
    /// recognised and dropped.
    run: u32,
    trainer: Option<Trainer>,
    /// The step path every run must take, or `None` for the best the device offers.
    path: Option<StepPath>,
}

#[wasm_bindgen]
pub struct Engine {
    state: Rc<RefCell<State>>,
    backend: &'static str,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

pub(crate) fn error(e: impl std::fmt::Display) -> JsValue {
    js_error(e).into()
}

pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
    Reflect::set(obj, &JsValue::from_str(key), value).expect("setting a field on a fresh object");
}

/// A snapshot's shape, as the CPU engine reports it too: width, hidden layers, dimension.
fn set_layout(obj: &Object, layout: MlpLayout) {
    set(obj, "hidden", &(layout.hidden as u32).into());
    set(obj, "depth", &(layout.depth as u32).into());
    set(obj, "dimension", &(layout.outputs as u32).into());
}

impl State {
    /// A new run on this device and step path (not yet the current one).
    fn start(&self, config: TrainConfig, data: TrainingData) -> Result<Trainer, JsError> {
        Trainer::start(config, data, &self.device, self.path).map_err(js_error)
    }

    /// Makes `trainer` the current run, number `run`.
    fn replace(&mut self, run: u32, trainer: Trainer) {
        self.run = run;
        self.trainer = Some(trainer);
    }
}

/// The step path a step kind asks for: `None` for "auto" (the best the device offers).
fn step_path(kind: StepKind) -> Option<StepPath> {
    match kind {
        StepKind::Auto => None,
        StepKind::Fused => Some(StepPath::Fused),
        StepKind::Generic => Some(StepPath::Generic),
    }
}

impl Engine {
    /// Makes run `run` on `data` (or the reason there is none) the current one, if the settings
    /// are valid: what `startTraining` and `startPlane` share.
    fn start_on(
        &self,
        run: u32,
        settings: JsValue,
        data: Result<TrainingData, impl std::fmt::Display>,
    ) -> Result<(), JsError> {
        let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(js_error)?;
        let trainer = self.state.borrow().start(config, data.map_err(js_error)?)?;
        self.state.borrow_mut().replace(run, trainer);
        Ok(())
    }

    #[cfg(target_arch = "wasm32")]
    pub(crate) fn device(&self) -> Device {
        self.state.borrow().device.clone()
    }

    fn new(device: Device, backend: &'static str) -> Self {
        Self {
            state: Rc::new(RefCell::new(State {
                device,
                run: 0,
                trainer: None,
                path: None,
            })),
            backend,
        }
    }
}

#[wasm_bindgen]
impl Engine {
    /// Burn's portable CPU backend: always available.
    #[wasm_bindgen(js_name = onCpu)]
    pub fn on_cpu() -> Engine {
        Self::new(Device::flex(), "cpu")
    }

    /// Burn's wgpu backend on the browser's WebGPU. The caller must first check that
    /// `navigator.gpu.requestAdapter()` yields an adapter: burn panics rather than failing without one.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen(js_name = onWebGpu)]
    pub async fn on_webgpu() -> Result<Engine, JsError> {
        let device = Device::wgpu_options()
            .init_async()
            .await
            .map_err(js_error)?;
        Ok(Self::new(device, "webgpu"))
    }

    /// Panics, on purpose: the tests use it to check that the page survives a broken engine.
    #[wasm_bindgen(js_name = forcePanic)]
    pub fn force_panic(&self) {
        panic!("a panic forced by a test");
    }

    /// "cpu" or "webgpu".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.into()
    }

    /// How the current run computes a step: "fused" (the CubeCL kernels, on WebGPU), "generic"
    /// (burn's autodiff) or "" before the first run.
    #[wasm_bindgen(getter)]
    pub fn path(&self) -> String {
        let s = self.state.borrow();
        s.trainer.as_ref().map_or("", |t| t.path().name()).into()
    }

    /// Makes every later run take the step path `path` ("fused" or "generic"), or the best one
    /// the device offers ("auto"): one of the page table's `stepKinds`. An unknown name throws.
    #[wasm_bindgen(js_name = setPath)]
    pub fn set_path(&self, path: &str) -> Result<(), JsError> {
        let kind = StepKind::from_name(path).ok_or_else(|| {
            JsError::new(&format!(
                "path: \"{path}\" is not one of {}",
                StepKind::names()
            ))
        })?;
        self.state.borrow_mut().path = step_path(kind);
        Ok(())
    }

    /// A second engine on the same device and step path, for a second run beside this one's (the
    /// page trains one network per chapter; the worker steps only the one on screen).
    pub fn sibling(&self) -> Engine {
        let s = self.state.borrow();
        let engine = Self::new(s.device.clone(), self.backend);
        engine.state.borrow_mut().path = s.path;
        engine
    }

    /// Starts run number `run` in the plane on the plane target named by its link text (a preset's
    /// name or bumps): a [t, x, y] → 2 network of the settings' width. Throws like `startTraining`.
    #[wasm_bindgen(js_name = startPlane)]
    pub fn start_plane(
        &self,
        run: u32,
        settings: JsValue,
        target_text: &str,
    ) -> Result<(), JsError> {
        let data = parse_plane_target(target_text).map(TrainingData::Plane);
        self.start_on(run, settings, data)
    }

    /// Starts run number `run` (new network, new optimizer; the page numbers its runs) on the target
    /// named by its link text ("" for the tutorial's). Invalid settings or target throw
    /// "field: message" and leave the current run untouched.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(
        &self,
        run: u32,
        settings: JsValue,
        target_text: &str,
    ) -> Result<(), JsError> {
        let data = parse_target(target_text).map(TrainingData::Target);
        self.start_on(run, settings, data)
    }

    /// Starts run number `run` as a reflow round: a fresh network trained on pairs (x₀, ODE(x₀))
    /// that the current run's network makes. The current run must have finished; its weight average
    /// or its last iterate (by `settings.average`) carries noise drawn from `seed` through RK4 steps
    /// (flow-core's `reflow_data`: on the line or in the plane, as that network is), and the round trains for
    /// `settings.steps` steps, at most `REFLOW_STEPS` (the page table's `reflow`). Resolves to
    /// `{ run, steps }` (the steps it will train) once the round is the current run, or
    /// `{ stale: true }` when another run started while the weights were read; rejects (leaving the
    /// current run untouched) on invalid settings, an unfinished run, or a device error.
    #[wasm_bindgen(js_name = startReflow)]
    pub fn start_reflow(&self, run: u32, settings: JsValue, seed: u32) -> Promise {
        let state = self.state.clone();
        let config = serde_wasm_bindgen::from_value::<TrainConfig>(settings);
        future_to_promise(async move {
            let mut config = config.map_err(error)?;
            config.steps = config.steps.min(REFLOW_STEPS);
            config.validate().map_err(error)?;
            let (source, networks) = {
                let s = state.borrow();
                let trainer = s
                    .trainer
                    .as_ref()
                    .ok_or_else(|| error("reflow: there is no run to draw the pairs from"))?;
                if trainer.losses().len() != trainer.config().steps {
                    return Err(error(
                        "reflow: the run the pairs come from has not finished",
                    ));
                }
                (s.run, trainer.networks())
            };
            let [averaged, latest] = networks.read().await.map_err(error)?;
            let out = Object::new();
            if state.borrow().run != source {
                set(&out, "stale", &JsValue::TRUE);
                return Ok(out.into());
            }
            let field = MlpField::new(if config.average { averaged } else { latest });
            let data = reflow_data(&field, seed.into());
            let trainer = state.borrow().start(config, data).map_err(JsValue::from)?;
            state.borrow_mut().replace(run, trainer);
            set(&out, "run", &run.into());
            set(&out, "steps", &(config.steps as u32).into());
            Ok(out.into())
        })
    }

    /// Makes the current run take its minibatch-OT pairs from outside, from its next batch (the
    /// engine worker's pairing worker computes them ahead with the math module's
    /// `PlanePairStream`); returns whether the run has such pairs (an OT run in the plane).
    #[wasm_bindgen(js_name = pairsFromOutside)]
    pub fn pairs_from_outside(&self) -> bool {
        self.state
            .borrow_mut()
            .trainer
            .as_mut()
            .is_some_and(|t| t.batches_mut().take_pairs_from_outside())
    }

    /// One batch of pairs from the pairing worker: 4 × batch numbers, x₀ then x₁.
    #[wasm_bindgen(js_name = feedPairs)]
    pub fn feed_pairs(&self, numbers: &[f64]) -> Result<(), JsError> {
        let mut state = self.state.borrow_mut();
        let trainer = state
            .trainer
            .as_mut()
            .ok_or_else(|| JsError::new("no training run"))?;
        trainer.batches_mut().feed_pairs(numbers).map_err(js_error)
    }

    /// Pairs the batches here again, after those already handed in (the pairing worker stopped).
    #[wasm_bindgen(js_name = pairInline)]
    pub fn pair_inline(&self) {
        if let Some(t) = self.state.borrow_mut().trainer.as_mut() {
            t.batches_mut().pair_inline();
        }
    }

    /// The run is not finished and its next step waits for pairs from the pairing worker.
    #[wasm_bindgen(js_name = waitingForPairs)]
    pub fn waiting_for_pairs(&self) -> bool {
        self.state
            .borrow_mut()
            .trainer
            .as_mut()
            .is_some_and(|t| !t.is_finished() && t.batches_mut().is_waiting_for_pairs())
    }

    /// Runs (CPU) or queues (GPU) up to `k` training steps; returns how many.
    #[wasm_bindgen(js_name = trainSteps)]
    pub fn train_steps(&self, k: usize) -> usize {
        self.state
            .borrow_mut()
            .trainer
            .as_mut()
            .map_or(0, |t| t.run(k))
    }

    /// Reads back the losses of the steps run since the last call. Resolves to
    /// `{ run, steps, total, losses: Float32Array (new ones only), diverged: string | null }`, or
    /// `{ stale: true }` when another run started meanwhile; rejects on a device error.
    #[wasm_bindgen(js_name = readLosses)]
    pub fn read_losses(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (run, pending) = {
                let mut s = state.borrow_mut();
                let run = s.run;
                let trainer = s.trainer.as_mut().ok_or_else(|| error("no training run"))?;
                (run, trainer.take_pending_losses())
            };
            let mut fresh = Vec::new();
            let mut diverged = JsValue::NULL;
            match pending {
                Ok(Some(pending)) => fresh = pending.read().await.map_err(error)?,
                Ok(None) => {}
                Err(e) => diverged = JsValue::from_str(&e.to_string()),
            }
            let out = Object::new();
            let mut s = state.borrow_mut();
            if s.run != run {
                set(&out, "stale", &JsValue::TRUE);
                return Ok(out.into());
            }
            let trainer = s.trainer.as_mut().expect("same run, same trainer");
            set(&out, "losses", &Float32Array::from(fresh.as_slice()).into());
            if !fresh.is_empty()
                && let Err(e) = trainer.absorb_losses(fresh)
            {
                diverged = JsValue::from_str(&e.to_string());
            }
            set(&out, "run", &run.into());
            set(&out, "steps", &(trainer.losses().len() as u32).into());
            set(&out, "total", &(trainer.config().steps as u32).into());
            set(&out, "diverged", &diverged);
            Ok(out.into())
        })
    }

    /// Both networks' weights, flat, read together: the weight average and the last iterate.
    /// Resolves to `{ run, hidden, depth, dimension, averaged, latest }` (both Float32Array), or `{ stale: true }`
    /// when another run started meanwhile.
    pub fn weights(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (run, networks) = {
                let s = state.borrow();
                let trainer = s.trainer.as_ref().ok_or_else(|| error("no training run"))?;
                (s.run, trainer.networks())
            };
            let weights = networks.read().await.map_err(error)?;
            let out = Object::new();
            if state.borrow().run != run {
                set(&out, "stale", &JsValue::TRUE);
                return Ok(out.into());
            }
            set(&out, "run", &run.into());
            set_layout(&out, weights[0].layout());
            for (key, w) in ["averaged", "latest"].into_iter().zip(&weights) {
                set(
                    &out,
                    key,
                    &Float32Array::from(w.to_flat().as_slice()).into(),
                );
            }
            Ok(out.into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_kind_but_auto_names_the_path_it_asks_for() {
        for kind in StepKind::ALL {
            match step_path(kind) {
                None => assert_eq!(kind, StepKind::Auto),
                Some(path) => assert_eq!(path.name(), kind.name()),
            }
        }
    }
}
