//! A plane target as a link carries it: a preset's name (`eight`, `moons`, …), or bumps separated by
//! `;`, each `x,y,std` or `x,y,std,weight` (weight 1 when left out; weights are relative), e.g.
//! `-1,0,0.2;1,0,0.2;0,1.5,0.1,2`. Validated against limits a reader can see, with a message short
//! enough to show in the page (never the whole input echoed back).

use crate::plane::target::{Bump, PlaneTarget, Preset};

/// A drawn target holds at most this many bumps (each brush dab is one).
pub const MAX_BUMPS: usize = 300;
/// Means stay inside the chapter's view.
pub const PLANE_MEAN_RANGE: (f64, f64) = (-3.5, 3.5);
/// Narrower bumps need more solver steps than the page spends; wider ones are hardly bumps.
pub const PLANE_STD_RANGE: (f64, f64) = (0.05, 1.0);
/// Relative weights from this to 1 (the largest): a link cannot make a bump vanish by rounding.
pub const PLANE_WEIGHT_RANGE: (f64, f64) = (1e-3, 1e3);
/// The target a link without one names.
pub const DEFAULT_PRESET: Preset = Preset::Eight;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("plane target: {0}")]
pub struct PlaneTextError(pub String);

/// Parses a plane target; empty text (or spaces) is the default preset.
pub fn parse_plane_target(text: &str) -> Result<PlaneTarget, PlaneTextError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_PRESET.target());
    }
    if let Some(preset) = Preset::from_name(text) {
        return Ok(preset.target());
    }
    let err = |m: String| Err(PlaneTextError(m));
    let parts: Vec<&str> = text.split(';').map(str::trim).collect();
    if parts.len() > MAX_BUMPS {
        return err(format!("at most {MAX_BUMPS} bumps, not {}", parts.len()));
    }
    if !parts[0].contains(',') && parts.len() == 1 {
        let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
        return err(format!(
            "\"{}\" is not a preset ({}) nor a list of bumps x,y,std",
            shorten(parts[0]),
            names.join(", ")
        ));
    }
    let mut bumps = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let numbers: Vec<f64> = part
            .split(',')
            .map(|s| s.trim().parse::<f64>().unwrap_or(f64::NAN))
            .collect();
        let (x, y, std, weight) = match numbers[..] {
            [x, y, s] => (x, y, s, 1.0),
            [x, y, s, w] => (x, y, s, w),
            _ => {
                return err(format!(
                    "bump {}: expected x,y,std or x,y,std,weight",
                    i + 1
                ));
            }
        };
        let (lo, hi) = PLANE_MEAN_RANGE;
        if !((lo..=hi).contains(&x) && (lo..=hi).contains(&y)) {
            return err(format!("bump {}: x and y must be from {lo} to {hi}", i + 1));
        }
        let (lo, hi) = PLANE_STD_RANGE;
        if !(lo..=hi).contains(&std) {
            return err(format!(
                "bump {}: the width must be from {lo} to {hi}",
                i + 1
            ));
        }
        let (lo, hi) = PLANE_WEIGHT_RANGE;
        if !(lo..=hi).contains(&weight) {
            return err(format!(
                "bump {}: the weight must be from {lo} to {hi}",
                i + 1
            ));
        }
        bumps.push(Bump {
            weight,
            mean: [x, y],
            std,
        });
    }
    PlaneTarget::new(&bumps).map_err(|e| PlaneTextError(e.to_string()))
}

fn shorten(s: &str) -> String {
    let short: String = s.chars().take(24).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// The link text of a target: the preset's name if it is one, else its bumps (means to 0.01,
/// widths to 0.001, weights relative to the largest to 0.001, left out when all are equal).
pub fn plane_target_text(target: &PlaneTarget) -> String {
    if let Some(p) = Preset::ALL.into_iter().find(|p| p.target() == *target) {
        return p.name().into();
    }
    let bumps = target.bumps();
    let top = bumps.iter().map(|b| b.weight).fold(0.0, f64::max);
    let equal = bumps.iter().all(|b| (b.weight / top - 1.0).abs() < 1e-9);
    let round = |v: f64, scale: f64| {
        let r = (v * scale).round() / scale;
        if r == 0.0 { 0.0 } else { r } // no "-0"
    };
    bumps
        .iter()
        .map(|b| {
            let (x, y, s) = (
                round(b.mean[0], 100.0),
                round(b.mean[1], 100.0),
                round(b.std, 1000.0),
            );
            if equal {
                format!("{x},{y},{s}")
            } else {
                let w = round(b.weight / top, 1000.0).max(PLANE_WEIGHT_RANGE.0);
                format!("{x},{y},{s},{w}")
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_empty_text_name_their_targets() {
        assert_eq!(parse_plane_target("").unwrap(), Preset::Eight.target());
        for p in Preset::ALL {
            assert_eq!(parse_plane_target(p.name()).unwrap(), p.target());
            assert_eq!(plane_target_text(&p.target()), p.name());
        }
    }

    #[test]
    fn drawn_targets_round_trip() {
        let text = "-1,0,0.2;1,0.5,0.15,2;0,-1.25,0.1";
        let target = parse_plane_target(text).unwrap();
        let weights: Vec<f64> = target.bumps().iter().map(|b| b.weight).collect();
        assert_eq!(weights, [0.25, 0.5, 0.25]);
        let again = plane_target_text(&target);
        assert_eq!(again, "-1,0,0.2,0.5;1,0.5,0.15,1;0,-1.25,0.1,0.5");
        assert_eq!(parse_plane_target(&again).unwrap(), target);
        let equal = parse_plane_target("0.123,-0.456,0.2;1,1,0.3").unwrap();
        assert_eq!(plane_target_text(&equal), "0.12,-0.46,0.2;1,1,0.3");
    }

    #[test]
    fn bad_text_says_what_is_wrong_briefly() {
        let message = |t: &str| parse_plane_target(t).unwrap_err().to_string();
        assert!(message("spiral").contains("not a preset (eight, moons, checkerboard, rings)"));
        assert!(message("1,2").contains("bump 1: expected x,y,std"));
        assert!(message("0,0,0.1;9,0,0.1").contains("bump 2: x and y must be from -3.5 to 3.5"));
        assert!(message("0,0,0.01").contains("the width must be from 0.05 to 1"));
        assert!(message("0,0,0.1,0").contains("the weight"));
        assert!(message("0,0,NaN").contains("the width"));
        let many = vec!["0,0,0.1"; MAX_BUMPS + 1].join(";");
        assert!(message(&many).contains("at most 300 bumps"));
        let long = "x".repeat(5000);
        assert!(message(&long).len() <= 200);
    }
}
