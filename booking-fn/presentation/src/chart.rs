//! Bar charts drawn as SVG on the server (the staff usage report): no
//! JavaScript, one series, every value also written as text beside its bar,
//! so nothing is said by colour alone. Each chart is an image
//! (`role="img"`) named by its `<title>` and `<desc>`; the page puts the
//! same figures in a data table right after it.

use crate::escape_html;

/// One bar: its label, its length, and the value as it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as shown at the end of the bar ("42.5%", "12건").
    pub text: String,
}

/// A horizontal bar chart.
#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    /// Unique on the page; the ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// What the chart shows, for screen readers (the table has the figures).
    pub desc: &'a str,
    pub bars: &'a [Bar],
    /// The value of a full-length bar (100 for percentages); `None`: the
    /// largest value.
    pub max: Option<f64>,
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 26.0;
const BAR: f64 = 18.0;
const TOP: f64 = 8.0;
/// Room for the value written after the longest bar.
const VALUE_ROOM: f64 = 80.0;
/// Labels longer than this are cut (the data table has them whole).
const LABEL_CHARS: usize = 16;
/// Bar colour: a dark blue, 8.6:1 against white (WCAG 1.4.11 asks 3:1).
const FILL: &str = "#1d4f91";
/// Text colour: 15.9:1 against white.
const INK: &str = "#222222";

fn short(label: &str) -> String {
    if label.chars().count() > LABEL_CHARS {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        label.to_owned()
    }
}

/// Width of the label column: about one em per character (Hangul is wide).
fn label_width(bars: &[Bar]) -> f64 {
    let chars = bars
        .iter()
        .map(|b| short(&b.label).chars().count())
        .max()
        .unwrap_or(0);
    (chars as f64 * 13.0 + 12.0).clamp(40.0, 230.0)
}

/// The chart as an `<svg>` element (escaped: labels and titles are text).
pub fn bar_chart(c: &BarChart<'_>) -> String {
    let id = escape_html(c.id);
    let max = c
        .max
        .unwrap_or_else(|| c.bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let label_w = label_width(c.bars);
    let plot = WIDTH - label_w - VALUE_ROOM;
    let height = TOP * 2.0 + ROW * c.bars.len().max(1) as f64;
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\" \
         font-family=\"system-ui, sans-serif\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        escape_html(c.title),
        escape_html(c.desc),
    );
    for (i, b) in c.bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let len = if max > 0.0 && b.value > 0.0 {
            (b.value / max).min(1.0) * plot
        } else {
            0.0
        };
        let text_y = y + BAR / 2.0 + 4.5;
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{text_y:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>\
             <rect x=\"{label_w:.1}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{BAR}\" fill=\"{FILL}\"/>\
             <text x=\"{:.1}\" y=\"{text_y:.1}\" fill=\"{INK}\">{}</text>",
            label_w - 6.0,
            escape_html(&short(&b.label)),
            label_w + len + 6.0,
            escape_html(&b.text),
        ));
    }
    // The axis the bars start from.
    out.push_str(&format!(
        "<line x1=\"{label_w:.1}\" y1=\"{TOP}\" x2=\"{label_w:.1}\" y2=\"{:.1}\" stroke=\"{INK}\"/></svg>",
        height - TOP
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            value,
            text: format!("{value}건"),
        }
    }

    /// The `width` of each bar's `<rect>` (the background has "100%").
    fn widths(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter_map(|r| {
                let w = r.split("width=\"").nth(1)?.split('"').next()?;
                w.parse().ok()
            })
            .collect()
    }

    #[test]
    fn bars_are_proportional_to_their_values() {
        let bars = [
            bar("월", 10.0),
            bar("화", 5.0),
            bar("수", 0.0),
            bar("목", 2.5),
        ];
        let svg = bar_chart(&BarChart {
            id: "by-weekday",
            title: "요일별 예약",
            desc: "요일마다 예약 건수",
            bars: &bars,
            max: None,
        });
        let w = widths(&svg);
        assert_eq!(w.len(), 4, "{svg}");
        assert!(w[0] > 0.0);
        assert!((w[1] / w[0] - 0.5).abs() < 0.01, "{w:?}");
        assert_eq!(w[2], 0.0);
        assert!((w[3] / w[0] - 0.25).abs() < 0.01, "{w:?}");
        // The longest bar fills the plot: the width less labels and values.
        assert!((w[0] - (WIDTH - label_width(&bars) - VALUE_ROOM)).abs() < 0.1);
        // Each value is written out, not only drawn.
        assert!(svg.contains(">10건<") && svg.contains(">0건<"));
    }

    #[test]
    fn a_fixed_maximum_scales_percentages() {
        let bars = [bar("재단기", 50.0), bar("레이저", 100.0)];
        let svg = bar_chart(&BarChart {
            id: "u",
            title: "t",
            desc: "d",
            bars: &bars,
            max: Some(200.0),
        });
        let w = widths(&svg);
        let plot = WIDTH - label_width(&bars) - VALUE_ROOM;
        assert!((w[0] - plot / 4.0).abs() < 0.1 && (w[1] - plot / 2.0).abs() < 0.1);
    }

    #[test]
    fn an_empty_or_zero_chart_draws_no_bars_and_divides_by_nothing() {
        let svg = bar_chart(&BarChart {
            id: "e",
            title: "t",
            desc: "d",
            bars: &[bar("a", 0.0)],
            max: None,
        });
        assert_eq!(widths(&svg), vec![0.0]);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn labels_and_titles_are_escaped_and_named() {
        let bars = [bar("<script>alert(1)</script>", 1.0)];
        let svg = bar_chart(&BarChart {
            id: "x\"y",
            title: "a & b",
            desc: "<d>",
            bars: &bars,
            max: None,
        });
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("<title id=\"x&quot;y-title\">a &amp; b</title>"));
        assert!(svg.contains("<desc id=\"x&quot;y-desc\">&lt;d&gt;</desc>"));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"x&quot;y-title x&quot;y-desc\""));
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "가".repeat(30);
        let svg = bar_chart(&BarChart {
            id: "l",
            title: "t",
            desc: "d",
            bars: &[bar(&long, 1.0)],
            max: None,
        });
        assert!(svg.contains(&format!("{}…", "가".repeat(LABEL_CHARS - 1))));
        assert!(!svg.contains(&long));
    }
}
