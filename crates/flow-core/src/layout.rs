//! The network's shape, and where each of its numbers lives: the one place that knows the flat
//! parameter order and the fused training step's per-sample record.
//!
//! A network of this family takes `inputs` numbers (the time t and a point x of dimension D, so
//! 1 + D), has `depth` hidden layers of `hidden` GELU units, and returns `outputs` numbers (a
//! velocity, D). The tutorial's network is inputs 2, depth 2, outputs 1.
//!
//! Parameters are flat, layer after layer, each layer's weight (row-major `[fan_in, fan_out]`, as
//! burn stores a linear layer) then its bias `[fan_out]`. For the tutorial's shape that is
//! w1 `[2, H]`, b1 `[H]`, w2 `[H, H]`, b2 `[H]`, w3 `[H, 1]`, b3 `[1]`: H² + 5H + 1 numbers.
//!
//! Everything here is `const fn`, so the CubeCL kernels can take a layout as a compile-time value
//! and compute their offsets from it while the kernel is expanded.

use std::ops::Range;

/// A contiguous run of a flat vector: `len` numbers from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    /// One past the last index.
    pub const fn end(self) -> usize {
        self.offset + self.len
    }

    pub const fn range(self) -> Range<usize> {
        self.offset..self.end()
    }
}

/// The shape of a fully connected GELU network: `inputs` → `hidden` (× `depth` layers) → `outputs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MlpLayout {
    pub inputs: usize,
    pub hidden: usize,
    /// How many hidden layers (at least 1); the network has `depth + 1` linear layers.
    pub depth: usize,
    pub outputs: usize,
}

impl MlpLayout {
    /// The tutorial's network: input [t, x], two hidden layers of `hidden` units, one output.
    pub const fn tutorial(hidden: usize) -> Self {
        Self::for_dimension(1, hidden, 2)
    }

    /// The velocity network for points of dimension `dimension`: input [t, x] (1 + D numbers),
    /// `depth` hidden layers of `hidden` units, output the velocity (D numbers).
    pub const fn for_dimension(dimension: usize, hidden: usize, depth: usize) -> Self {
        Self {
            inputs: 1 + dimension,
            hidden,
            depth,
            outputs: dimension,
        }
    }

    /// The shape as a reader writes it: "2 → 64 × 2 → 1" (inputs → width × hidden layers → outputs).
    pub fn describe(self) -> String {
        format!(
            "{} → {} × {} → {}",
            self.inputs, self.hidden, self.depth, self.outputs
        )
    }

    /// The widest layer: what a buffer of one layer's values per sample must hold.
    pub const fn widest(self) -> usize {
        let mut w = self.hidden;
        if self.inputs > w {
            w = self.inputs;
        }
        if self.outputs > w {
            w = self.outputs;
        }
        w
    }

    /// Whether every size is at least one (a shape a network can have).
    pub const fn is_valid(self) -> bool {
        self.inputs >= 1 && self.hidden >= 1 && self.depth >= 1 && self.outputs >= 1
    }

    /// Linear layers, hidden ones and the output one: `depth + 1`.
    pub const fn layers(self) -> usize {
        self.depth + 1
    }

    /// How many numbers linear layer `layer` (0-based) reads.
    pub const fn fan_in(self, layer: usize) -> usize {
        assert!(layer <= self.depth, "no such layer");
        if layer == 0 { self.inputs } else { self.hidden }
    }

    /// How many numbers linear layer `layer` (0-based) writes.
    pub const fn fan_out(self, layer: usize) -> usize {
        assert!(layer <= self.depth, "no such layer");
        if layer == self.depth {
            self.outputs
        } else {
            self.hidden
        }
    }

    /// Parameters of linear layer `layer`, weight and bias.
    const fn layer_len(self, layer: usize) -> usize {
        (self.fan_in(layer) + 1) * self.fan_out(layer)
    }

    /// Where linear layer `layer`'s parameters start (its weight, then its bias).
    const fn layer_offset(self, layer: usize) -> usize {
        let mut offset = 0;
        let mut l = 0;
        while l < layer {
            offset += self.layer_len(l);
            l += 1;
        }
        offset
    }

    /// Linear layer `layer`'s weight, row-major `[fan_in, fan_out]`: entry (i, j) is at
    /// `offset + i·fan_out + j`.
    pub const fn weight(self, layer: usize) -> Span {
        Span {
            offset: self.layer_offset(layer),
            len: self.fan_in(layer) * self.fan_out(layer),
        }
    }

    /// Linear layer `layer`'s bias, `[fan_out]`, right after its weight.
    pub const fn bias(self, layer: usize) -> Span {
        Span {
            offset: self.weight(layer).end(),
            len: self.fan_out(layer),
        }
    }

