//! The trained network as a plain CPU velocity field, from a snapshot of its weights.
//!
//! Figures need many small synchronous queries (a 101 × 200 grid, nine path lines, a 15-step table)
//! while training goes on; a browser can only read the device asynchronously, so those queries run on
//! a copy of the 4,353 parameters instead. Large batches (100k samples) go through burn on the device.

use crate::field::VelocityField;
use crate::model::MlpWeights;

#[derive(Debug, Clone)]
pub struct MlpField {
    weights: MlpWeights,
}

/// Exact GELU, x·Φ(x), as PyTorch's default and burn's `Gelu::new()` compute it.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

impl MlpField {
    pub fn new(weights: MlpWeights) -> Self {
        Self { weights }
    }

    pub fn weights(&self) -> &MlpWeights {
        &self.weights
    }

    fn forward(&self, t: f32, x: f32, h1: &mut [f32], h2: &mut [f32]) -> f32 {
        let w = &self.weights;
        let h = w.hidden;
        let (w_t, w_x) = w.w1.split_at(h);
        for (((out, &b), &a), &c) in h1.iter_mut().zip(&w.b1).zip(w_t).zip(w_x) {
            *out = gelu(b + t * a + x * c);
        }
        h2.copy_from_slice(&w.b2);
        for (j, &a) in h1.iter().enumerate() {
            for (acc, &wjk) in h2.iter_mut().zip(&w.w2[j * h..(j + 1) * h]) {
                *acc += a * wjk;
            }
        }
        w.b3[0]
            + h2.iter()
                .zip(&w.w3)
                .map(|(&a, &wk)| gelu(a) * wk)
                .sum::<f32>()
    }
}

impl VelocityField for MlpField {
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        let mut h1 = vec![0.0; self.weights.hidden];
        let mut h2 = vec![0.0; self.weights.hidden];
        for (o, &x) in out.iter_mut().zip(xs) {
            *o = self.forward(t as f32, x as f32, &mut h1, &mut h2) as f64;
        }
    }
}
