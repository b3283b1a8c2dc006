//! The network's parameters as plain numbers: what a trained model hands to the figures.
//!
//! One flat vector in [`MlpLayout`]'s order (each layer's weight, row-major `[fan_in, fan_out]` as
//! burn stores a linear layer, then its bias) beside the layout that reads it. The flat vector is
//! what crosses from the training worker to the page: one `Float32Array` (4,417 values for the
//! tutorial's 2 → 64 → 64 → 1).

use rand::{Rng, RngExt};

use crate::layout::MlpLayout;

#[derive(Debug, Clone, PartialEq)]
pub struct MlpWeights {
    layout: MlpLayout,
    flat: Vec<f32>,
}

/// A flat weight vector that does not fit its layout, or holds a non-finite value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("weights: {0}")]
pub struct WeightsError(String);

impl MlpWeights {
    /// Checked weights for `layout`: the right count, every value finite.
    pub fn from_flat(layout: MlpLayout, flat: &[f32]) -> Result<Self, WeightsError> {
        if !layout.is_valid() || flat.len() != layout.parameter_count() {
            return Err(WeightsError(format!(
                "{} values do not make a network of shape {}",
                flat.len(),
                layout.describe()
            )));
        }
        if let Some(i) = flat.iter().position(|v| !v.is_finite()) {
            return Err(WeightsError(format!("value {i} is {}", flat[i])));
        }
        Ok(Self::split(layout, flat.to_vec()))
    }

    /// The weights in `flat` (length `layout.parameter_count()`), finite or not: a diverged run's
    /// weights are read back as they are, and judged by whoever uses them.
    pub fn split(layout: MlpLayout, flat: Vec<f32>) -> Self {
        assert_eq!(
            flat.len(),
            layout.parameter_count(),
            "a flat network of shape {}",
            layout.describe()
        );
        Self { layout, flat }
    }

    /// A fresh network, initialised as PyTorch initialises a linear layer (weights and biases
    /// uniform in ±1/√fan_in), drawn in flat order from `rng`: a seed gives the same network on
    /// every backend and every training path.
    pub fn initial<R: Rng + ?Sized>(rng: &mut R, layout: MlpLayout) -> Self {
        let mut flat = Vec::with_capacity(layout.parameter_count());
        for layer in 0..layout.layers() {
            let bound = 1.0 / (layout.fan_in(layer) as f32).sqrt();
            let n = layout.weight(layer).len + layout.bias(layer).len;
            flat.extend((0..n).map(|_| rng.random_range(-bound..bound)));
        }
        Self::split(layout, flat)
    }

    pub fn layout(&self) -> MlpLayout {
        self.layout
    }

    pub fn hidden(&self) -> usize {
        self.layout.hidden
    }

    /// Every parameter, in flat order.
    pub fn flat(&self) -> &[f32] {
        &self.flat
    }

    pub fn to_flat(&self) -> Vec<f32> {
        self.flat.clone()
    }

    /// Linear layer `layer`'s weight, row-major `[fan_in, fan_out]`.
    pub fn weight(&self, layer: usize) -> &[f32] {
        &self.flat[self.layout.weight(layer).range()]
    }

    /// Linear layer `layer`'s bias, `[fan_out]`.
    pub fn bias(&self, layer: usize) -> &[f32] {
        &self.flat[self.layout.bias(layer).range()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;

    #[test]
    fn flat_round_trip_and_bad_lengths() {
        let net = MlpLayout::tutorial(3);
        let flat: Vec<f32> = (0..net.parameter_count()).map(|i| i as f32).collect();
        let w = MlpWeights::from_flat(net, &flat).unwrap();
        assert_eq!(w.weight(1).len(), 9);
        assert_eq!(w.bias(2), &[flat[flat.len() - 1]]);
        assert_eq!(w.weight(0), &flat[..6]);
        assert_eq!(w.to_flat(), flat);
        assert_eq!(MlpLayout::tutorial(64).parameter_count(), 4417);
        assert!(MlpWeights::from_flat(net, &flat[1..]).is_err());
        assert!(MlpWeights::from_flat(MlpLayout::tutorial(0), &[]).is_err());
        let mut bad = flat.clone();
        bad[4] = f32::NAN;
        assert!(MlpWeights::from_flat(net, &bad).is_err());
    }

    #[test]
    fn initial_weights_lie_within_each_layers_bound() {
        let net = MlpLayout::for_dimension(2, 16, 3);
        let w = MlpWeights::initial(&mut seeded_rng(4), net);
        for l in 0..net.layers() {
            let bound = 1.0 / (net.fan_in(l) as f32).sqrt();
            let values: Vec<f32> = w.weight(l).iter().chain(w.bias(l)).copied().collect();
            assert!(values.iter().all(|v| v.abs() <= bound), "layer {l}");
            // Uniform in ±bound: the largest magnitude is near the bound.
            let largest = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(largest > 0.8 * bound, "layer {l}: {largest} of {bound}");
        }
        assert_eq!(w, MlpWeights::initial(&mut seeded_rng(4), net));
    }
}
