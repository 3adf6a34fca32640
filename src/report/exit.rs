//! Exit codes, documented in the README. Each report says which one it
//! means; the binary only hands it to the process.

/// Every answer passed.
pub const PASS: u8 = 0;
/// At least one answer fell short (or `lint` found warnings, or `diff` a
/// regression).
pub const FAIL: u8 = 1;
/// Bad input or usage.
pub const BAD_INPUT: u8 = 2;
