//! Renders the built-in sample review into a folder, to look at the output in a browser:
//! `cargo run -p tiendo-report --example render_sample -- /tmp/review vi`.

use std::path::PathBuf;

use tiendo_report::{Lang, RenderOptions, render, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: render_sample OUT_DIR [vi|en]")?);
    let lang = match args.next().as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    };
    let report = render(&sample::mid_term_review(), &RenderOptions::new(lang))?;
    for (path, bytes) in &report.files {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)?;
    }
    Ok(())
}
