//! The range rules for numbers read from any input, with the messages rubric
//! files use: a rubric, a config, front matter, a data file, a transcript or
//! a flag that gives NaN, infinity or an out-of-range value gets the same
//! answer everywhere.

/// The latest time a transcript may give, in seconds (1,000,000 s, about
/// 11.5 days: far beyond any interview, far below where `f64` loses
/// milliseconds).
pub const MAX_SECONDS: f64 = 1_000_000.0;

/// A percentage: 0 to 100. NaN and infinities are out of range.
pub fn percent(key: &str, v: f64) -> Result<f64, String> {
    percent_value(v).map_err(|e| format!("`{key}` {e}"))
}

/// [`percent`] for a value without a key (a flag, whose name clap gives).
pub fn percent_value(v: f64) -> Result<f64, String> {
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("must be between 0 and 100, found {}", shown(v)))
    }
}

/// A number as messages show it: `1e300`, not 301 digits.
pub fn shown(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A weight: positive and finite.
pub fn weight(key: &str, v: f64) -> Result<f64, String> {
    if v > 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(format!(
            "`{key}` must be a positive number, found {}",
            shown(v)
        ))
    }
}

/// The largest weight (either sign) in a STAR model table: far beyond any
/// trained weight, far below where sums of weights overflow.
pub const MAX_MODEL_WEIGHT: f64 = 1e6;

/// A weight of a trained model: finite, between -[`MAX_MODEL_WEIGHT`] and
/// [`MAX_MODEL_WEIGHT`].
pub fn model_weight(v: f64) -> Option<f64> {
    (v.abs() <= MAX_MODEL_WEIGHT).then_some(v)
}

/// A time in a transcript: 0 to [`MAX_SECONDS`] seconds.
pub fn seconds(key: &str, v: f64) -> Result<f64, String> {
    if (0.0..=MAX_SECONDS).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "`{key}` must be between 0 and {MAX_SECONDS} seconds, found {}",
            shown(v)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules() {
        assert_eq!(percent("pass", 70.0), Ok(70.0));
        for bad in [f64::NAN, -50.0, 250.0, 1e300, f64::INFINITY] {
            assert!(percent("pass", bad).is_err(), "{bad}");
            assert!(seconds("start", -bad.abs()).is_err() || bad.is_nan());
        }
        assert_eq!(
            percent("pass", f64::NAN).unwrap_err(),
            "`pass` must be between 0 and 100, found NaN"
        );
        for bad in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
            assert!(weight("weight", bad).is_err(), "{bad}");
        }
        assert_eq!(
            percent("pass", 1e300).unwrap_err(),
            "`pass` must be between 0 and 100, found 1e300"
        );
        assert!(seconds("start", 1e308).is_err());
        assert!(seconds("start", -1e308).is_err());
        assert_eq!(seconds("start", 3.5), Ok(3.5));
    }
}
