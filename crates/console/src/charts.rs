//! The dashboard's charts, drawn as SVG text by pure functions of the figures (no browser
//! needed, so they are tested natively). Each chart names itself with `<title>` and describes
//! its data in `<desc>`, which `aria-labelledby` points at: the text alternative a screen
//! reader reads. Colours keep at least 3:1 contrast against white, and the two trend lines
//! differ in dash pattern as well as colour.

use std::fmt::Write as _;

use ikd_core::console_api::TrendPoint;

use crate::format::{day_month, percent, thousands};

/// Dukcapil blue: activated.
const BLUE: &str = "#0b4f9c";
/// Dark orange: registered (4.6:1 on white).
const ORANGE: &str = "#b35900";
/// The target marker.
const RED: &str = "#a4161a";
const GRID: &str = "#c9d2de";
const INK: &str = "#14213d";

/// One bar: a region's activated share of those who must hold a KTP, against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Activated as a percentage of eligible.
    pub value_percent: f64,
    pub target_percent: f64,
}

/// The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above `value`, so
/// axes end on a readable tick. At least 1.
pub fn nice_max(value: f64) -> f64 {
    if !value.is_finite() || value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let candidate = step * magnitude;
        if candidate >= value * (1.0 - 1e-9) {
            return candidate;
        }
    }
    10.0 * magnitude
}

