//! The trained network as a plain CPU velocity field, from a snapshot of its weights.
//!
//! Every figure query (a 101 × 200 grid, path lines, 100k samples × 200 Euler steps) runs here
//! rather than through burn: the page's figure worker has the weights and no burn at all. Points are
//! evaluated in blocks of [`LANES`] that share one time t, laid out so that the inner loops run over
//! the block: with wasm SIMD (or SSE natively) the compiler turns them into vector instructions.
//! Any [`MlpLayout`] of the velocity family is evaluated (input t and a point of dimension D,
//! output D velocities, any depth and width).

use crate::field::{FieldF32, SlopeField, VelocityField};
use crate::gelu::{gelu, gelu_with_slope};
use crate::layout::MlpLayout;
use crate::weights::MlpWeights;

/// Points evaluated together. 16 f32 lanes = four 128-bit vectors per row of the block.
const LANES: usize = 16;
type Block = [f32; LANES];

#[derive(Debug, Clone)]
pub struct MlpField {
    weights: MlpWeights,
}

/// Scratch for one block: a layer's values (and x-derivatives) and the next layer's.
struct Scratch {
    values: Vec<Block>,
    next: Vec<Block>,
    slopes: Vec<Block>,
    next_slopes: Vec<Block>,
}

impl MlpField {
    pub fn new(weights: MlpWeights) -> Self {
        Self { weights }
    }

    pub fn weights(&self) -> &MlpWeights {
        &self.weights
    }

    pub fn layout(&self) -> MlpLayout {
        self.weights.layout()
    }

    /// How many numbers a point has (D).
    pub fn dimension(&self) -> usize {
        self.layout().outputs
    }

    /// FM(t, x) for every x in `xs` at one shared t, in f32 (the network's own precision), for a
    /// network on the line (D = 1).
    pub fn velocities(&self, t: f32, xs: &[f32], out: &mut [f32]) {
        assert_eq!(self.dimension(), 1, "a network on the line");
        self.velocities_of_points(t, xs, out);
    }

    /// FM(t, x) for every point of `points` (row-major `[n, D]`) at one shared t, into `out`
    /// (`[n, D]`).
    pub fn velocities_of_points(&self, t: f32, points: &[f32], out: &mut [f32]) {
        self.blocks::<false>(t, points, out, &mut []);
    }

    /// FM(t, x) and ∂FM/∂x at each x (D = 1), by carrying the x-derivative through every layer
    /// beside the values (forward mode): exact to f32 rounding, where a finite difference would
    /// lose half the digits.
    pub fn velocities_and_slopes(&self, t: f32, xs: &[f32], out: &mut [f32], slopes: &mut [f32]) {
        assert_eq!(self.dimension(), 1, "slopes of a network on the line");
        self.blocks::<true>(t, xs, out, slopes);
    }

