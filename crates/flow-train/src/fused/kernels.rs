//! The fused kernels, in CubeCL: a training step in two dispatches, and a sampler that runs several
//! solver steps per dispatch.
//!
//! The network is small (2 → H → H → 1) and its batch is small, so a step through burn's generic
//! operations costs dozens of launches and almost no arithmetic. Here one unit of work is a whole
//! sample (forward and backward, in registers) or a whole parameter (its gradient summed over the
//! batch, then Adam and the weight average), so a step is two launches whatever H is.
//!
//! Parameters live in one flat buffer in `MlpWeights::to_flat` order: w1 `[2, H]` (row-major, input
//! by unit), b1 `[H]`, w2 `[H, H]`, b2 `[H]`, w3 `[H]`, b3 `[1]`. Every offset, into that buffer and
//! into the per-sample records, comes from flow-core's [`MlpLayout`], which each kernel takes as a
//! compile-time value: `comptime!` evaluates the layout's `const fn`s while the kernel is expanded,
//! so the compiled kernel holds plain constants. [`backprop_samples`], [`adam_update`] and the
//! sampler compute the tutorial's shape (inputs t and x, two hidden layers, one output) with a
//! sample's values in registers ([`in_registers`], [`check_layout`]); [`backprop_any`] and
//! [`adam_any`] compute any network of the family with them in the sample's record.

// The launch functions CubeCL generates take every argument of their kernel; a kernel copies
// between buffers element by element (CubeCL has no `copy_from_slice`).
#![allow(clippy::too_many_arguments, clippy::manual_memcpy)]

use burn::cubecl;
use burn::cubecl::prelude::*;
use flow_core::MlpLayout;
use flow_core::gelu::{ALPHA, BETA, ERF_CLAMP, FRAC_1_SQRT_2PI};

/// Whether [`backprop_samples`] and [`adam_update`] (values in registers) take `layout`; every
/// other valid layout trains with [`backprop_any`] and [`adam_any`] (values in the record).
pub fn in_registers(layout: MlpLayout) -> bool {
    (layout.inputs, layout.depth, layout.outputs) == (2, 2, 1)
        && layout.hidden <= crate::MAX_FUSED_HIDDEN
}

/// The layout of `hidden` units that the register kernels take (the sampler's), checked to be the shape they compute.
pub fn check_layout(layout: MlpLayout) -> MlpLayout {
    assert!(
        layout.is_valid() && (layout.inputs, layout.depth, layout.outputs) == (2, 2, 1),
        "the fused kernels compute a 2 → H → H → 1 network, not {layout:?}"
    );
    layout
}

/// erf by flow-core's rational approximation ([`flow_core::gelu::erf`], with its coefficients),
/// so that the GPU and the CPU compute the same GELU.
#[cube]
fn erf(x: f32) -> f32 {
    let x = f32::clamp(x, -ERF_CLAMP, ERF_CLAMP);
    let x2 = x * x;
    // Horner's rule, written out (a CubeCL local first bound to a constant stays a constant).
    let p = (((((comptime!(ALPHA[0]) * x2 + comptime!(ALPHA[1])) * x2 + comptime!(ALPHA[2]))
        * x2
        + comptime!(ALPHA[3]))
        * x2
        + comptime!(ALPHA[4]))
        * x2
        + comptime!(ALPHA[5]))
        * x2
        + comptime!(ALPHA[6]);
    let q = (((comptime!(BETA[0]) * x2 + comptime!(BETA[1])) * x2 + comptime!(BETA[2])) * x2
        + comptime!(BETA[3]))
        * x2
        + comptime!(BETA[4]);
    x * p / q
}

/// Φ(z), the standard normal CDF: GELU(z) = z·Φ(z).
#[cube]
fn normal_cdf(z: f32) -> f32 {
    0.5 * (1.0 + erf(z * comptime!(std::f32::consts::FRAC_1_SQRT_2)))
}

/// GELU′(z) = Φ(z) + z·φ(z): the exact derivative, as PyTorch and burn's CPU backend use (burn's GPU
/// backend differentiates the tanh approximation instead).
#[cube]
fn gelu_slope(z: f32) -> f32 {
    let density = (z * z * -0.5f32).exp() * FRAC_1_SQRT_2PI;
    normal_cdf(z) + z * density
}