/// The step between the five gridlines of a count axis (0 to 4 steps): a whole number from
/// 1, 2, 2.5 (from 25 up) or 5 times a power of ten, so every label is a whole count.
pub fn count_step(top: u64) -> u64 {
    let needed = top.div_ceil(4).max(1);
    let mut magnitude = 1u64;
    loop {
        // 2.5 × 10^k is whole only from 25 up.
        let quarter = (magnitude >= 10).then_some(magnitude / 2 * 5);
        for step in [
            Some(magnitude),
            Some(2 * magnitude),
            quarter,
            Some(5 * magnitude),
        ]
        .into_iter()
        .flatten()
        {
            if step >= needed {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// How many steps the percent axis from 0 to `max` takes (4 or 5), so the gridlines fall on
/// whole numbers where possible (25 → 0, 5, 10 …), else on exact tenths.
pub fn percent_steps(max: f64) -> u32 {
    let exact = |value: f64| (value - value.round()).abs() < 1e-9;
    if exact(max / 4.0) {
        4
    } else if exact(max / 5.0) {
        5
    } else if exact(max / 4.0 * 10.0) {
        4
    } else if exact(max / 5.0 * 10.0) {
        5
    } else {
        4
    }
}

/// Text safe inside SVG elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn open_svg(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

/// Labels longer than this are cut with an ellipsis (the table beside has the full name).
const LABEL_CHARS: usize = 24;

/// The abbreviations Indonesian documents use themselves, tried before an ellipsis, so
/// "Daerah Istimewa Yogyakarta" reads "DI Yogyakarta" rather than "Daerah Istimewa Yogya…".
const ABBREVIATIONS: [(&str, &str); 5] = [
    ("daerah khusus ibukota ", "DKI "),
    ("daerah istimewa ", "DI "),
    ("kabupaten ", "Kab. "),
    ("kepulauan ", "Kep. "),
    ("kota administrasi ", "Kota Adm. "),
];

fn short_label(label: &str) -> String {
    let fits = |text: &str| text.chars().count() <= LABEL_CHARS;
    if fits(label) {
        return label.to_owned();
    }
    let mut shorter = label.to_owned();
    for (long, short) in ABBREVIATIONS {
        if let Some(at) = shorter.to_lowercase().find(long) {
            // Lower-casing keeps byte offsets for these ASCII words.
            shorter.replace_range(at..at + long.len(), short);
        }
    }
    if fits(&shorter) {
        return shorter;
    }
    let cut: String = shorter.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

/// A horizontal bar per region (activated as % of eligible) with a red marker at its target.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar], english: bool) -> String {
    let no_data = if english {
        "No data yet"
    } else {
        "Belum ada data"
    };
    const WIDTH: f64 = 640.0;
    const LABEL_W: f64 = 170.0;
    const RIGHT: f64 = 56.0;
    const TOP: f64 = 44.0;
    const ROW: f64 = 20.0;
    const BOTTOM: f64 = 8.0;
    let plot_w = WIDTH - LABEL_W - RIGHT;
    let height = TOP + ROW * bars.len().max(1) as f64 + BOTTOM;
    let top_value = bars
        .iter()
        .flat_map(|b| [b.value_percent, b.target_percent])
        .fold(0.0, f64::max);
    let max = nice_max(top_value).min(100.0);
    let x = |v: f64| LABEL_W + (v.clamp(0.0, max) / max) * plot_w;

    let desc = if bars.is_empty() {
        format!("{no_data}.")
    } else {
        bars.iter()
            .map(|b| {
                format!(
                    "{}: {} {} {}, target {}",
                    b.label,
                    if english { "active" } else { "aktif" },
                    percent(b.value_percent),
                    if english {
                        "of those eligible"
                    } else {
                        "dari wajib KTP"
                    },
                    percent(b.target_percent)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = String::new();
    open_svg(&mut out, id, WIDTH, height, title, &desc);

    // Legend.
    let _ = write!(
        out,
        r#"<g aria-hidden="true"><rect x="{LABEL_W}" y="4" width="12" height="12" fill="{BLUE}"/><text x="{}" y="14" fill="{INK}">{}</text><line x1="{}" y1="4" x2="{}" y2="16" stroke="{RED}" stroke-width="3"/><text x="{}" y="14" fill="{INK}">Target</text></g>"#,
        LABEL_W + 16.0,
        if english {
            "Activated (% of those eligible)"
        } else {
            "Aktif (% dari wajib KTP)"
        },
        LABEL_W + 190.0,
        LABEL_W + 190.0,
        LABEL_W + 198.0,
    );

    // Grid and axis labels.
    out.push_str(r#"<g aria-hidden="true">"#);
    let steps = percent_steps(max);
    for i in 0..=steps {
        let value = max * f64::from(i) / f64::from(steps);
        let gx = x(value);
        let _ = write!(
            out,
            r#"<line x1="{gx:.1}" y1="{}" x2="{gx:.1}" y2="{:.1}" stroke="{GRID}"/><text x="{gx:.1}" y="{}" text-anchor="middle" fill="{INK}">{}</text>"#,
            TOP - 4.0,
            height - BOTTOM,
            TOP - 8.0,
            escape(&percent(value)),
        );
    }
    if bars.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{LABEL_W}" y="{}" fill="{INK}">{no_data}</text>"#,
            TOP + 14.0
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let width = x(bar.value_percent) - LABEL_W;
        let tx = x(bar.target_percent);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text><rect x="{LABEL_W}" y="{:.1}" width="{width:.1}" height="{:.1}" fill="{BLUE}"/><line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="{RED}" stroke-width="3"/><text x="{:.1}" y="{:.1}" fill="{INK}">{}</text>"#,
            LABEL_W - 6.0,
            y + 14.0,
            escape(&short_label(&bar.label)),
            y + 4.0,
            ROW - 8.0,
            y + 1.0,
            y + ROW - 1.0,
            x(bar.value_percent).max(tx) + 5.0,
            y + 14.0,
            escape(&percent(bar.value_percent)),
        );
    }
    out.push_str("</g></svg>");
    out
}

/// Cumulative registered and activated people per day, as two lines.
pub fn trend_chart(id: &str, title: &str, points: &[TrendPoint], english: bool) -> String {
    let no_data = if english {
        "No data yet"
    } else {
        "Belum ada data"
    };
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 72.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 30.0;
    const BOTTOM: f64 = 28.0;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let top_value = points
        .iter()
        .map(|p| p.registered.max(p.activated))
        .max()
        .unwrap_or(0);
    let step = count_step(top_value);
    let max = (step * 4) as f64;
    let x = |i: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |v: u64| TOP + plot_h - (v as f64 / max) * plot_h;

    let desc = match (points.first(), points.last()) {
        (Some(first), Some(last)) if english => format!(
            "From {} to {}: registered went from {} to {}, activated from {} to {}.",
            first.day,
            last.day,
            thousands(first.registered),
            thousands(last.registered),
            thousands(first.activated),
            thousands(last.activated)
        ),
        (Some(first), Some(last)) => format!(
            "Dari {} sampai {}: mendaftar naik dari {} menjadi {}, aktif dari {} menjadi {}.",
            first.day,
            last.day,
            thousands(first.registered),
            thousands(last.registered),
            thousands(first.activated),
            thousands(last.activated)
        ),
        _ => format!("{no_data}."),
    };
    let mut out = String::new();
    open_svg(&mut out, id, WIDTH, HEIGHT, title, &desc);

    // Legend.
    let _ = write!(
        out,
        r#"<g aria-hidden="true"><line x1="{LEFT}" y1="12" x2="{}" y2="12" stroke="{ORANGE}" stroke-width="3" stroke-dasharray="6 4"/><text x="{}" y="16" fill="{INK}">{}</text><line x1="{}" y1="12" x2="{}" y2="12" stroke="{BLUE}" stroke-width="3"/><text x="{}" y="16" fill="{INK}">{}</text></g>"#,
        LEFT + 24.0,
        LEFT + 30.0,
        if english { "Registered" } else { "Mendaftar" },
        LEFT + 120.0,
        LEFT + 144.0,
        LEFT + 150.0,
        if english { "Activated" } else { "Aktif" },
    );

    out.push_str(r#"<g aria-hidden="true">"#);
    for i in 0..=4u64 {
        let value = step * i;
        let gy = y(value);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{gy:.1}" x2="{:.1}" y2="{gy:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            gy + 4.0,
            thousands(value),
        );
    }
    if points.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{no_data}</text>"#,
            LEFT + plot_w / 2.0,
            TOP + plot_h / 2.0
        );
    }
    // Dates under the first, middle and last day.
    let mut labelled: Vec<usize> = vec![0, points.len() / 2, points.len().saturating_sub(1)];
    labelled.dedup();
    for i in labelled.into_iter().filter(|&i| i < points.len()) {
        let anchor = match i {
            0 if points.len() > 1 => "start",
            i if i + 1 == points.len() && points.len() > 1 => "end",
            _ => "middle",
        };
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" fill="{INK}">{}</text>"#,
            x(i),
            HEIGHT - 8.0,
            escape(&day_month(&points[i].day)),
        );
    }
    for (colour, dash, value) in [
        (
            ORANGE,
            r#" stroke-dasharray="6 4""#,
            (|p: &TrendPoint| p.registered) as fn(&TrendPoint) -> u64,
        ),
        (BLUE, "", |p: &TrendPoint| p.activated),
    ] {
        if points.len() == 1 {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}"/>"#,
                x(0),
                y(value(&points[0]))
            );
            continue;
        }
        let coordinates: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p))))
            .collect();
        if !coordinates.is_empty() {
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>"#,
                coordinates.join(" ")
            );
        }
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64, target: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            value_percent: value,
            target_percent: target,
        }
    }

    fn point(day: &str, registered: u64, activated: u64) -> TrendPoint {
        TrendPoint {
            day: day.to_owned(),
            registered,
            activated,
        }
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.4), 5.0);
        assert_eq!(nice_max(25.0), 25.0);
        assert_eq!(nice_max(26.0), 50.0);
        assert_eq!(nice_max(70.0), 100.0);
        assert_eq!(nice_max(1234.0), 2000.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
    }

    #[test]
    fn percent_axes_fall_on_whole_numbers_where_they_can() {
        assert_eq!(percent_steps(100.0), 4);
        assert_eq!(percent_steps(50.0), 5);
        assert_eq!(percent_steps(25.0), 5);
        assert_eq!(percent_steps(10.0), 5);
        assert_eq!(percent_steps(2.0), 4);
        assert_eq!(percent_steps(2.5), 5);
        assert_eq!(percent_steps(1.0), 5);
        let svg = bar_chart("b", "t", &[bar("A", 10.0, 25.0)], false);
        assert!(svg.contains(">5%<") && svg.contains(">20%<") && !svg.contains("6,3%"));
    }

    #[test]
    fn count_axes_have_whole_labels() {
        assert_eq!(count_step(0), 1);
        assert_eq!(count_step(3), 1);
        assert_eq!(count_step(7), 2);
        assert_eq!(count_step(9), 5);
        assert_eq!(count_step(100), 25);
        assert_eq!(count_step(101), 50);
        assert_eq!(count_step(7315), 2000);
    }

    #[test]
    fn the_bar_chart_has_a_text_alternative_and_one_bar_per_region() {
        let svg = bar_chart(
            "bars",
            "Aktif per provinsi",
            &[bar("JAWA BARAT", 12.5, 25.0), bar("BANTEN", 3.0, 25.0)],
            false,
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-labelledby="bars-title bars-desc""#));
        assert!(svg.contains(r#"<title id="bars-title">Aktif per provinsi</title>"#));
        assert!(svg.contains("JAWA BARAT: aktif 12,5% dari wajib KTP, target 25%"));
        // Legend square plus one bar per region.
        assert_eq!(svg.matches("<rect").count(), 3);
        // The scale ends at the target (25 %), so the 12.5 % bar spans half of the plot.
        assert!(svg.contains(r#"width="207.0""#), "{svg}");
    }

    #[test]
    fn names_in_charts_are_escaped_and_long_ones_shortened() {
        let svg = bar_chart(
            "b",
            "<judul>",
            &[bar(
                "KAB. \"A\" & B <X> DENGAN NAMA YANG SANGAT PANJANG",
                1.0,
                2.0,
            )],
            false,
        );
        assert!(svg.contains("&lt;judul&gt;"));
        assert!(svg.contains("KAB. &quot;A&quot; &amp; B &lt;X&gt; DENGAN…"));
        assert!(!svg.contains("<X>"));
    }

    #[test]
    fn long_region_names_use_the_usual_abbreviations_before_an_ellipsis() {
        assert_eq!(short_label("Daerah Istimewa Yogyakarta"), "DI Yogyakarta");
        assert_eq!(
            short_label("KABUPATEN KEPULAUAN SERIBU UTARA"),
            "Kab. Kep. SERIBU UTARA"
        );
        assert_eq!(short_label("Jawa Barat"), "Jawa Barat");
    }

    #[test]
    fn empty_charts_say_there_is_no_data() {
        assert!(bar_chart("b", "t", &[], false).contains("Belum ada data"));
        let trend = trend_chart("t", "Tren", &[], false);
        assert!(trend.contains("Belum ada data"));
        assert!(trend_chart("t", "Trend", &[], true).contains("No data yet"));
        assert!(!trend.contains("<polyline"));
    }

    #[test]
    fn the_trend_chart_draws_both_series_across_the_days() {
        let svg = trend_chart(
            "trend",
            "Tren",
            &[
                point("2026-01-01", 10, 0),
                point("2026-01-02", 40, 20),
                point("2026-01-03", 100, 60),
            ],
            false,
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        // The first day sits on the left edge, the last on the right at the top of the scale.
        assert!(
            svg.contains(r#"points="72.0,211.8 348.0,151.2 624.0,30.0""#),
            "{svg}"
        );
        assert!(svg.contains(">01-01<") && svg.contains(">03-01<"));
        assert!(svg.contains("mendaftar naik dari 10 menjadi 100, aktif dari 0 menjadi 60"));
    }

    #[test]
    fn a_single_day_is_drawn_as_points() {
        let svg = trend_chart("t", "Tren", &[point("2026-01-01", 5, 2)], false);
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