    /// How many parameters the network has (H² + 5H + 1 for the tutorial's shape).
    pub const fn parameter_count(self) -> usize {
        self.layer_offset(self.layers())
    }

    /// Every parameter block in flat order: weight 0, bias 0, weight 1, …
    pub fn blocks(self) -> impl Iterator<Item = Span> {
        (0..self.layers()).flat_map(move |l| [self.weight(l), self.bias(l)])
    }

    /// The linear layer parameter `p` belongs to.
    pub const fn layer_of(self, p: usize) -> usize {
        assert!(p < self.parameter_count(), "no such parameter");
        let mut l = 0;
        while p >= self.bias(l).end() {
            l += 1;
        }
        l
    }

    /// The fused training step's per-sample record for this shape.
    pub const fn record(self) -> RecordLayout {
        RecordLayout { net: self }
    }

    /// The two record entries whose product, summed over a batch, is parameter `p`'s gradient of
    /// the loss: (what the parameter multiplies, the loss's derivative by what it feeds). A
    /// weight (i, j) of layer l pairs entry i of the layer's input with entry j of its delta; a
    /// bias pairs the record's constant 1 with its delta.
    pub const fn gradient_factors(self, p: usize) -> (usize, usize) {
        let l = self.layer_of(p);
        let record = self.record();
        let weight = self.weight(l);
        let q = p - weight.offset;
        let fan_out = self.fan_out(l);
        let factor = if q < weight.len {
            record.layer_input(l).offset + q / fan_out
        } else {
            record.one()
        };
        // A bias follows its weight, whose length is a multiple of fan_out: q % fan_out is the
        // output unit for both.
        (factor, record.layer_delta(l).offset + q % fan_out)
    }
}

/// One sample's row of the fused training step's scratch buffer, written by the forward and
/// backward kernel and read by the kernel that sums gradients:
/// `[inputs, 1, activations of each hidden layer, their deltas, output deltas, squared error]`.
/// For the tutorial's shape: `[t, x, 1, h1 (H), h2 (H), dz1 (H), dz2 (H), dloss/dout, error²]`,
/// 4H + 5 numbers. A delta is the loss's derivative with respect to a layer's pre-activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordLayout {
    net: MlpLayout,
}

impl RecordLayout {
    /// The network's inputs (t, then x).
    pub const fn inputs(self) -> Span {
        Span {
            offset: 0,
            len: self.net.inputs,
        }
    }

    /// Where the constant 1 is (what a bias multiplies).
    pub const fn one(self) -> usize {
        self.net.inputs
    }

    /// Hidden layer `k`'s (0-based) activations, GELU of its pre-activations.
    pub const fn activation(self, k: usize) -> Span {
        assert!(k < self.net.depth, "no such hidden layer");
        Span {
            offset: self.one() + 1 + k * self.net.hidden,
            len: self.net.hidden,
        }
    }

    /// Hidden layer `k`'s deltas, ∂loss/∂z.
    pub const fn delta(self, k: usize) -> Span {
        assert!(k < self.net.depth, "no such hidden layer");
        Span {
            offset: self.one() + 1 + (self.net.depth + k) * self.net.hidden,
            len: self.net.hidden,
        }
    }

    /// ∂loss/∂output for each output.
    pub const fn output_delta(self) -> Span {
        Span {
            offset: self.one() + 1 + 2 * self.net.depth * self.net.hidden,
            len: self.net.outputs,
        }
    }

    /// The sample's squared error, summed over outputs (for the batch's mean loss).
    pub const fn squared_error(self) -> usize {
        self.output_delta().end()
    }

    /// Numbers per sample (4H + 5 for the tutorial's shape).
    pub const fn length(self) -> usize {
        self.squared_error() + 1
    }

    /// What linear layer `layer`'s weights multiply: the inputs, or the previous hidden layer's
    /// activations.
    pub const fn layer_input(self, layer: usize) -> Span {
        if layer == 0 {
            self.inputs()
        } else {
            self.activation(layer - 1)
        }
    }

