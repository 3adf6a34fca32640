//! The charts of the HTML report, drawn with plotters' SVG backend: real
//! axes, labels, legends and values. Each chart is an inline `<svg>` (the
//! namespace attribute dropped: inline SVG in HTML needs none, and the
//! report names no URL).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::coach::esc;
use super::fmt_num;
use crate::report::coach::Trend;
use crate::scoring::score::{AnnotatedSentence, ConceptResult, Scored};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

const GREEN: RGBColor = RGBColor(0x2d, 0xa4, 0x4e);
const AMBER: RGBColor = RGBColor(0xd4, 0xa7, 0x2c);
const RED: RGBColor = RGBColor(0xcf, 0x22, 0x2e);
const GREY: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
const INK: RGBColor = RGBColor(0x1f, 0x23, 0x28);
const BLUE: RGBColor = RGBColor(0x09, 0x69, 0xda);
const PURPLE: RGBColor = RGBColor(0x82, 0x50, 0xdf);
const GOLD: RGBColor = RGBColor(0xbf, 0x87, 0x00);
const DARK_GREEN: RGBColor = RGBColor(0x1a, 0x7f, 0x37);
const FONT: &str = "sans-serif";

/// Draws into an SVG string and tags it with a class and an accessible label.
fn svg(
    class: &str,
    label: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        // A chart that fails to draw leaves what was drawn; the page stays valid.
        let _ = root
            .fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&root));
        let _ = root.present();
    }
    buf.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replacen(
            "<svg ",
            &format!(
                "<svg class=\"{class}\" role=\"img\" aria-label=\"{}\" ",
                esc(label)
            ),
            1,
        )
}

/// A legend in a strip above a chart: a swatch and a name per item.
fn legend(area: &Area<'_>, items: &[(String, RGBColor)]) -> Drawn {
    let mut x = 12;
    for (label, color) in items {
        area.draw(&Rectangle::new([(x, 9), (x + 14, 21)], color.filled()))?;
        area.draw(&Text::new(
            label.clone(),
            (x + 20, 8),
            (FONT, 15).into_font().color(&INK),
        ))?;
        x += 20 + 7 * label.chars().count() as i32 + 24;
    }
    Ok(())
}

/// A label shortened at a word boundary, never mid-word.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 2 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(max.saturating_sub(1)).collect();
    }
    out.trim_end_matches([',', ':', ';']).to_string() + "…"
}

/// How a concept was covered.
fn state(c: &ConceptResult) -> (&'static str, RGBColor) {
    if c.ignored {
        ("ignored", GREY)
    } else if c.matched && (c.named_only || c.credit < 1.0) {
        ("partial", AMBER)
    } else if c.matched {
        ("covered", GREEN)
    } else {
        ("missed", RED)
    }
}

