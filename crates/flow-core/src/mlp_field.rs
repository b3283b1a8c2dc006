//! The trained network as a plain CPU velocity field, from a snapshot of its weights.
//!
//! Every figure query (a 101 × 200 grid, path lines, 100k samples × 200 Euler steps) runs here
//! rather than through burn: the page's figure worker has the weights and no burn at all. Points are
//! evaluated in blocks of [`LANES`] that share one time t, laid out so that the inner loops run over
//! the block: with wasm SIMD (or SSE natively) the compiler turns them into vector instructions.

use crate::field::{FieldF32, SlopeField, VelocityField};
use crate::gelu::{gelu, gelu_with_slope};
use crate::weights::MlpWeights;

/// Points evaluated together. 16 f32 lanes = four 128-bit vectors per row of the block.
const LANES: usize = 16;
type Block = [f32; LANES];

#[derive(Debug, Clone)]
pub struct MlpField {
    weights: MlpWeights,
    /// The second layer transposed to `[out][in]`, so each output unit reads a contiguous row.
    w2_by_output: Vec<f32>,
}

impl MlpField {
    pub fn new(weights: MlpWeights) -> Self {
        let h = weights.hidden;
        let mut w2_by_output = vec![0.0; h * h];
        for j in 0..h {
            for k in 0..h {
                w2_by_output[k * h + j] = weights.w2[j * h + k];
            }
        }
        Self {
            weights,
            w2_by_output,
        }
    }

    pub fn weights(&self) -> &MlpWeights {
        &self.weights
    }

    /// FM(t, x) for every x in `xs` at one shared t, in f32 (the network's own precision).
    pub fn velocities(&self, t: f32, xs: &[f32], out: &mut [f32]) {
        let w = &self.weights;
        let h = w.hidden;
        let (w_t, w_x) = w.w1.split_at(h);
        // The first layer's bias and time term are the same for every point of the call.
        let shift: Vec<f32> = w.b1.iter().zip(w_t).map(|(b, a)| b + t * a).collect();
        let mut h1: Vec<Block> = vec![[0.0; LANES]; h];
        for (xs, out) in xs.chunks(LANES).zip(out.chunks_mut(LANES)) {
            let mut x: Block = [0.0; LANES];
            x[..xs.len()].copy_from_slice(xs);
            for ((row, &s), &c) in h1.iter_mut().zip(&shift).zip(w_x) {
                for (r, &xb) in row.iter_mut().zip(&x) {
                    *r = gelu(s + xb * c);
                }
            }
            let mut v: Block = [w.b3[0]; LANES];
            for ((weights_in, &b2), &w3) in self.w2_by_output.chunks_exact(h).zip(&w.b2).zip(&w.w3)
            {
                let mut acc: Block = [b2; LANES];
                for (&wjk, row) in weights_in.iter().zip(&h1) {
                    for (a, &r) in acc.iter_mut().zip(row) {
                        *a += wjk * r;
                    }
                }
                for (vb, &a) in v.iter_mut().zip(&acc) {
                    *vb += w3 * gelu(a);
                }
            }
            out.copy_from_slice(&v[..out.len()]);
        }
    }
}

impl MlpField {
    /// FM(t, x) and ∂FM/∂x at each x, by carrying the x-derivative through every layer beside the
    /// values (forward mode): exact to f32 rounding, where a finite difference would lose half the digits.
    pub fn velocities_and_slopes(&self, t: f32, xs: &[f32], out: &mut [f32], slopes: &mut [f32]) {
        let w = &self.weights;
        let h = w.hidden;
        let (w_t, w_x) = w.w1.split_at(h);
        let shift: Vec<f32> = w.b1.iter().zip(w_t).map(|(b, a)| b + t * a).collect();
        let mut h1: Vec<Block> = vec![[0.0; LANES]; h];
        let mut d1: Vec<Block> = vec![[0.0; LANES]; h];
        let chunks = xs
            .chunks(LANES)
            .zip(out.chunks_mut(LANES))
            .zip(slopes.chunks_mut(LANES));
        for ((xs, out), slopes) in chunks {
            let mut x: Block = [0.0; LANES];
            x[..xs.len()].copy_from_slice(xs);
            for (((row, drow), &s), &c) in h1.iter_mut().zip(&mut d1).zip(&shift).zip(w_x) {
                for ((r, d), &xb) in row.iter_mut().zip(drow.iter_mut()).zip(&x) {
                    let (g, dg) = gelu_with_slope(s + xb * c);
                    *r = g;
                    *d = dg * c;
                }
            }
            let mut v: Block = [w.b3[0]; LANES];
            let mut dv: Block = [0.0; LANES];
            for ((weights_in, &b2), &w3) in self.w2_by_output.chunks_exact(h).zip(&w.b2).zip(&w.w3)
            {
                let mut acc: Block = [b2; LANES];
                let mut dacc: Block = [0.0; LANES];
                for ((&wjk, row), drow) in weights_in.iter().zip(&h1).zip(&d1) {
                    for (a, &r) in acc.iter_mut().zip(row) {
                        *a += wjk * r;
                    }
                    for (a, &d) in dacc.iter_mut().zip(drow) {
                        *a += wjk * d;
                    }
                }
                for (((vb, dvb), &a), &da) in v.iter_mut().zip(&mut dv).zip(&acc).zip(&dacc) {
                    let (g, dg) = gelu_with_slope(a);
                    *vb += w3 * g;
                    *dvb += w3 * dg * da;
                }
            }
            out.copy_from_slice(&v[..out.len()]);
            slopes.copy_from_slice(&dv[..slopes.len()]);
        }
    }
}