/// The network's velocity at (t, x); `h1` is scratch for the first hidden layer, allocated once
/// per unit by the caller.
#[cube]
fn velocity(
    params: &[f32],
    h1: &mut Array<f32>,
    t: f32,
    x: f32,
    #[comptime] layout: MlpLayout,
) -> f32 {
    let hidden = comptime!(layout.hidden);
    let w1 = comptime!(layout.weight(0).offset);
    let b1 = comptime!(layout.bias(0).offset);
    let w2 = comptime!(layout.weight(1).offset);
    let b2 = comptime!(layout.bias(1).offset);
    let w3 = comptime!(layout.weight(2).offset);
    let b3 = comptime!(layout.bias(2).offset);
    for j in 0..hidden {
        let z = params[w1 + j] * t + params[w1 + hidden + j] * x + params[b1 + j];
        h1[j] = z * normal_cdf(z);
    }
    let mut out = params[b3];
    for k in 0..hidden {
        let mut z = params[b2 + k];
        for j in 0..hidden {
            z += h1[j] * params[w2 + j * hidden + k];
        }
        out += params[w3 + k] * z * normal_cdf(z);
    }
    out
}

/// Forward and backward for one sample per unit: writes the sample's record
/// ([`MlpLayout::record`]: `[t, x, 1, h1, h2, dz1, dz2, dloss/dout, squared error]`).
/// `rows` holds batches of (t, x, target) triples; this step's batch starts at row `first`.
/// `dloss_scale` is 2/n, the derivative of the mean squared error with respect to each output.
/// Each parameter's gradient is then Σ over samples of one record entry times another
/// ([`MlpLayout::gradient_factors`]), which keeps the second kernel one loop for every parameter.
#[cube(launch)]
pub fn backprop_samples(
    params: &[f32],
    rows: &[f32],
    records: &mut [f32],
    first: usize,
    n: usize,
    dloss_scale: f32,
    #[comptime] layout: MlpLayout,
) {
    let s = ABSOLUTE_POS;
    if s >= n {
        terminate!();
    }
    let hidden = comptime!(layout.hidden);
    let w1 = comptime!(layout.weight(0).offset);
    let b1 = comptime!(layout.bias(0).offset);
    let w2 = comptime!(layout.weight(1).offset);
    let b2 = comptime!(layout.bias(1).offset);
    let w3 = comptime!(layout.weight(2).offset);
    let b3 = comptime!(layout.bias(2).offset);
    let row_len = comptime!(layout.inputs + layout.outputs);
    let record_len = comptime!(layout.record().length());
    let one_at = comptime!(layout.record().one());
    let h1_at = comptime!(layout.record().activation(0).offset);
    let h2_at = comptime!(layout.record().activation(1).offset);
    let dz1_at = comptime!(layout.record().delta(0).offset);
    let dz2_at = comptime!(layout.record().delta(1).offset);
    let dout_at = comptime!(layout.record().output_delta().offset);
    let error_at = comptime!(layout.record().squared_error());

    let row = (first + s) * row_len;
    let t = rows[row];
    let x = rows[row + 1];
    let target = rows[row + 2];

    let rec = s * record_len;
    records[rec] = t;
    records[rec + 1] = x;
    records[rec + one_at] = 1.0;

    let mut z1 = Array::<f32>::new(hidden);
    let mut h1 = Array::<f32>::new(hidden);
    for j in 0..hidden {
        let z = params[w1 + j] * t + params[w1 + hidden + j] * x + params[b1 + j];
        let h = z * normal_cdf(z);
        z1[j] = z;
        h1[j] = h;
        records[rec + h1_at + j] = h;
    }
    let mut z2 = Array::<f32>::new(hidden);
    let mut out = params[b3];
    for k in 0..hidden {
        let mut z = params[b2 + k];
        for j in 0..hidden {
            z += h1[j] * params[w2 + j * hidden + k];
        }
        z2[k] = z;
        let h = z * normal_cdf(z);
        records[rec + h2_at + k] = h;
        out += params[w3 + k] * h;
    }
    let error = out - target;
    let dout = dloss_scale * error;
    records[rec + dout_at] = dout;
    records[rec + error_at] = error * error;

    let mut dz2 = Array::<f32>::new(hidden);
    for k in 0..hidden {
        let d = dout * params[w3 + k] * gelu_slope(z2[k]);
        dz2[k] = d;
        records[rec + dz2_at + k] = d;
    }
    for j in 0..hidden {
        let mut dh = 0.0f32;
        for k in 0..hidden {
            dh += dz2[k] * params[w2 + j * hidden + k];
        }
        records[rec + dz1_at + j] = dh * gelu_slope(z1[j]);
    }
}

