//! Rendering the sample mid-term review in every format (HTML with inline charts, Markdown with SVG files, JSON).

use criterion::{Criterion, criterion_group, criterion_main};
use tiendo_report::{Lang, RenderOptions, render, sample};

fn render_sample(c: &mut Criterion) {
    let review = sample::mid_term_review();
    for (name, lang) in [("vi", Lang::Vi), ("en", Lang::En)] {
        let options = RenderOptions::new(lang);
        c.bench_function(&format!("render sample review, all formats, {name}"), |b| {
            b.iter(|| render(std::hint::black_box(&review), &options).expect("the sample renders"))
        });
    }
    c.bench_function("build sample review", |b| b.iter(sample::mid_term_review));
}

criterion_group!(benches, render_sample);
criterion_main!(benches);
