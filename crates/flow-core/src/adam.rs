//! Adam's constants, shared by burn's optimizer (the generic step) and the fused steps (CPU and GPU).

/// What configures an Adam step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConstants {
    pub learning_rate: f64,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
}

/// PyTorch's Adam defaults, which the tutorial used (burn's own epsilon default is 1e-5), at a
/// learning rate of `learning_rate`.
pub fn pytorch_adam(learning_rate: f64) -> AdamConstants {
    AdamConstants {
        learning_rate,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
    }
}
