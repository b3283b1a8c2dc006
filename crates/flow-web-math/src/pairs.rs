//! The pairing workers' one job: an OT run's batches in the plane, paired ahead of the trainer
//! (flow-core's `PairStream`, from the run's settings and target), handed over as flat numbers.
//! Where there are several workers, each pairs every `every`-th batch from its `first`.

use flow_core::TrainConfig;
use flow_core::plane::pair_stream::PairStream;
use flow_core::plane::text::parse_plane_target;
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
pub struct PlanePairStream {
    stream: PairStream,
    /// Batches of the stream between two of this worker's: passed over, unpaired.
    gap: usize,
}

#[wasm_bindgen]
impl PlanePairStream {
    /// The pair stream of the run with these settings (as `startPlane` takes them) on the plane
    /// target of this link text: the batches that run's trainer would pair itself, from batch
    /// `first`, every `every`-th (0 and 1 for all of them, in order).
    #[wasm_bindgen(constructor)]
    pub fn new(
        settings: JsValue,
        target_text: &str,
        first: usize,
        every: usize,
    ) -> Result<PlanePairStream, JsError> {
        let config: TrainConfig = serde_wasm_bindgen::from_value(settings).map_err(js_error)?;
        config.validate().map_err(js_error)?;
        if every == 0 || first >= every {
            return Err(JsError::new(
                "pairs: a worker's first batch comes before its stride",
            ));
        }
        let target = parse_plane_target(target_text).map_err(js_error)?;
        let mut stream = PairStream::new(target, config.seed, config.batch_size);
        stream.skip(first);
        Ok(Self {
            stream,
            gap: every - 1,
        })
    }

    /// The next batch's pairs: 4 × batch numbers, x₀ then x₁ (interleaved points), which the
    /// engine's `feedPairs` takes.
    #[wasm_bindgen(js_name = nextBatch)]
    pub fn next_batch(&mut self) -> Float64Array {
        let (x0, x1) = self.stream.next_pairs();
        self.stream.skip(self.gap);
        Float64Array::from(&[x0, x1].concat()[..])
    }
}
