//! Embeds the shipped rubric bank (`rubrics/**/*.toml`) into the binary so
//! `rubric` works from any directory.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rubrics = root.join("rubrics");
    println!("cargo:rerun-if-changed=rubrics");
    let mut files = Vec::new();
    collect(&rubrics, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for f in files {
        let rel = f.strip_prefix(&root).expect("under the manifest dir");
        let rel = rel.to_string_lossy().replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.to_string_lossy()
        ));
    }
    code.push_str("]\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin_rubrics.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
