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
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("`{key}` must be between 0 and 100, found {v}"))
    }
}

/// A weight: positive and finite.
pub fn weight(key: &str, v: f64) -> Result<f64, String> {
    if v > 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{key}` must be a positive number, found {v}"))
    }
}

/// A time in a transcript: 0 to [`MAX_SECONDS`] seconds.
pub fn seconds(key: &str, v: f64) -> Result<f64, String> {
    if (0.0..=MAX_SECONDS).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "`{key}` must be between 0 and {MAX_SECONDS} seconds, found {v}"
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
        assert!(seconds("start", 1e308).is_err());
        assert!(seconds("start", -1e308).is_err());
        assert_eq!(seconds("start", 3.5), Ok(3.5));
    }
}