/// The scalars of one Adam step, computed on the host as burn computes them.
#[derive(CubeType, CubeLaunch, Clone, Copy)]
pub struct AdamScalars {
    pub learning_rate: f32,
    pub beta1: f32,
    pub beta2: f32,
    /// √(1 − β₂ᵗ) / (1 − β₁ᵗ)
    pub step_scale: f32,
    /// ε·√(1 − β₂ᵗ)
    pub epsilon_scaled: f32,
    /// How much of the weight average to keep.
    pub keep: f32,
}

/// One unit per parameter: its gradient (Σ over the batch of two record entries), then Adam (burn's
/// formulation: the bias corrections folded into `step_scale` and `epsilon_scaled`), then the weight
/// average. The unit after the last parameter writes the batch's mean loss into `losses[slot]`.
#[cube(launch)]
pub fn adam_update(
    params: &mut [f32],
    moment1: &mut [f32],
    moment2: &mut [f32],
    average: &mut [f32],
    records: &[f32],
    losses: &mut [f32],
    n: usize,
    slot: usize,
    adam: AdamScalars,
    #[comptime] layout: MlpLayout,
) {
    let p = ABSOLUTE_POS;
    let count = comptime!(layout.parameter_count());
    let len = comptime!(layout.record().length());
    let error_at = comptime!(layout.record().squared_error());
    if p > count {
        terminate!();
    }
    if p == count {
        let mut total = 0.0f32;
        for s in 0..n {
            total += records[s * len + error_at];
        }
        losses[slot] = total / f32::cast_from(n as u32);
        terminate!();
    }
    // Which two entries of a record make this parameter's gradient (as
    // `MlpLayout::gradient_factors` computes them): within linear layer l, at q = p − its first
    // parameter, a weight (i, j) = (q / fan_out, q % fan_out) pairs the layer's input i with its
    // delta j; a bias pairs the constant 1 with its delta q % fan_out (the weight before it holds
    // a multiple of fan_out numbers).
    let one = comptime!(layout.record().one());
    let start0 = comptime!(layout.weight(0).offset);
    let weights0 = comptime!(layout.weight(0).end());
    let fan_out0 = comptime!(layout.fan_out(0));
    let input0 = comptime!(layout.record().layer_input(0).offset);
    let delta0 = comptime!(layout.record().layer_delta(0).offset);
    let start1 = comptime!(layout.weight(1).offset);
    let weights1 = comptime!(layout.weight(1).end());
    let fan_out1 = comptime!(layout.fan_out(1));
    let input1 = comptime!(layout.record().layer_input(1).offset);
    let delta1 = comptime!(layout.record().layer_delta(1).offset);
    let start2 = comptime!(layout.weight(2).offset);
    let weights2 = comptime!(layout.weight(2).end());
    let fan_out2 = comptime!(layout.fan_out(2));
    let input2 = comptime!(layout.record().layer_input(2).offset);
    let delta2 = comptime!(layout.record().layer_delta(2).offset);
    let a = if p < weights0 {
        input0 + (p - start0) / fan_out0
    } else if p < start1 {
        one
    } else if p < weights1 {
        input1 + (p - start1) / fan_out1
    } else if p < start2 {
        one
    } else if p < weights2 {
        input2 + (p - start2) / fan_out2
    } else {
        one
    };
    let d = if p < start1 {
        delta0 + (p - start0) % fan_out0
    } else if p < start2 {
        delta1 + (p - start1) % fan_out1
    } else {
        delta2 + (p - start2) % fan_out2
    };
    let mut g = 0.0f32;
    for s in 0..n {
        g += records[s * len + a] * records[s * len + d];
    }

    let m = adam.beta1 * moment1[p] + (1.0 - adam.beta1) * g;
    let v = adam.beta2 * moment2[p] + (1.0 - adam.beta2) * (g * g);
    moment1[p] = m;
    moment2[p] = v;
    let update = m * adam.step_scale / (f32::sqrt(v) + adam.epsilon_scaled);
    let w = params[p] - adam.learning_rate * update;
    params[p] = w;
    average[p] = adam.keep * average[p] + (1.0 - adam.keep) * w;
}

