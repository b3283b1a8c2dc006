//! The fused kernels, in CubeCL: a training step in two dispatches, and a sampler that runs several
//! solver steps per dispatch.
//!
//! The network is small (2 → H → H → 1) and its batch is small, so a step through burn's generic
//! operations costs dozens of launches and almost no arithmetic. Here one unit of work is a whole
//! sample (forward and backward, in registers) or a whole parameter (its gradient summed over the
//! batch, then Adam and the weight average), so a step is two launches whatever H is.
//!
//! Parameters live in one flat buffer in `MlpWeights::to_flat` order: w1 `[2, H]` (row-major, input
//! by unit), b1 `[H]`, w2 `[H, H]`, b2 `[H]`, w3 `[H]`, b3 `[1]`.

// The launch functions CubeCL generates take every argument of their kernel.
#![allow(clippy::too_many_arguments)]

use burn::cubecl;
use burn::cubecl::prelude::*;

/// One row of the per-sample record the first kernel writes and the second reads:
/// `[t, x, 1, h1 (H), h2 (H), dz1 (H), dz2 (H), dloss/dout, squared error]`.
/// Each parameter's gradient is then Σ over samples of one entry times another (the constant 1
/// stands in for a bias's input), which keeps the second kernel one loop for every parameter.
pub const fn record_len(hidden: usize) -> usize {
    4 * hidden + 5
}

/// erf by the rational approximation flow-core's CPU field uses (Eigen's and XLA's coefficients,
/// clamped where erf is ±1 in f32), so that the GPU and the CPU compute the same GELU.
#[cube]
fn erf(x: f32) -> f32 {
    let x = f32::clamp(x, -4.0, 4.0);
    let x2 = x * x;
    // Horner's rule, written out (a CubeCL local first bound to a literal stays a constant).
    let p = (((((-2.726_142_3e-10f32 * x2 + 2.770_681_4e-8) * x2 - 2.101_024e-6) * x2
        - 5.692_506_4e-5)
        * x2
        - 7.349_906_3e-4)
        * x2
        - 2.954_600_2e-3)
        * x2
        - 1.609_603_3e-2;
    let q = (((-1.456_607_2e-5f32 * x2 - 2.133_740_6e-4) * x2 - 1.682_827e-3) * x2 - 7.373_329e-3)
        * x2
        - 1.426_474e-2;
    x * p / q
}

/// Φ(z), the standard normal CDF: GELU(z) = z·Φ(z).
#[cube]
fn normal_cdf(z: f32) -> f32 {
    0.5 * (1.0 + erf(z * 0.707_106_77))
}

/// GELU′(z) = Φ(z) + z·φ(z): the exact derivative, as PyTorch and burn's CPU backend use (burn's GPU
/// backend differentiates the tanh approximation instead).
#[cube]
fn gelu_slope(z: f32) -> f32 {
    let density = (z * z * -0.5f32).exp() * 0.398_942_3f32;
    normal_cdf(z) + z * density
}

