//! The network's parameters as plain numbers: what a trained model hands to the figures.
//!
//! The flat layout (w1, b1, w2, b2, w3, b3, each row-major `[d_in, d_out]` as burn stores them;
//! [`MlpLayout`] says where each lies) is what crosses from the training worker to the page: one
//! `Float32Array` of 4,417 values for 64 units.

use crate::layout::MlpLayout;

#[derive(Debug, Clone, PartialEq)]
pub struct MlpWeights {
    pub hidden: usize,
    pub w1: Vec<f32>,
    pub b1: Vec<f32>,
    pub w2: Vec<f32>,
    pub b2: Vec<f32>,
    pub w3: Vec<f32>,
    pub b3: Vec<f32>,
}

/// A flat weight vector that does not fit any hidden width, or holds a non-finite value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("weights: {0}")]
pub struct WeightsError(String);

impl MlpWeights {
    /// The shape these weights are for: the tutorial's 2 → h → h → 1.
    pub const fn layout_for(hidden: usize) -> MlpLayout {
        MlpLayout::tutorial(hidden)
    }

    pub fn layout(&self) -> MlpLayout {
        Self::layout_for(self.hidden)
    }

    /// How many parameters a 2 → h → h → 1 network has.
    pub fn count(hidden: usize) -> usize {
        Self::layout_for(hidden).parameter_count()
    }

    /// The parameter blocks in [`MlpLayout::blocks`]'s order.
    fn blocks(&self) -> [&Vec<f32>; 6] {
        [&self.w1, &self.b1, &self.w2, &self.b2, &self.w3, &self.b3]
    }

    /// The parameters in flat order. Panics if a block's length does not fit the layout.
    pub fn to_flat(&self) -> Vec<f32> {
        let layout = self.layout();
        let mut flat = Vec::with_capacity(layout.parameter_count());
        for (values, span) in self.blocks().into_iter().zip(layout.blocks()) {
            assert_eq!(
                values.len(),
                span.len,
                "a block of a network of width {}",
                self.hidden
            );
            flat.extend_from_slice(values);
        }
        flat
    }

    pub fn from_flat(hidden: usize, flat: &[f32]) -> Result<Self, WeightsError> {
        if hidden == 0 || flat.len() != Self::count(hidden) {
            return Err(WeightsError(format!(
                "{} values do not make a network of hidden width {hidden}",
                flat.len()
            )));
        }
        if let Some(i) = flat.iter().position(|v| !v.is_finite()) {
            return Err(WeightsError(format!("value {i} is {}", flat[i])));
        }
        Ok(Self::split(hidden, flat))
    }

    /// The layers of `flat` (length [`Self::count`]`(hidden)`), finite or not: a diverged run's
    /// weights are read back as they are, and judged by whoever uses them.
    pub fn split(hidden: usize, flat: &[f32]) -> Self {
        assert_eq!(
            flat.len(),
            Self::count(hidden),
            "a flat network of width {hidden}"
        );
        let layout = Self::layout_for(hidden);
        let mut blocks = layout.blocks().map(|span| flat[span.range()].to_vec());
        let mut take = || blocks.next().expect("six blocks");
        Self {
            hidden,
            w1: take(),
            b1: take(),
            w2: take(),
            b2: take(),
            w3: take(),
            b3: take(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_round_trip_and_bad_lengths() {
        let h = 3;
        let flat: Vec<f32> = (0..MlpWeights::count(h)).map(|i| i as f32).collect();
        let w = MlpWeights::from_flat(h, &flat).unwrap();
        assert_eq!(w.w2.len(), 9);
        assert_eq!(w.b3, vec![flat[flat.len() - 1]]);
        assert_eq!(w.to_flat(), flat);
        assert_eq!(MlpWeights::count(64), 4417);
        assert!(MlpWeights::from_flat(h, &flat[1..]).is_err());
        assert!(MlpWeights::from_flat(0, &[]).is_err());
        let mut bad = flat.clone();
        bad[4] = f32::NAN;
        assert!(MlpWeights::from_flat(h, &bad).is_err());
    }
}