    /// The derivative of the loss with respect to what linear layer `layer` writes.
    pub const fn layer_delta(self, layer: usize) -> Span {
        if layer == self.net.depth {
            self.output_delta()
        } else {
            self.delta(layer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> Vec<MlpLayout> {
        vec![
            MlpLayout::tutorial(64),
            MlpLayout::tutorial(1),
            MlpLayout::tutorial(24),
            MlpLayout::for_dimension(2, 64, 3),
            MlpLayout::for_dimension(2, 5, 1),
            MlpLayout::for_dimension(3, 7, 4),
            MlpLayout {
                inputs: 4,
                hidden: 3,
                depth: 2,
                outputs: 6,
            },
        ]
    }

    #[test]
    fn the_tutorial_shape_has_the_tutorials_counts() {
        let net = MlpLayout::tutorial(64);
        assert_eq!((net.inputs, net.depth, net.outputs), (2, 2, 1));
        assert_eq!(net.parameter_count(), 4417);
        assert_eq!(net.record().length(), 4 * 64 + 5);
        for h in [1, 3, 24, 64, 128] {
            let net = MlpLayout::tutorial(h);
            assert_eq!(net.parameter_count(), h * h + 5 * h + 1);
            assert_eq!(net.record().length(), 4 * h + 5);
        }
        // Today's flat order: w1 [2, H], b1, w2 [H, H], b2, w3 [H], b3.
        let h = 64;
        let spans: Vec<Span> = net.blocks().collect();
        let want = [
            (0, 2 * h),
            (2 * h, h),
            (3 * h, h * h),
            (3 * h + h * h, h),
            (4 * h + h * h, h),
            (5 * h + h * h, 1),
        ];
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.offset, s.len)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn blocks_tile_the_parameters_in_order() {
        for net in shapes() {
            assert!(net.is_valid());
            let mut next = 0;
            for block in net.blocks() {
                assert_eq!(block.offset, next, "{net:?}: a gap or an overlap");
                assert!(block.len > 0, "{net:?}");
                next = block.end();
            }
            assert_eq!(next, net.parameter_count(), "{net:?}");
            let by_layer: usize = (0..net.layers())
                .map(|l| (net.fan_in(l) + 1) * net.fan_out(l))
                .sum();
            assert_eq!(by_layer, net.parameter_count(), "{net:?}");
            assert_eq!(net.fan_in(0), net.inputs);
            assert_eq!(net.fan_out(net.depth), net.outputs);
            for p in 0..net.parameter_count() {
                let l = net.layer_of(p);
                assert!(net.weight(l).offset <= p && p < net.bias(l).end());
            }
        }
    }

    #[test]
    fn record_entries_tile_the_record_in_order() {
        for net in shapes() {
            let r = net.record();
            let mut spans = vec![
                r.inputs(),
                Span {
                    offset: r.one(),
                    len: 1,
                },
            ];
            spans.extend((0..net.depth).map(|k| r.activation(k)));
            spans.extend((0..net.depth).map(|k| r.delta(k)));
            spans.push(r.output_delta());
            spans.push(Span {
                offset: r.squared_error(),
                len: 1,
            });
            let mut next = 0;
            for s in spans {
                assert_eq!(s.offset, next, "{net:?}: a gap or an overlap");
                next = s.end();
            }
            assert_eq!(next, r.length(), "{net:?}");
            assert_eq!(
                r.length(),
                net.inputs + net.outputs + 2 * net.depth * net.hidden + 2
            );
            for l in 0..net.layers() {
                assert_eq!(r.layer_input(l).len, net.fan_in(l));
                assert_eq!(r.layer_delta(l).len, net.fan_out(l));
            }
        }
    }

    #[test]
    fn gradient_factors_are_the_fused_steps_for_the_tutorial_shape() {
        // The mapping the fused kernel was first written with, by hand, for 2 → H → H → 1.
        for h in [1, 3, 64] {
            let net = MlpLayout::tutorial(h);
            let (h1, h2, dz1, dz2, dout) = (3, 3 + h, 3 + 2 * h, 3 + 3 * h, 3 + 4 * h);
            for p in 0..net.parameter_count() {
                let a = if p < 2 * h {
                    p / h
                } else if (3 * h..3 * h + h * h).contains(&p) {
                    h1 + (p - 3 * h) / h
                } else if (4 * h + h * h..5 * h + h * h).contains(&p) {
                    h2 + (p - 4 * h - h * h)
                } else {
                    2
                };
                let d = if p < 3 * h {
                    dz1 + p % h
                } else if p < 4 * h + h * h {
                    dz2 + (p - 3 * h) % h
                } else {
                    dout
                };
                assert_eq!(net.gradient_factors(p), (a, d), "h = {h}, p = {p}");
            }
        }
    }

    #[test]
    fn gradient_factors_pair_each_weight_with_its_input_and_delta() {
        for net in shapes() {
            let r = net.record();
            for l in 0..net.layers() {
                let (w, b) = (net.weight(l), net.bias(l));
                for i in 0..net.fan_in(l) {
                    for j in 0..net.fan_out(l) {
                        let p = w.offset + i * net.fan_out(l) + j;
                        let want = (r.layer_input(l).offset + i, r.layer_delta(l).offset + j);
                        assert_eq!(net.gradient_factors(p), want, "{net:?} layer {l}");
                    }
                }
                for j in 0..net.fan_out(l) {
                    let want = (r.one(), r.layer_delta(l).offset + j);
                    assert_eq!(
                        net.gradient_factors(b.offset + j),
                        want,
                        "{net:?} layer {l}"
                    );
                }
            }
        }
    }
}