    fn blocks<const SLOPES: bool>(
        &self,
        t: f32,
        points: &[f32],
        out: &mut [f32],
        slopes: &mut [f32],
    ) {
        let net = self.layout();
        let d = net.outputs;
        assert_eq!(points.len() % d, 0, "whole points");
        assert_eq!(out.len(), points.len(), "one velocity per point");
        let w0 = self.weights.weight(0);
        let (w_t, w_x) = w0.split_at(net.hidden);
        // The first layer's bias and time term are the same for every point of the call.
        let shift: Vec<f32> = self
            .weights
            .bias(0)
            .iter()
            .zip(w_t)
            .map(|(b, a)| b + t * a)
            .collect();
        let width = net.widest();
        let mut s = Scratch {
            values: vec![[0.0; LANES]; width],
            next: vec![[0.0; LANES]; width],
            slopes: vec![[0.0; LANES]; if SLOPES { width } else { 0 }],
            next_slopes: vec![[0.0; LANES]; if SLOPES { width } else { 0 }],
        };
        let n = points.len() / d;
        // The block's coordinates, one row of lanes per dimension.
        let mut x = vec![[0.0f32; LANES]; d];
        for start in (0..n).step_by(LANES) {
            let len = LANES.min(n - start);
            for p in 0..len {
                for (k, row) in x.iter_mut().enumerate() {
                    row[p] = points[(start + p) * d + k];
                }
            }
            // The first layer: inputs (t, x) → GELU.
            for j in 0..net.hidden {
                let mut z: Block = [shift[j]; LANES];
                for (k, row) in x.iter().enumerate() {
                    let c = w_x[k * net.hidden + j];
                    for (zb, &xb) in z.iter_mut().zip(row) {
                        *zb += xb * c;
                    }
                }
                if SLOPES {
                    let c = w_x[j];
                    for ((v, sl), &zb) in s.values[j].iter_mut().zip(&mut s.slopes[j]).zip(&z) {
                        let (g, dg) = gelu_with_slope(zb);
                        *v = g;
                        *sl = dg * c;
                    }
                } else {
                    for (v, &zb) in s.values[j].iter_mut().zip(&z) {
                        *v = gelu(zb);
                    }
                }
            }
            // Every later layer: the product by its weight, UNITS output units at a time, then GELU
            // but on the output.
            for l in 1..net.layers() {
                let (fan_in, fan_out) = (net.fan_in(l), net.fan_out(l));
                let (w, bias) = (self.weights.weight(l), self.weights.bias(l));
                let last = l == net.depth;
                let mut j = 0;
                while j < fan_out {
                    let units = if fan_out - j >= UNITS { UNITS } else { 1 };
                    let (values, slopes) = (&s.values[..fan_in], &s.slopes[..]);
                    if units == UNITS {
                        let (acc, dacc) =
                            unit_sums::<UNITS, SLOPES>(w, fan_out, j, bias, values, slopes);
                        finish(&mut s, j, &acc, &dacc, last, SLOPES);
                    } else {
                        let (acc, dacc) =
                            unit_sums::<1, SLOPES>(w, fan_out, j, bias, values, slopes);
                        finish(&mut s, j, &acc, &dacc, last, SLOPES);
                    }
                    j += units;
                }
                std::mem::swap(&mut s.values, &mut s.next);
                if SLOPES {
                    std::mem::swap(&mut s.slopes, &mut s.next_slopes);
                }
            }
            for p in 0..len {
                for k in 0..d {
                    out[(start + p) * d + k] = s.values[k][p];
                }
                if SLOPES {
                    slopes[start + p] = s.slopes[0][p];
                }
            }
        }
    }
}

/// Output units computed together: each row of values loaded serves this many of them, and their
/// accumulators (with the slopes' as many again) still fit the 16 vector registers of SSE and of
/// wasm engines on x86.
const UNITS: usize = 2;

/// Units j0 .. j0 + J of a layer for one block: bias + Σₖ w[k][j]·v[k], and Σₖ w[k][j]·v′[k] for
/// the slopes. `w` is the layer's weight `[fan_in][fan_out]`, so the J weights of one k are adjacent.
#[inline(always)]
fn unit_sums<const J: usize, const SLOPES: bool>(
    w: &[f32],
    fan_out: usize,
    j0: usize,
    bias: &[f32],
    values: &[Block],
    slopes: &[Block],
) -> ([Block; J], [Block; J]) {
    let mut acc: [Block; J] = std::array::from_fn(|u| [bias[j0 + u]; LANES]);
    let mut dacc: [Block; J] = [[0.0; LANES]; J];
    for (k, v) in values.iter().enumerate() {
        let row = &w[k * fan_out + j0..k * fan_out + j0 + J];
        for (a, &c) in acc.iter_mut().zip(row) {
            for (a, &x) in a.iter_mut().zip(v) {
                *a += c * x;
            }
        }
        if SLOPES {
            for (a, &c) in dacc.iter_mut().zip(row) {
                for (a, &x) in a.iter_mut().zip(&slopes[k]) {
                    *a += c * x;
                }
            }
        }
    }
    (acc, dacc)
}

