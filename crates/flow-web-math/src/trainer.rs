//! The training engine of a page without WebGPU: flow-core's fused CPU step behind the same handle,
//! methods and messages as the burn engine (flow-web-engine's `Engine`), so that the engine worker
//! drives either one. It lives in the math module, which such a reader downloads anyway: no burn
//! reaches a reader who could not run it on a GPU.

use flow_core::config::StepKind;
use flow_core::plane::text::parse_plane_target;
use flow_core::reflow::{REFLOW_STEPS, reflow_data};
use flow_core::target_text::parse_target;
use flow_core::{CpuTrainer, MlpField, TrainConfig, TrainingData};
use js_sys::{Float32Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{set, set_layout};

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
#[derive(Default)]
pub struct CpuEngine {
    /// The page's number for the current run (its results are labelled with it).
    run: u32,
    trainer: Option<CpuTrainer>,
    /// Losses of the steps run since the last read.
    unread: usize,
}

#[wasm_bindgen]
impl CpuEngine {
    #[wasm_bindgen(js_name = onCpu)]
    pub fn on_cpu() -> CpuEngine {
        CpuEngine::default()
    }

    /// Panics, on purpose: the tests use it to check that the page survives a broken engine.
    #[wasm_bindgen(js_name = forcePanic)]
    pub fn force_panic(&self) {
        panic!("a panic forced by a test");
    }

    /// Always "cpu".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        "cpu".into()
    }

    /// "fused" once a run has started ("" before): every step is the fused CPU step.
    #[wasm_bindgen(getter)]
    pub fn path(&self) -> String {
        if self.trainer.is_some() { "fused" } else { "" }.into()
    }

    /// Accepts "auto" and "fused" (the page table's `stepKinds`); "generic" (burn's step) is the
    /// burn engine's, and throws here.
    #[wasm_bindgen(js_name = setPath)]
    pub fn set_path(&self, path: &str) -> Result<(), JsError> {
        match StepKind::from_name(path) {
            Some(StepKind::Auto | StepKind::Fused) => Ok(()),
            Some(StepKind::Generic) => Err(JsError::new(
                "path: burn's generic step is in the burn engine, not the CPU one",
            )),
            None => Err(JsError::new(&format!(
                "path: \"{path}\" is not one of {}",
                StepKind::names()
            ))),
        }
    }

    /// Starts run number `run` on the line, on the target named by its link text ("" for the tutorial's).
    /// Invalid settings or target throw "field: message" and leave the current run untouched.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(
        &mut self,
        run: u32,
        settings: JsValue,
        target_text: &str,
    ) -> Result<(), JsError> {
        let data = parse_target(target_text).map(TrainingData::Target);
        self.start_on(run, settings, data)
    }

    /// Starts run number `run` in the plane, on the plane target named by its link text (a preset's
    /// name or bumps; see flow-core's `plane::text`): a [t, x, y] → 2 network of the settings' width.
    #[wasm_bindgen(js_name = startPlane)]
    pub fn start_plane(
        &mut self,
        run: u32,
        settings: JsValue,
        target_text: &str,
    ) -> Result<(), JsError> {
        let data = parse_plane_target(target_text).map(TrainingData::Plane);
        self.start_on(run, settings, data)
    }

    /// Another engine for a second run beside this one's (the page trains one network per chapter).
    pub fn sibling(&self) -> CpuEngine {
        CpuEngine::default()
    }

    /// Starts run number `run` as a reflow round on pairs drawn from the finished current run's
    /// network, as the burn engine's `startReflow` does (see there). Returns `{ run, steps }`; the
    /// worker awaits either engine's answer the same way.
    #[wasm_bindgen(js_name = startReflow)]
    pub fn start_reflow(
        &mut self,
        run: u32,
        settings: JsValue,
        seed: u32,
    ) -> Result<Object, JsError> {
        let mut config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(js_error)?;
        config.steps = config.steps.min(REFLOW_STEPS);
        config.validate().map_err(js_error)?;
        let source = self
            .trainer
            .as_ref()
            .ok_or_else(|| JsError::new("reflow: there is no run to draw the pairs from"))?;
        if source.losses().len() != source.config().steps {
            return Err(JsError::new(
                "reflow: the run the pairs come from has not finished",
            ));
        }
        let [averaged, latest] = source.networks();
        let field = MlpField::new(if config.average { averaged } else { latest });
        let data = reflow_data(&field, seed.into());
        self.replace(run, config, data)?;
        let out = Object::new();
        set(&out, "run", &run.into());
        set(&out, "steps", &(config.steps as u32).into());
        Ok(out)
    }

    /// Makes run `run` on `data` the current one. What can be wrong with the settings is checked
    /// before the current run is dropped (a bad start leaves it untouched), and it is dropped before
    /// the new one allocates, so that the module's memory never holds two runs: wasm memory only
    /// grows.
    fn replace(
        &mut self,
        run: u32,
        config: TrainConfig,
        data: TrainingData,
    ) -> Result<(), JsError> {
        config.validate().map_err(js_error)?;
        data.validate().map_err(js_error)?;
        self.trainer = None;
        self.trainer = Some(CpuTrainer::new(config, data).map_err(js_error)?);
        self.run = run;
        self.unread = 0;
        Ok(())
    }

    /// Runs up to `k` training steps now; returns how many.
    #[wasm_bindgen(js_name = trainSteps)]
    pub fn train_steps(&mut self, k: usize) -> usize {
        let Some(trainer) = self.trainer.as_mut() else {
            return 0;
        };
        let ran = trainer.run(k);
        self.unread += ran;
        ran
    }

    /// Makes the current run take its minibatch-OT pairs from outside, from its next batch (the
    /// engine worker's pairing worker computes them ahead with `PlanePairStream`); returns
    /// whether the run has such pairs (an OT run in the plane).
    #[wasm_bindgen(js_name = pairsFromOutside)]
    pub fn pairs_from_outside(&mut self) -> bool {
        self.trainer
            .as_mut()
            .is_some_and(|t| t.batches_mut().take_pairs_from_outside())
    }

    /// One batch of pairs from the pairing worker: 4 × batch numbers, x₀ then x₁.
    #[wasm_bindgen(js_name = feedPairs)]
    pub fn feed_pairs(&mut self, numbers: &[f64]) -> Result<(), JsError> {
        let trainer = self
            .trainer
            .as_mut()
            .ok_or_else(|| JsError::new("no training run"))?;
        trainer.batches_mut().feed_pairs(numbers).map_err(js_error)
    }

    /// Pairs the batches here again, after those already handed in (the pairing worker stopped).
    #[wasm_bindgen(js_name = pairInline)]
    pub fn pair_inline(&mut self) {
        if let Some(t) = self.trainer.as_mut() {
            t.batches_mut().pair_inline();
        }
    }

    /// The run is not finished and its next step waits for pairs from the pairing worker.
    #[wasm_bindgen(js_name = waitingForPairs)]
    pub fn waiting_for_pairs(&mut self) -> bool {
        self.trainer
            .as_mut()
            .is_some_and(|t| !t.is_finished() && t.batches_mut().is_waiting_for_pairs())
    }

    /// The losses of the steps run since the last call:
    /// `{ run, steps, total, losses: Float32Array (new ones only), diverged: string | null }`.
    #[wasm_bindgen(js_name = readLosses)]
    pub fn read_losses(&mut self) -> Result<Object, JsError> {
        let trainer = self
            .trainer
            .as_ref()
            .ok_or_else(|| JsError::new("no training run"))?;
        let losses = trainer.losses();
        let fresh = &losses[losses.len() - self.unread..];
        self.unread = 0;
        let out = Object::new();
        set(&out, "losses", &Float32Array::from(fresh).into());
        set(&out, "run", &self.run.into());
        set(&out, "steps", &(losses.len() as u32).into());
        set(&out, "total", &(trainer.config().steps as u32).into());
        let diverged = trainer
            .diverged()
            .map_or(JsValue::NULL, |d| JsValue::from_str(&d.to_string()));
        set(&out, "diverged", &diverged);
        Ok(out)
    }

    /// Both networks' weights, flat:
    /// `{ run, hidden, depth, dimension, averaged: Float32Array, latest: Float32Array }`.
    pub fn weights(&self) -> Result<Object, JsError> {
        let trainer = self
            .trainer
            .as_ref()
            .ok_or_else(|| JsError::new("no training run"))?;
        let networks = trainer.networks();
        let out = Object::new();
        set(&out, "run", &self.run.into());
        set_layout(&out, networks[0].layout());
        for (key, w) in ["averaged", "latest"].into_iter().zip(&networks) {
            set(&out, key, &Float32Array::from(w.flat()).into());
        }
        Ok(out)
    }
}

impl CpuEngine {
    /// What `startTraining` and `startPlane` share: the settings read, then `data` (or the reason
    /// there is none) made the current run.
    fn start_on(
        &mut self,
        run: u32,
        settings: JsValue,
        data: Result<TrainingData, impl std::fmt::Display>,
    ) -> Result<(), JsError> {
        let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(js_error)?;
        self.replace(run, config, data.map_err(js_error)?)
    }
}