impl FieldF32 for MlpField {
    fn velocities(&self, t: f32, xs: &[f32], out: &mut [f32]) {
        MlpField::velocities(self, t, xs, out);
    }
}

impl SlopeField for MlpField {
    fn velocity_and_slope(&self, t: f64, xs: &[f64], velocity: &mut [f64], slope: &mut [f64]) {
        let narrow: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        let (mut v, mut d) = (vec![0.0; xs.len()], vec![0.0; xs.len()]);
        self.velocities_and_slopes(t as f32, &narrow, &mut v, &mut d);
        for (o, x) in velocity.iter_mut().zip(v) {
            *o = x.into();
        }
        for (o, x) in slope.iter_mut().zip(d) {
            *o = x.into();
        }
    }
}

impl VelocityField for MlpField {
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        let narrow: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        let mut values = vec![0.0; xs.len()];
        self.velocities(t as f32, &narrow, &mut values);
        for (o, v) in out.iter_mut().zip(values) {
            *o = v.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;
    use rand::RngExt;

    /// The network written out one point at a time with libm's erf: the reference the blocked,
    /// vectorised pass must reproduce.
    fn reference(w: &MlpWeights, t: f32, x: f32) -> f64 {
        let h = w.hidden;
        let gelu = |v: f64| 0.5 * v * (1.0 + libm::erf(v / std::f64::consts::SQRT_2));
        let h1: Vec<f64> = (0..h)
            .map(|k| gelu((w.b1[k] + t * w.w1[k] + x * w.w1[h + k]) as f64))
            .collect();
        let mut out = w.b3[0] as f64;
        for k in 0..h {
            let pre: f64 =
                w.b2[k] as f64 + (0..h).map(|j| h1[j] * w.w2[j * h + k] as f64).sum::<f64>();
            out += gelu(pre) * w.w3[k] as f64;
        }
        out
    }

    fn random_weights(hidden: usize, seed: u64) -> MlpWeights {
        let mut rng = seeded_rng(seed);
        let flat: Vec<f32> = (0..MlpWeights::count(hidden))
            .map(|_| rng.random_range(-0.6..0.6))
            .collect();
        MlpWeights::from_flat(hidden, &flat).unwrap()
    }

    #[test]
    fn blocked_pass_matches_the_point_by_point_network() {
        // Widths that do and do not fill whole blocks, and batch sizes with a ragged last block.
        for (hidden, n) in [(64, 37), (5, 16), (1, 3), (33, 100)] {
            let w = random_weights(hidden, hidden as u64);
            let field = MlpField::new(w.clone());
            let xs: Vec<f32> = (0..n).map(|i| -3.0 + 6.0 * i as f32 / n as f32).collect();
            for t in [0.0f32, 0.41, 1.0] {
                let mut out = vec![0.0; n];
                field.velocities(t, &xs, &mut out);
                for (&x, &got) in xs.iter().zip(&out) {
                    let want = reference(&w, t, x);
                    assert!(
                        (got as f64 - want).abs() < 1e-4 * (1.0 + want.abs()),
                        "h = {hidden}, t = {t}, x = {x}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_f64_face_agrees_with_the_f32_one() {
        let field = MlpField::new(random_weights(8, 3));
        let xs = [-1.0, 0.25, 2.0];
        let mut wide = [0.0; 3];
        field.velocity(0.5, &xs, &mut wide);
        let mut narrow = [0.0f32; 3];
        field.velocities(0.5, &[-1.0, 0.25, 2.0], &mut narrow);
        for (a, b) in wide.iter().zip(narrow) {
            assert_eq!(*a, f64::from(b));
        }
    }

    #[test]
    fn slopes_match_a_central_difference_of_the_reference() {
        for (hidden, n) in [(64, 37), (3, 5)] {
            let w = random_weights(hidden, 7 + hidden as u64);
            let field = MlpField::new(w.clone());
            let xs: Vec<f32> = (0..n).map(|i| -2.5 + 5.0 * i as f32 / n as f32).collect();
            for t in [0.0f32, 0.6] {
                let (mut v, mut d) = (vec![0.0; n], vec![0.0; n]);
                field.velocities_and_slopes(t, &xs, &mut v, &mut d);
                for ((&x, &vi), &di) in xs.iter().zip(&v).zip(&d) {
                    let h = 1e-3f32;
                    let fd = (reference(&w, t, x + h) - reference(&w, t, x - h)) / (2.0 * h as f64);
                    assert!((vi as f64 - reference(&w, t, x)).abs() < 1e-4);
                    assert!(
                        (di as f64 - fd).abs() < 2e-3 * (1.0 + fd.abs()),
                        "h = {hidden}, t = {t}, x = {x}: {di} vs {fd}"
                    );
                }
            }
        }
    }
}