/// Stores units j0 .. j0 + J of the next layer: GELU of the sums (with its slope) or, on the
/// output layer, the sums themselves.
#[inline(always)]
fn finish<const J: usize>(
    s: &mut Scratch,
    j0: usize,
    acc: &[Block; J],
    dacc: &[Block; J],
    last: bool,
    slopes: bool,
) {
    for u in 0..J {
        let j = j0 + u;
        if last {
            s.next[j] = acc[u];
            if slopes {
                s.next_slopes[j] = dacc[u];
            }
        } else if slopes {
            for (((v, sl), &a), &da) in s.next[j]
                .iter_mut()
                .zip(&mut s.next_slopes[j])
                .zip(&acc[u])
                .zip(&dacc[u])
            {
                let (g, dg) = gelu_with_slope(a);
                *v = g;
                *sl = dg * da;
            }
        } else {
            for (v, &a) in s.next[j].iter_mut().zip(&acc[u]) {
                *v = gelu(a);
            }
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

/// Points of any dimension D, row-major `[n, D]` (interleaved in the plane), as the solvers hold them.
impl VelocityField for MlpField {
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        let narrow: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        let mut values = vec![0.0; xs.len()];
        self.velocities_of_points(t as f32, &narrow, &mut values);
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
    fn reference_point(w: &MlpWeights, t: f32, x: &[f32]) -> Vec<f64> {
        let net = w.layout();
        let gelu = |v: f64| 0.5 * v * (1.0 + libm::erf(v / std::f64::consts::SQRT_2));
        let mut values: Vec<f64> = std::iter::once(f64::from(t))
            .chain(x.iter().map(|&v| f64::from(v)))
            .collect();
        for l in 0..net.layers() {
            let (fan_in, fan_out) = (net.fan_in(l), net.fan_out(l));
            let (weight, bias) = (w.weight(l), w.bias(l));
            values = (0..fan_out)
                .map(|j| {
                    let z = f64::from(bias[j])
                        + (0..fan_in)
                            .map(|i| values[i] * f64::from(weight[i * fan_out + j]))
                            .sum::<f64>();
                    if l < net.depth { gelu(z) } else { z }
                })
                .collect();
        }
        values
    }

    fn reference(w: &MlpWeights, t: f32, x: f32) -> f64 {
        reference_point(w, t, &[x])[0]
    }

    fn random_weights_of(net: MlpLayout, seed: u64) -> MlpWeights {
        let mut rng = seeded_rng(seed);
        let flat: Vec<f32> = (0..net.parameter_count())
            .map(|_| rng.random_range(-0.6..0.6))
            .collect();
        MlpWeights::from_flat(net, &flat).unwrap()
    }

    fn random_weights(hidden: usize, seed: u64) -> MlpWeights {
        random_weights_of(MlpLayout::tutorial(hidden), seed)
    }

    #[test]
    fn every_shape_matches_the_point_by_point_network() {
        let shapes = [
            MlpLayout::for_dimension(2, 64, 3),
            MlpLayout::for_dimension(2, 5, 1),
            MlpLayout::for_dimension(1, 8, 1),
            MlpLayout::for_dimension(1, 12, 4),
            MlpLayout::for_dimension(2, 256, 2),
        ];
        for (s, net) in shapes.into_iter().enumerate() {
            let w = random_weights_of(net, 40 + s as u64);
            let field = MlpField::new(w.clone());
            let d = net.outputs;
            let n = 21;
            let points: Vec<f32> = (0..n * d).map(|i| -2.0 + 0.19 * i as f32).collect();
            let mut out = vec![0.0; n * d];
            field.velocities_of_points(0.3, &points, &mut out);
            for p in 0..n {
                let want = reference_point(&w, 0.3, &points[p * d..][..d]);
                for k in 0..d {
                    let got = f64::from(out[p * d + k]);
                    assert!(
                        (got - want[k]).abs() < 2e-4 * (1.0 + want[k].abs()),
                        "{net:?} point {p}: {got} vs {}",
                        want[k]
                    );
                }
            }
        }
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