/// The points a concept earned: its weight times its credit.
fn earned(c: &ConceptResult) -> f64 {
    if c.matched && !c.ignored {
        c.weight * c.credit.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Coverage per concept: one row per concept; the outline is the weight
/// (points possible), the fill the points earned; green covered, amber
/// partial (named only), red missed; each row says `earned / weight`.
pub fn coverage(s: &Scored) -> String {
    let n = s.concepts.len().max(1);
    let max = s.concepts.iter().map(|c| c.weight).fold(1.0, f64::max);
    let height = 80 + 28 * n as u32;
    svg(
        "coverage",
        "coverage per concept",
        (760, height + 30),
        |root| {
            let (top, body) = root.split_vertically(30);
            legend(
                &top,
                &[
                    ("covered".to_string(), GREEN),
                    ("partial (named only)".to_string(), AMBER),
                    ("missed".to_string(), RED),
                ],
            )?;
            let mut chart = ChartBuilder::on(&body)
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(330)
                .build_cartesian_2d(0.0..max * 1.45, 0.5..n as f64 + 0.5)?;
            let labels: Vec<String> = s.concepts.iter().map(|c| shorten(&c.label, 46)).collect();
            // Row i sits at y = n - i: the first concept on top.
            let row = |y: f64| {
                let i = n as f64 - y;
                ((y - y.round()).abs() < 0.01 && i >= 0.0).then_some(i.round() as usize)
            };
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .x_labels(8)
                .x_desc("weight (points); filled: points earned")
                .y_labels(n + 1)
                .y_label_formatter(&|y| {
                    row(*y)
                        .and_then(|i| labels.get(i).cloned())
                        .unwrap_or_default()
                })
                .x_label_formatter(&|x| fmt_num((x * 10.0).round() / 10.0))
                .label_style((FONT, 16))
                .axis_desc_style((FONT, 15))
                .draw()?;
            for (i, c) in s.concepts.iter().enumerate() {
                let y = (n - i) as f64;
                let (top, bottom) = (y + 0.35, y - 0.35);
                let (what, color) = state(c);
                chart.draw_series([
                    Rectangle::new([(0.0, bottom), (c.weight, top)], color.mix(0.15).filled()),
                    Rectangle::new([(0.0, bottom), (c.weight, top)], color.stroke_width(1)),
                    Rectangle::new([(0.0, bottom), (earned(c), top)], color.filled()),
                ])?;
                chart.draw_series(std::iter::once(Text::new(
                    format!(
                        "{} / {} · {what}",
                        fmt_num(round1(earned(c))),
                        fmt_num(c.weight)
                    ),
                    (c.weight + max * 0.02, y + 0.25),
                    (FONT, 15).into_font().color(&INK),
                )))?;
            }
            Ok(())
        },
    )
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The STAR components, their letters and colours.
const COMPONENTS: [(&str, &str, RGBColor); 5] = [
    ("situation", "S", BLUE),
    ("task", "T", PURPLE),
    ("action", "A", GOLD),
    ("result", "R", DARK_GREEN),
    ("other", "O", GREY),
];

fn component(star: Option<&str>) -> (&'static str, &'static str, RGBColor) {
    let (name, letter, color) = COMPONENTS
        .iter()
        .find(|(n, _, _)| Some(*n) == star)
        .unwrap_or(&COMPONENTS[4]);
    (name, letter, *color)
}

/// The STAR timeline: one block per sentence, numbered on the x axis,
/// lettered S/T/A/R (O for other), with a legend.
pub fn timeline(sentences: &[AnnotatedSentence]) -> String {
    let n = sentences.len().max(1);
    svg("star-timeline", "STAR timeline", (760, 130), |root| {
        let (top, body) = root.split_vertically(30);
        let items: Vec<(String, RGBColor)> = COMPONENTS
            .iter()
            .map(|(name, letter, color)| (format!("{letter} {name}"), *color))
            .collect();
        legend(&top, &items)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(10)
            .build_cartesian_2d(0.5..n as f64 + 0.5, 0.0..1.0)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .disable_y_axis()
            .x_desc("sentence")
            .x_labels(n.min(30))
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 0.01 {
                    format!("{}", x.round() as i64)
                } else {
                    String::new()
                }
            })
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 15))
            .draw()?;
        for (i, s) in sentences.iter().enumerate() {
            let x = i as f64 + 1.0;
            let (_, letter, color) = component(s.star);
            chart.draw_series([Rectangle::new(
                [(x - 0.46, 0.08), (x + 0.46, 0.92)],
                color.filled(),
            )])?;
            chart.draw_series(std::iter::once(Text::new(
                letter.to_string(),
                (x - 0.12, 0.7),
                (FONT, 17).into_font().color(&WHITE),
            )))?;
        }
        Ok(())
    })
}

/// Scores over dated attempts: dates on the x axis, 0–100 on the y axis,
/// each point labelled with its score.
pub fn progress(t: &Trend) -> String {
    let n = t.attempts.len().max(1);
    let dates: Vec<String> = t.attempts.iter().map(|a| a.date.clone()).collect();
    svg("trend", "score over attempts", (560, 260), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(44)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..110.0)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .x_desc("attempt date")
            .y_desc("score")
            .x_labels(n)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 0.01 && i >= 0.0 {
                    dates.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(6)
            .y_label_formatter(&|y: &f64| format!("{}", y.round() as i64))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 15))
            .draw()?;
        let points: Vec<(f64, f64)> = t
            .attempts
            .iter()
            .enumerate()
            .map(|(i, a)| (i as f64, a.score))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), BLUE.stroke_width(2)))?
            .label("score")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE.stroke_width(2)));
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
        chart.draw_series(points.iter().map(|&(x, y)| {
            Text::new(
                fmt_num(y),
                (x - 0.06, (y + 9.0).min(108.0)),
                (FONT, 15).into_font().color(&INK),
            )
        }))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_at_words() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(
            shorten("Uses a client-generated idempotency key per request", 30),
            "Uses a client-generated…"
        );
    }
}
