//! The fused CPU training step: forward, backward, Adam and the weight average for a whole batch,
//! in one pass over buffers allocated once, for any [`MlpLayout`].
//!
//! A step through a general framework spends most of its time between operations (allocating
//! tensors, recording the autodiff graph, dispatching); the arithmetic of the tutorial's step is
//! about 6.6 MFLOP. Here the batch goes through each layer as one matrix product ([`gemm_acc`],
//! blocked for SIMD), GELU and its exact derivative are computed together and kept for the backward
//! pass, and Adam and the average run in one loop over the parameters. burn's autodiff step is the
//! reference this is tested against (flow-train's `tests/cpu_step.rs`).

use crate::adam::AdamConstants;
use crate::gelu::gelu_with_slope;
use crate::gemm::{Strides, gemm_acc};
use crate::layout::MlpLayout;
use crate::weights::MlpWeights;

pub struct CpuStep {
    layout: MlpLayout,
    adam: AdamConstants,
    /// The largest batch the buffers hold.
    capacity: usize,
    params: Vec<f32>,
    moment1: Vec<f32>,
    moment2: Vec<f32>,
    average: Vec<f32>,
    grads: Vec<f32>,
    /// Each hidden layer's output for the batch, row-major `[batch, hidden]`.
    activations: Vec<Vec<f32>>,
    /// GELU′ at each hidden layer's pre-activations, the same shape.
    slopes: Vec<Vec<f32>>,
    /// The output layer's values, `[batch, outputs]`.
    outputs: Vec<f32>,
    /// ∂loss/∂(what the layer being differentiated writes), and the same for the layer before it.
    delta: Vec<f32>,
    delta_before: Vec<f32>,
    /// A layer's weight transposed, `[fan_out, fan_in]`: the backward pass multiplies by Wᵀ, and
    /// the blocked product wants contiguous rows of its right-hand side. Copying W (at most 256²
    /// numbers) costs little beside the product it serves.
    transposed: Vec<f32>,
    /// Adam's step count t (for its bias corrections).
    adam_steps: i32,
}

impl CpuStep {
    /// Starts from `initial` (the average starts there too) with zero moments, for batches of up to
    /// `capacity` samples.
    pub fn new(initial: &MlpWeights, capacity: usize, adam: AdamConstants) -> Self {
        let layout = initial.layout();
        let count = layout.parameter_count();
        let per_layer = capacity * layout.hidden;
        let widest = capacity * layout.widest();
        Self {
            layout,
            adam,
            capacity,
            params: initial.to_flat(),
            moment1: vec![0.0; count],
            moment2: vec![0.0; count],
            average: initial.to_flat(),
            grads: vec![0.0; count],
            activations: vec![vec![0.0; per_layer]; layout.depth],
            slopes: vec![vec![0.0; per_layer]; layout.depth],
            outputs: vec![0.0; capacity * layout.outputs],
            delta: vec![0.0; widest],
            delta_before: vec![0.0; widest],
            transposed: vec![0.0; layout.hidden * layout.widest()],
            adam_steps: 0,
        }
    }

    pub fn layout(&self) -> MlpLayout {
        self.layout
    }

