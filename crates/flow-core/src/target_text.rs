//! The target as a link carries it: `weight:mean:std` per component, comma-separated, e.g.
//! `0.55:-0.85:0.65,0.45:1.5:0.25` (the tutorial's). Validated against limits a reader can see, so
//! that a hand-edited link either gives a sensible target or a message saying what was wrong.

use crate::mixture::Mixture;

/// At least one component, at most this many (a reader edits them by hand on a plot).
pub const MIN_COMPONENTS: usize = 1;
pub const MAX_COMPONENTS: usize = 5;
/// Means stay inside the figures' view.
pub const MEAN_RANGE: (f64, f64) = (-2.5, 2.5);
/// Narrower bumps than this need far more steps to sample than a page should spend; wider ones are
/// hardly bumps.
pub const STD_RANGE: (f64, f64) = (0.05, 1.5);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("target: {0}")]
pub struct TargetError(pub String);

/// Parses a target; weights need only be positive (they are normalised). Empty text (or only
/// spaces) names the tutorial's target, so that a link without one and the page's default agree.
pub fn parse_target(text: &str) -> Result<Mixture, TargetError> {
    let err = |m: String| Err(TargetError(m));
    if text.trim().is_empty() {
        return Ok(Mixture::tutorial_target());
    }
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(MIN_COMPONENTS..=MAX_COMPONENTS).contains(&parts.len()) {
        return err(format!(
            "give {MIN_COMPONENTS} to {MAX_COMPONENTS} components as weight:mean:std"
        ));
    }
    let (mut weights, mut means, mut stds) = (vec![], vec![], vec![]);
    for (i, part) in parts.iter().enumerate() {
        let numbers: Vec<f64> = part
            .split(':')
            .map(|s| s.trim().parse::<f64>().unwrap_or(f64::NAN))
            .collect();
        let [w, m, s] = numbers[..] else {
            return err(format!("component {}: expected weight:mean:std", i + 1));
        };
        if !(w.is_finite() && w > 0.0) {
            return err(format!(
                "component {}: the weight must be a positive number",
                i + 1
            ));
        }
        if !(MEAN_RANGE.0..=MEAN_RANGE.1).contains(&m) {
            return err(format!(
                "component {}: the mean must be from {} to {}",
                i + 1,
                MEAN_RANGE.0,
                MEAN_RANGE.1
            ));
        }
        if !(STD_RANGE.0..=STD_RANGE.1).contains(&s) {
            return err(format!(
                "component {}: the width must be from {} to {}",
                i + 1,
                STD_RANGE.0,
                STD_RANGE.1
            ));
        }
        weights.push(w);
        means.push(m);
        stds.push(s);
    }
    Mixture::new(&weights, &means, &stds).map_err(|e| TargetError(e.to_string()))
}

/// The link text of a target, each number to 4 significant digits (enough to reproduce a figure).
pub fn target_text(target: &Mixture) -> String {
    let short = |v: f64| format!("{}", (v * 1e4).round() / 1e4);
    target
        .components()
        .iter()
        .map(|c| format!("{}:{}:{}", short(c.weight), short(c.mean), short(c.std)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_target_round_trips() {
        let text = target_text(&Mixture::tutorial_target());
        assert_eq!(text, "0.55:-0.85:0.65,0.45:1.5:0.25");
        assert_eq!(parse_target(&text).unwrap(), Mixture::tutorial_target());
    }

    #[test]
    fn empty_text_is_the_tutorial_target() {
        for text in ["", " ", "\t \n"] {
            assert_eq!(parse_target(text).unwrap(), Mixture::tutorial_target());
        }
    }

    #[test]
    fn weights_are_normalised() {
        let t = parse_target("2:-1:0.5, 6:1:0.3").unwrap();
        let w: Vec<f64> = t.components().iter().map(|c| c.weight).collect();
        assert_eq!(w, vec![0.25, 0.75]);
        assert_eq!(target_text(&t), "0.25:-1:0.5,0.75:1:0.3");
    }

    #[test]
    fn bad_targets_say_what_is_wrong() {
        let message = |t: &str| parse_target(t).unwrap_err().0;
        assert!(message("1:0:1,1:0:1,1:0:1,1:0:1,1:0:1,1:0:1").contains("1 to 5 components"));
        assert!(message(",").contains("component 1: expected weight:mean:std"));
        assert!(message("1:0").contains("component 1: expected weight:mean:std"));
        assert!(message("1:0:1,0:1:1").contains("component 2: the weight"));
        assert!(message("1:NaN:1").contains("the mean must be from -2.5 to 2.5"));
        assert!(message("1:9:1").contains("the mean"));
        assert!(message("1:0:0.01").contains("the width must be from 0.05 to 1.5"));
        assert!(message("1:0:inf").contains("the width"));
        assert!(message("x:0:1").contains("the weight"));
    }
}
