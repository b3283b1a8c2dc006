//! What every velocity field offers, whether exact, binned from paths, or learned by the network.
//! Solvers and figures depend only on this, so they never care which field they integrate or draw.

pub trait VelocityField {
    /// Writes u(x, t) for every x in `xs` into `out` (same length); one shared time per call because
    /// every solver and every figure column evaluates a whole batch at the same t.
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]);

    /// Convenience for a single point.
    fn velocity_at(&self, t: f64, x: f64) -> f64 {
        let mut out = [0.0];
        self.velocity(t, &[x], &mut out);
        out[0]
    }

    /// The field sampled on a grid: `times` columns × `xs` rows, returned column by column
    /// (all x for the first time, then the next), which is how heatmaps are drawn.
    fn grid(&self, times: &[f64], xs: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; times.len() * xs.len()];
        for (column, &t) in out.chunks_mut(xs.len().max(1)).zip(times) {
            self.velocity(t, xs, column);
        }
        out
    }
}

/// `n` evenly spaced points from `a` to `b` inclusive, like numpy's linspace.
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    match n {
        0 => vec![],
        1 => vec![a],
        _ => (0..n)
            .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// Centres of `bins` equal bins on [lo, hi].
pub fn bin_centres(lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let width = (hi - lo) / bins as f64;
    (0..bins).map(|i| lo + (i as f64 + 0.5) * width).collect()
}

/// The same query in f32 for the samplers, which carry 100k points at the network's own precision.
pub trait FieldF32 {
    fn velocities(&self, t: f32, xs: &[f32], out: &mut [f32]);
}

/// A field that also knows its slope ∂u/∂x: the change of variables along a path needs it
/// (d/dt log p_t(x_t) = −∂ₓu(x_t, t)), and so does every likelihood.
pub trait SlopeField: VelocityField {
    fn velocity_and_slope(&self, t: f64, xs: &[f64], velocity: &mut [f64], slope: &mut [f64]);
}