    /// One step on a batch: `inputs` row-major `[n, inputs]` (t, then x), `targets` `[n, outputs]`;
    /// then the average keeps `keep` of itself. Returns the batch's mean squared error before the
    /// step (the loss burn's step reports).
    pub fn step(&mut self, inputs: &[f32], targets: &[f32], keep: f64) -> f32 {
        let net = self.layout;
        let n = targets.len() / net.outputs;
        assert!(
            n >= 1 && n <= self.capacity,
            "a batch of {n} for buffers of {}",
            self.capacity
        );
        assert_eq!(inputs.len(), n * net.inputs, "one row of inputs per target");
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the processor has both features, just checked.
            return unsafe { self.step_avx2(inputs, targets, keep, n) };
        }
        self.step_body(inputs, targets, keep, n)
    }

    /// The step compiled with AVX2 (natively on x86-64, where the processor has it): GELU, its
    /// slope and Adam over twice the lanes. The matrix products choose their own version
    /// ([`gemm_acc`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn step_avx2(&mut self, inputs: &[f32], targets: &[f32], keep: f64, n: usize) -> f32 {
        self.step_body(inputs, targets, keep, n)
    }

    #[inline(always)]
    fn step_body(&mut self, inputs: &[f32], targets: &[f32], keep: f64, n: usize) -> f32 {
        self.forward(inputs, n);
        let loss = self.output_delta(targets, n);
        self.backward(inputs, n);
        self.adam_and_average(keep);
        loss
    }

    /// Every layer's values for the batch, hidden layers through GELU.
    #[inline(always)]
    fn forward(&mut self, inputs: &[f32], n: usize) {
        let net = self.layout;
        for l in 0..net.layers() {
            let (fan_in, fan_out) = (net.fan_in(l), net.fan_out(l));
            let (before, rest) = self.activations.split_at_mut(l.min(net.depth));
            let x: &[f32] = if l == 0 { inputs } else { &before[l - 1] };
            let z: &mut [f32] = if l == net.depth {
                &mut self.outputs
            } else {
                &mut rest[0]
            };
            let z = &mut z[..n * fan_out];
            let bias = &self.params[net.bias(l).range()];
            for row in z.chunks_exact_mut(fan_out) {
                row.copy_from_slice(bias);
            }
            let w = &self.params[net.weight(l).range()];
            gemm_acc(z, x, Strides::rows(fan_in), w, (n, fan_in, fan_out));
            if l < net.depth {
                for (v, s) in z.iter_mut().zip(&mut self.slopes[l][..n * fan_out]) {
                    (*v, *s) = gelu_with_slope(*v);
                }
            }
        }
    }

    /// The loss, and its derivative by each output into `delta`: the mean over n·outputs numbers,
    /// as burn's `mean()` of the squared error takes it.
    #[inline(always)]
    fn output_delta(&mut self, targets: &[f32], n: usize) -> f32 {
        let count = n * self.layout.outputs;
        let scale = 2.0 / count as f32;
        let mut total = 0.0f64;
        for ((d, &o), &y) in self.delta[..count]
            .iter_mut()
            .zip(&self.outputs[..count])
            .zip(targets)
        {
            let e = o - y;
            total += f64::from(e * e);
            *d = scale * e;
        }
        (total / count as f64) as f32
    }

    /// Gradients of every parameter, from the output layer back to the first.
    #[inline(always)]
    fn backward(&mut self, inputs: &[f32], n: usize) {
        let net = self.layout;
        for l in (0..net.layers()).rev() {
            let (fan_in, fan_out) = (net.fan_in(l), net.fan_out(l));
            let x: &[f32] = if l == 0 {
                inputs
            } else {
                &self.activations[l - 1]
            };
            let delta = &self.delta[..n * fan_out];
            // dW = xᵀ·δ: x `[n, fan_in]` read transposed.
            let dw = &mut self.grads[net.weight(l).range()];
            dw.fill(0.0);
            gemm_acc(
                dw,
                x,
                Strides::transposed(fan_in),
                delta,
                (fan_in, n, fan_out),
            );
            let db = &mut self.grads[net.bias(l).range()];
            db.fill(0.0);
            for row in delta.chunks_exact(fan_out) {
                for (g, &d) in db.iter_mut().zip(row) {
                    *g += d;
                }
            }
            if l == 0 {
                break;
            }
            // δ of the layer before: (δ·Wᵀ) ⊙ GELU′, Wᵀ read as the transpose of `[fan_in, fan_out]`.
            let before = &mut self.delta_before[..n * fan_in];
            before.fill(0.0);
            let w = &self.params[net.weight(l).range()];
            let wt = &mut self.transposed[..fan_in * fan_out];
            for (i, row) in w.chunks_exact(fan_out).enumerate() {
                for (j, &v) in row.iter().enumerate() {
                    wt[j * fan_in + i] = v;
                }
            }
            gemm_acc(
                before,
                delta,
                Strides::rows(fan_out),
                wt,
                (n, fan_out, fan_in),
            );
            for (d, &s) in before.iter_mut().zip(&self.slopes[l - 1][..n * fan_in]) {
                *d *= s;
            }
            std::mem::swap(&mut self.delta, &mut self.delta_before);
        }
    }

    /// Adam on every parameter as burn computes it (bias corrections folded into the step size and
    /// ε), then the weight average.
    #[inline(always)]
    fn adam_and_average(&mut self, keep: f64) {
        self.adam_steps += 1;
        let t = self.adam_steps;
        let AdamConstants {
            learning_rate,
            beta1,
            beta2,
            epsilon,
        } = self.adam;
        let correction2 = (1.0 - beta2.powi(t)).sqrt();
        let step_scale = correction2 / (1.0 - beta1.powi(t));
        let epsilon_scaled = epsilon * correction2;
        let lr = learning_rate as f32;
        let keep = keep as f32;
        let rows = self
            .params
            .iter_mut()
            .zip(&mut self.moment1)
            .zip(&mut self.moment2)
            .zip(&mut self.average)
            .zip(&self.grads);
        for ((((p, m1), m2), avg), &g) in rows {
            let m = beta1 * *m1 + (1.0 - beta1) * g;
            let v = beta2 * *m2 + (1.0 - beta2) * (g * g);
            *m1 = m;
            *m2 = v;
            let w = *p - lr * (m * step_scale / (v.sqrt() + epsilon_scaled));
            *p = w;
            *avg = keep * *avg + (1.0 - keep) * w;
        }
    }

    /// `[average, latest]`, as weights.
    pub fn networks(&self) -> [MlpWeights; 2] {
        [
            MlpWeights::split(self.layout, self.average.clone()),
            MlpWeights::split(self.layout, self.params.clone()),
        ]
    }
}