/// The network's velocity at (t, x); `h1` is scratch for the first hidden layer, allocated once
/// per unit by the caller.
#[cube]
fn velocity(params: &[f32], h1: &mut Array<f32>, t: f32, x: f32, #[comptime] hidden: usize) -> f32 {
    let b1 = 2 * hidden;
    let w2 = 3 * hidden;
    let b2 = w2 + hidden * hidden;
    let w3 = b2 + hidden;
    let b3 = w3 + hidden;
    for j in 0..hidden {
        let z = params[j] * t + params[hidden + j] * x + params[b1 + j];
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

/// Forward and backward for one sample per unit: writes the sample's record (see [`record_len`]).
/// `rows` holds batches of (t, x, target) triples; this step's batch starts at row `first`.
/// `dloss_scale` is 2/n, the derivative of the mean squared error with respect to each output.
#[cube(launch)]
pub fn backprop_samples(
    params: &[f32],
    rows: &[f32],
    records: &mut [f32],
    first: usize,
    n: usize,
    dloss_scale: f32,
    #[comptime] hidden: usize,
) {
    let s = ABSOLUTE_POS;
    if s >= n {
        terminate!();
    }
    let b1 = 2 * hidden;
    let w2 = 3 * hidden;
    let b2 = w2 + hidden * hidden;
    let w3 = b2 + hidden;
    let b3 = w3 + hidden;

    let row = (first + s) * 3;
    let t = rows[row];
    let x = rows[row + 1];
    let target = rows[row + 2];

    let rec = s * (4 * hidden + 5);
    let h1_at = rec + 3;
    let h2_at = h1_at + hidden;
    let dz1_at = h2_at + hidden;
    let dz2_at = dz1_at + hidden;
    let dout_at = dz2_at + hidden;
    records[rec] = t;
    records[rec + 1] = x;
    records[rec + 2] = 1.0;

    let mut z1 = Array::<f32>::new(hidden);
    let mut h1 = Array::<f32>::new(hidden);
    for j in 0..hidden {
        let z = params[j] * t + params[hidden + j] * x + params[b1 + j];
        let h = z * normal_cdf(z);
        z1[j] = z;
        h1[j] = h;
        records[h1_at + j] = h;
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
        records[h2_at + k] = h;
        out += params[w3 + k] * h;
    }
    let error = out - target;
    let dout = dloss_scale * error;
    records[dout_at] = dout;
    records[dout_at + 1] = error * error;

    let mut dz2 = Array::<f32>::new(hidden);
    for k in 0..hidden {
        let d = dout * params[w3 + k] * gelu_slope(z2[k]);
        dz2[k] = d;
        records[dz2_at + k] = d;
    }
    for j in 0..hidden {
        let mut dh = 0.0f32;
        for k in 0..hidden {
            dh += dz2[k] * params[w2 + j * hidden + k];
        }
        records[dz1_at + j] = dh * gelu_slope(z1[j]);
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
    #[comptime] hidden: usize,
) {
    let p = ABSOLUTE_POS;
    let count = hidden * hidden + 5 * hidden + 1;
    let len = 4 * hidden + 5;
    if p > count {
        terminate!();
    }
    if p == count {
        let mut total = 0.0f32;
        for s in 0..n {
            total += records[s * len + len - 1];
        }
        losses[slot] = total / f32::cast_from(n as u32);
        terminate!();
    }
    // Which two entries of a record make this parameter's gradient.
    let h = hidden;
    let h1 = 3;
    let h2 = 3 + h;
    let dz1 = 3 + 2 * h;
    let dz2 = 3 + 3 * h;
    let dout = 3 + 4 * h;
    let a = if p < 2 * h {
        p / h
    } else if p < 3 * h + h * h && p >= 3 * h {
        h1 + (p - 3 * h) / h
    } else if p < 5 * h + h * h && p >= 4 * h + h * h {
        h2 + (p - 4 * h - h * h)
    } else {
        2usize // the constant 1: a bias
    };
    let d = if p < 3 * h {
        dz1 + p % h
    } else if p < 4 * h + h * h {
        dz2 + (p - 3 * h) % h
    } else {
        dout
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
    #[comptime] hidden: usize,
) {
    let s = ABSOLUTE_POS;
    if s >= n {
        terminate!();
    }
    let mut x = xs[s];
    let mut h1 = Array::<f32>::new(hidden);
    for i in 0..steps {
        let t = t0 + f32::cast_from(i) * dt;
        let mut slope = f32::new(0.0);
        let mut step = f32::new(0.0);
        // One call site of the network per stage loop: the kernel stays small.
        #[unroll]
        for stage in 0..stages {
            let probe = x + dt * tableau[stages + stage] * slope;
            slope = velocity(params, &mut h1, t + tableau[stage] * dt, probe, hidden);
            step += tableau[2 * stages + stage] * slope;
        }
        x += dt * step;
    }
    xs[s] = x;
}
