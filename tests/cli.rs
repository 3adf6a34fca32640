//! CLI cases as data: each `tests/cmd/<case>.toml` names the arguments, and
//! `<case>.stdout` / `<case>.stderr` hold the real output it must produce.
//! Regenerate after an intended change with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