/// `steps` solver steps of size `dt` from time `t0` for every sample, one unit per sample, in one
/// launch. `tableau` is an explicit Runge–Kutta method whose stage matrix has only a subdiagonal
/// (true of Euler, midpoint, Heun and RK4): `[c (stages), a (stages; a[s] = A[s][s − 1]), b (stages)]`.
#[cube(launch)]
pub fn integrate(
    params: &[f32],
    xs: &mut [f32],
    tableau: &[f32],
    n: usize,
    t0: f32,
    dt: f32,
    steps: u32,
    #[comptime] stages: usize,
    #[comptime] layout: MlpLayout,
) {
    let s = ABSOLUTE_POS;
    if s >= n {
        terminate!();
    }
    let mut x = xs[s];
    let mut h1 = Array::<f32>::new(comptime!(layout.hidden));
    for i in 0..steps {
        let t = t0 + f32::cast_from(i) * dt;
        let mut slope = f32::new(0.0);
        let mut step = f32::new(0.0);
        // One call site of the network per stage loop: the kernel stays small.
        #[unroll]
        for stage in 0..stages {
            let probe = x + dt * tableau[stages + stage] * slope;
            slope = velocity(params, &mut h1, t + tableau[stage] * dt, probe, layout);
            step += tableau[2 * stages + stage] * slope;
        }
        x += dt * step;
    }
    xs[s] = x;
}

/// Hidden layer `l` of one sample, for [`backprop_any`]: reads the layer's input from the record,
/// writes GELU of each pre-activation into its activations and GELU′ into its delta slots (which
/// the backward pass multiplies in place). Every offset comes from the layout at compile time.
#[cube]
fn hidden_layer(
    params: &[f32],
    records: &mut [f32],
    rec: usize,
    #[comptime] layout: MlpLayout,
    #[comptime] l: usize,
) {
    let w = comptime!(layout.weight(l).offset);
    let b = comptime!(layout.bias(l).offset);
    let fan_in = comptime!(layout.fan_in(l));
    let fan_out = comptime!(layout.fan_out(l));
    let input_at = comptime!(layout.record().layer_input(l).offset);
    let out_at = comptime!(layout.record().activation(l).offset);
    let slope_at = comptime!(layout.record().delta(l).offset);
    for j in 0..fan_out {
        let mut z = params[b + j];
        for i in 0..fan_in {
            z += records[rec + input_at + i] * params[w + i * fan_out + j];
        }
        records[rec + out_at + j] = z * normal_cdf(z);
        records[rec + slope_at + j] = gelu_slope(z);
    }
}

/// The delta of hidden layer `l` of one sample, for [`backprop_any`]: (the next layer's delta ·
/// the next layer's Wᵀ) ⊙ GELU′, the slope already waiting in the delta slots.
#[cube]
fn hidden_delta(
    params: &[f32],
    records: &mut [f32],
    rec: usize,
    #[comptime] layout: MlpLayout,
    #[comptime] l: usize,
) {
    let w = comptime!(layout.weight(l + 1).offset);
    let fan_in = comptime!(layout.fan_in(l + 1));
    let fan_out = comptime!(layout.fan_out(l + 1));
    let next_at = comptime!(layout.record().layer_delta(l + 1).offset);
    let delta_at = comptime!(layout.record().delta(l).offset);
    for i in 0..fan_in {
        let mut d = 0.0f32;
        for j in 0..fan_out {
            d += records[rec + next_at + j] * params[w + i * fan_out + j];
        }
        records[rec + delta_at + i] *= d;
    }
}

