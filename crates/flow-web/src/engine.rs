//! The page's one long-lived handle: the compute device, the training run, the latest CPU snapshot of
//! the network, and any large sampling job in progress.
//!
//! Async methods return promises and never hold the state borrowed across an `await`: they take what
//! they need to read, release the state, await the device, then check that the run they read for is
//! still the current one (a Retrain may have replaced it meanwhile) before storing the result.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use flow_core::field::{bin_centres, linspace};
use flow_core::measures::{histogram, ks_statistic, wasserstein1};
use flow_core::paths::noise_samples;
use flow_core::{
    DeviceEuler, Mixture, MlpField, Solver, TrainConfig, Trainer, VelocityField, integrate_paths,
    read_f32, seeded_rng,
};
use js_sys::{Float32Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::{check_size, error, f32s, f64s, f64s_as_f32, set, u32s};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Backend {
    Cpu,
    // Only the browser build can reach WebGPU.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    WebGpu,
}

struct Sampling {
    euler: DeviceEuler,
    density: Option<PathDensity>,
    x0: Vec<f32>,
}

/// Path-density counts of a sampling job: one row of `bins` counts on [lo, hi] per step so far.
struct PathDensity {
    lo: f64,
    hi: f64,
    bins: usize,
    counts: Vec<u32>,
}

impl PathDensity {
    fn add_row(&mut self, row: &[f32]) {
        let row: Vec<f64> = row.iter().map(|&v| v.into()).collect();
        self.counts
            .extend(histogram(&row, self.lo, self.hi, self.bins));
    }
}

struct State {
    device: Device,
    backend: Backend,
    target: Mixture,
    generation: u32,
    trainer: Option<Trainer>,
    snapshot: Option<MlpField>,
    sampling: Option<Sampling>,
}

#[wasm_bindgen]
pub struct Explorable {
    state: Rc<RefCell<State>>,
}

/// `n` seeded N(0, 1) draws, in the f32 the device works in.
fn standard_normals(seed: u64, n: usize) -> Vec<f32> {
    noise_samples(&mut seeded_rng(seed), n)
        .into_iter()
        .map(|x| x as f32)
        .collect()
}

impl Explorable {
    fn new(device: Device, backend: Backend) -> Self {
        Self {
            state: Rc::new(RefCell::new(State {
                device,
                backend,
                target: Mixture::tutorial_target(),
                generation: 0,
                trainer: None,
                snapshot: None,
                sampling: None,
            })),
        }
    }
}

#[wasm_bindgen]
impl Explorable {
    /// Burn's portable CPU backend: always available.
    #[wasm_bindgen(js_name = onCpu)]
    pub fn on_cpu() -> Explorable {
        Self::new(Device::flex(), Backend::Cpu)
    }

    /// Burn's wgpu backend on the browser's WebGPU. The page must first check that
    /// `navigator.gpu.requestAdapter()` yields an adapter: burn panics rather than failing without one.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen(js_name = onWebGpu)]
    pub async fn on_webgpu() -> Result<Explorable, JsError> {
        let device = Device::wgpu_options().init_async().await.map_err(error)?;
        Ok(Self::new(device, Backend::WebGpu))
    }

    pub fn backend(&self) -> String {
        match self.state.borrow().backend {
            Backend::Cpu => "cpu".into(),
            Backend::WebGpu => "webgpu".into(),
        }
    }

    /// Checks settings without starting anything; throws with "field: message" when one is out of range.
    #[wasm_bindgen(js_name = validateSettings)]
    pub fn validate_settings(settings: JsValue) -> Result<(), JsError> {
        let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(error)?;
        config.validate().map_err(error)
    }

    /// The tutorial's settings, as a plain object.
    #[wasm_bindgen(js_name = tutorialSettings)]
    pub fn tutorial_settings() -> JsValue {
        serde_wasm_bindgen::to_value(&TrainConfig::default()).expect("plain settings serialise")
    }

    /// Starts a fresh run (new network, new optimizer) and returns its generation number.
    /// Invalid settings throw and leave the current run untouched.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(&self, settings: JsValue) -> Result<u32, JsError> {
        let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(error)?;
        let mut state = self.state.borrow_mut();
        let trainer = Trainer::new(config, state.target.clone(), &state.device).map_err(error)?;
        state.generation += 1;
        state.trainer = Some(trainer);
        state.snapshot = None;
        state.sampling = None;
        Ok(state.generation)
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
    /// `{ generation, steps, total, losses: Float32Array (new ones only), diverged: string | null }`;
    /// rejects on a device error.
    #[wasm_bindgen(js_name = readLosses)]
    pub fn read_losses(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (generation, pending) = {
                let mut s = state.borrow_mut();
                let generation = s.generation;
                let trainer = s
                    .trainer
                    .as_mut()
                    .ok_or_else(|| JsValue::from_str("no training run"))?;
                (generation, trainer.take_pending_losses())
            };
            let out = Object::new();
            let mut fresh = Vec::new();
            let mut diverged = JsValue::NULL;
            match pending {
                Ok(Some(tensor)) => {
                    fresh = read_f32(tensor)
                        .await
                        .map_err(|e| JsValue::from(error(e)))?
                }
                Ok(None) => {}
                Err(e) => diverged = JsValue::from_str(&e.to_string()),
            }
            let mut s = state.borrow_mut();
            if s.generation != generation {
                set(&out, "stale", &JsValue::TRUE);
                return Ok(out.into());
            }
            let trainer = s.trainer.as_mut().expect("same generation, same trainer");
            if !fresh.is_empty() {
                set(&out, "losses", &f32s(&fresh).into());
                if let Err(e) = trainer.absorb_losses(fresh) {
                    diverged = JsValue::from_str(&e.to_string());
                }
            } else {
                set(&out, "losses", &Float32Array::new_with_length(0).into());
            }
            set(&out, "generation", &generation.into());
            set(&out, "steps", &(trainer.losses().len() as u32).into());
            set(&out, "total", &(trainer.config().steps as u32).into());
            set(&out, "diverged", &diverged);
            Ok(out.into())
        })
    }

    /// Copies the current network's weights to the CPU snapshot that answers field queries.
    #[wasm_bindgen(js_name = refreshSnapshot)]
    pub fn refresh_snapshot(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (generation, model) = {
                let s = state.borrow();
                let trainer = s
                    .trainer
                    .as_ref()
                    .ok_or_else(|| JsValue::from_str("no training run"))?;
                (s.generation, trainer.model())
            };
            let weights = model.weights().await.map_err(|e| JsValue::from(error(e)))?;
            let mut s = state.borrow_mut();
            if s.generation == generation {
                s.snapshot = Some(MlpField::new(weights));
            }
            Ok(JsValue::from_bool(s.generation == generation))
        })
    }

    /// Whether a snapshot of the network is available for field queries.
    #[wasm_bindgen(js_name = hasSnapshot)]
    pub fn has_snapshot(&self) -> bool {
        self.state.borrow().snapshot.is_some()
    }

    /// The learned field on `times` columns (t from 0 to 1) × `bins` bin centres on [lo, hi],
    /// column by column; `undefined` before the first snapshot.
    #[wasm_bindgen(js_name = learnedGrid)]
    pub fn learned_grid(
        &self,
        times: usize,
        lo: f64,
        hi: f64,
        bins: usize,
    ) -> Result<Option<Float32Array>, JsError> {
        check_size("times", times, 2048)?;
        check_size("bins", bins, 2048)?;
        let s = self.state.borrow();
        Ok(s.snapshot
            .as_ref()
            .map(|f| f64s_as_f32(&f.grid(&linspace(0.0, 1.0, times), &bin_centres(lo, hi, bins)))))
    }

    /// Euler paths of the learned field from each start, `steps + 1` rows of `starts.len()` values.
    #[wasm_bindgen(js_name = learnedPaths)]
    pub fn learned_paths(
        &self,
        starts: &[f64],
        steps: usize,
    ) -> Result<Option<js_sys::Float64Array>, JsError> {
        check_size("steps", steps, 10_000)?;
        let s = self.state.borrow();
        Ok(s.snapshot
            .as_ref()
            .map(|f| f64s(&integrate_paths(f, Solver::Euler, starts, steps).concat())))
    }

    /// Starts sampling `n` fresh noise points (seeded) through `steps` Euler steps of the current network
    /// on the device. With `bins > 0`, also counts the path density on [lo, hi] at every step.
    #[wasm_bindgen(js_name = startSampling)]
    pub fn start_sampling(
        &self,
        n: usize,
        steps: usize,
        seed: u32,
        lo: f64,
        hi: f64,
        bins: usize,
    ) -> Result<(), JsError> {
        check_size("samples", n, 1_000_000)?;
        check_size("steps", steps, 1000)?;
        let mut s = self.state.borrow_mut();
        let trainer = s
            .trainer
            .as_ref()
            .ok_or_else(|| JsError::new("no training run"))?;
        let model = trainer.model();
        let x0 = standard_normals(seed.into(), n);
        let euler = DeviceEuler::new(model, &x0, steps, &s.device);
        let density = (bins > 0).then(|| {
            let mut density = PathDensity {
                lo,
                hi,
                bins,
                counts: Vec::new(),
            };
            density.add_row(&x0);
            density
        });
        s.sampling = Some(Sampling { euler, density, x0 });
        Ok(())
    }

    /// Advances the sampling job by up to `k` steps and waits for the device. Resolves to the number of
    /// steps done so far.
    #[wasm_bindgen(js_name = advanceSampling)]
    pub fn advance_sampling(&self, k: usize) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (generation, wait) = {
                let mut s = state.borrow_mut();
                let generation = s.generation;
                let job = s
                    .sampling
                    .as_mut()
                    .ok_or_else(|| JsValue::from_str("no sampling job"))?;
                let record = job.density.is_some();
                job.euler.advance(k, record);
                // Reading something forces the queued work to finish, and yields to the page meanwhile.
                let wait = if record {
                    job.euler.take_recorded()
                } else {
                    Some(job.euler.current())
                };
                (generation, wait)
            };
            let values = match wait {
                Some(t) => read_f32(t).await.map_err(|e| JsValue::from(error(e)))?,
                None => vec![],
            };
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return Err(JsValue::from_str("stale: training restarted"));
            }
            let job = s
                .sampling
                .as_mut()
                .ok_or_else(|| JsValue::from_str("no sampling job"))?;
            if let Some(density) = job.density.as_mut() {
                for row in values.chunks(job.x0.len()) {
                    density.add_row(row);
                }
            }
            Ok(JsValue::from(job.euler.steps_done() as u32))
        })
    }

    /// The finished job: `{ x0, x1: Float32Array, density?: Uint32Array, w1, ks }` (distances against the
    /// exact target CDF).
    #[wasm_bindgen(js_name = samplingResult)]
    pub fn sampling_result(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let current = {
                let s = state.borrow();
                let job = s
                    .sampling
                    .as_ref()
                    .ok_or_else(|| JsValue::from_str("no sampling job"))?;
                job.euler.current()
            };
            let x1 = read_f32(current)
                .await
                .map_err(|e| JsValue::from(error(e)))?;
            let s = state.borrow();
            let job = s
                .sampling
                .as_ref()
                .ok_or_else(|| JsValue::from_str("no sampling job"))?;
            let x1_f64: Vec<f64> = x1.iter().map(|&v| v.into()).collect();
            let out = Object::new();
            set(&out, "x0", &f32s(&job.x0).into());
            set(&out, "x1", &f32s(&x1).into());
            if let Some(density) = &job.density {
                set(&out, "density", &u32s(&density.counts).into());
            }
            set(
                &out,
                "w1",
                &wasserstein1(&x1_f64, |x| s.target.cdf(x)).into(),
            );
            set(
                &out,
                "ks",
                &ks_statistic(&x1_f64, |x| s.target.cdf(x)).into(),
            );
            Ok(out.into())
        })
    }
}