/// Floating-point operations of one step of `layout` on a batch of `n`, counting the matrix
/// products only: the forward pass, the weights' gradients and the deltas sent back (none before
/// the first layer), each 2·n·fan_in·fan_out. For the tutorial's 2 → 64 → 64 → 1 at batch 256
/// that is 6.5 MFLOP.
pub fn step_flops(layout: MlpLayout, n: usize) -> f64 {
    let products: usize = (0..layout.layers())
        .map(|l| {
            let size = layout.fan_in(l) * layout.fan_out(l);
            if l == 0 { 2 * size } else { 3 * size }
        })
        .sum();
    2.0 * (n * products) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adam::pytorch_adam;
    use crate::seeded_rng;

    #[test]
    fn the_tutorial_step_is_six_and_a_half_megaflops() {
        let flops = step_flops(MlpLayout::tutorial(64), 256);
        assert!((flops - 6.5e6).abs() < 0.05e6, "{flops}");
    }

    /// A finite difference of the loss by one parameter, in f64 through the point-by-point network.
    fn loss_of(flat: &[f32], layout: MlpLayout, inputs: &[f32], targets: &[f32]) -> f64 {
        let w = MlpWeights::split(layout, flat.to_vec());
        let field = crate::MlpField::new(w);
        let n = targets.len() / layout.outputs;
        let mut total = 0.0;
        for i in 0..n {
            let row = &inputs[i * layout.inputs..][..layout.inputs];
            let mut out = vec![0.0; layout.outputs];
            field.velocities_of_points(row[0], &row[1..], &mut out);
            for (o, y) in out
                .iter()
                .zip(&targets[i * layout.outputs..][..layout.outputs])
            {
                total += f64::from(o - y).powi(2);
            }
        }
        total / (n * layout.outputs) as f64
    }

    #[test]
    fn the_first_step_moves_each_parameter_against_its_gradient() {
        // Adam's first step is −lr·sign(g) (m̂/√v̂ = g/|g|): the step's direction on every
        // parameter is the sign of the loss's gradient, checked by finite differences.
        let layout = MlpLayout::for_dimension(2, 6, 2);
        let start = MlpWeights::initial(&mut seeded_rng(3), layout);
        let n = 9;
        let inputs: Vec<f32> = (0..n * 3)
            .map(|i| ((i * 37) % 11) as f32 / 5.0 - 1.0)
            .collect();
        let targets: Vec<f32> = (0..n * 2)
            .map(|i| ((i * 17) % 7) as f32 / 3.0 - 1.0)
            .collect();
        let mut step = CpuStep::new(&start, n, pytorch_adam(1e-3));
        let loss = step.step(&inputs, &targets, 0.5);
        let base = loss_of(start.flat(), layout, &inputs, &targets);
        assert!(
            (f64::from(loss) - base).abs() < 1e-5 * base,
            "{loss} vs {base}"
        );
        let [average, latest] = step.networks();
        let mut checked = 0;
        for p in 0..layout.parameter_count() {
            let h = 1e-3f32;
            let mut plus = start.to_flat();
            plus[p] += h;
            let mut minus = start.to_flat();
            minus[p] -= h;
            let g = (loss_of(&plus, layout, &inputs, &targets)
                - loss_of(&minus, layout, &inputs, &targets))
                / (2.0 * f64::from(h));
            let moved = f64::from(latest.flat()[p] - start.flat()[p]);
            if g.abs() > 1e-4 {
                assert!(
                    moved * g < 0.0,
                    "parameter {p}: gradient {g}, moved {moved}"
                );
                assert!(
                    (moved.abs() - 1e-3).abs() < 1e-5,
                    "parameter {p} moved {moved}"
                );
                checked += 1;
            }
            // The average kept half of itself.
            let want = 0.5 * (start.flat()[p] + latest.flat()[p]);
            assert!((average.flat()[p] - want).abs() < 1e-7);
        }
        assert!(
            checked > layout.parameter_count() / 2,
            "only {checked} gradients checked"
        );
    }
}