/// As [`backprop_samples`], for any network of the family (input 1 + D, output D, 1 to 4 hidden
/// layers): one unit per sample, but every layer's values go through the sample's record in memory
/// rather than registers, so that the width has no register limit and the depth is a compile-time
/// choice of layers. The layers are written out to four, each under a compile-time condition.
#[cube(launch)]
pub fn backprop_any(
    params: &[f32],
    rows: &[f32],
    records: &mut [f32],
    first: usize,
    n: usize,
    dloss_scale: f32,
    #[comptime] layout: MlpLayout,
) {
    let s = ABSOLUTE_POS;
    if s >= n {
        terminate!();
    }
    let row_len = comptime!(layout.inputs + layout.outputs);
    let rec = s * comptime!(layout.record().length());
    let row = (first + s) * row_len;
    for i in 0..comptime!(layout.inputs) {
        records[rec + i] = rows[row + i];
    }
    records[rec + comptime!(layout.record().one())] = 1.0;

    if comptime!(layout.depth >= 1) {
        hidden_layer(params, records, rec, layout, comptime!(0usize));
    }
    if comptime!(layout.depth >= 2) {
        hidden_layer(params, records, rec, layout, comptime!(1usize));
    }
    if comptime!(layout.depth >= 3) {
        hidden_layer(params, records, rec, layout, comptime!(2usize));
    }
    if comptime!(layout.depth >= 4) {
        hidden_layer(params, records, rec, layout, comptime!(3usize));
    }

    // The output layer: its values against the targets, the loss's derivative by each.
    let w_out = comptime!(layout.weight(layout.depth).offset);
    let b_out = comptime!(layout.bias(layout.depth).offset);
    let fan_in_out = comptime!(layout.fan_in(layout.depth));
    let outputs = comptime!(layout.outputs);
    let in_at = comptime!(layout.record().layer_input(layout.depth).offset);
    let dout_at = comptime!(layout.record().output_delta().offset);
    let targets_at = comptime!(layout.inputs);
    let mut squared = 0.0f32;
    for o in 0..outputs {
        let mut z = params[b_out + o];
        for i in 0..fan_in_out {
            z += records[rec + in_at + i] * params[w_out + i * outputs + o];
        }
        let error = z - rows[row + targets_at + o];
        records[rec + dout_at + o] = dloss_scale * error;
        squared += error * error;
    }
    records[rec + comptime!(layout.record().squared_error())] = squared;

    // Back through the hidden layers, last first: layer l's delta from layer l + 1's.
    if comptime!(layout.depth >= 4) {
        hidden_delta(params, records, rec, layout, comptime!(3usize));
    }
    if comptime!(layout.depth >= 3) {
        hidden_delta(params, records, rec, layout, comptime!(2usize));
    }
    if comptime!(layout.depth >= 2) {
        hidden_delta(params, records, rec, layout, comptime!(1usize));
    }
    if comptime!(layout.depth >= 1) {
        hidden_delta(params, records, rec, layout, comptime!(0usize));
    }
}

/// As [`adam_update`], for any network of the family: each parameter's two gradient factors are
/// read from `factors` (`MlpLayout::gradient_factors`, computed on the host: two record indices per
/// parameter), and the loss is the mean over the batch's n·D numbers.
#[cube(launch)]
pub fn adam_any(
    params: &mut [f32],
    moment1: &mut [f32],
    moment2: &mut [f32],
    average: &mut [f32],
    records: &[f32],
    factors: &[u32],
    losses: &mut [f32],
    n: usize,
    slot: usize,
    adam: AdamScalars,
    #[comptime] layout: MlpLayout,
) {
    let p = ABSOLUTE_POS;
    let count = comptime!(layout.parameter_count());
    let len = comptime!(layout.record().length());
    let error_at = comptime!(layout.record().squared_error());
    if p > count {
        terminate!();
    }
    if p == count {
        let mut total = 0.0f32;
        for s in 0..n {
            total += records[s * len + error_at];
        }
        losses[slot] = total / f32::cast_from((n * comptime!(layout.outputs)) as u32);
        terminate!();
    }
    let a = factors[2 * p] as usize;
    let d = factors[2 * p + 1] as usize;
    let mut g = 0.0f32;
    for s in 0..n {
        g += records[s * len + a] * records[s * len + d];
    }
    let m = adam.beta1 * moment1[p] + (1.0 - adam.beta1) * g;
    let v = adam.beta2 * moment2[p] + (1.0 - adam.beta2) * (g * g);
    moment1[p] = m;
    moment2[p] = v;
    let update = m * adam.step_scale / (f32::sqrt(v) + adam.epsilon_scaled);
    let w = params[p] - adam.learning_rate * update;
    params[p] = w;
    average[p] = adam.keep * average[p] + (1.0 - adam.keep) * w;
}
