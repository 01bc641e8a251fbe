//! Text the console shows, written the Indonesian way ("1.234.567", "12,5%", "17-08-1995").
//! Pure functions of their input, so they are tested natively.

/// "1.234.567": Indonesian groups thousands with dots.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// "12,5%": one decimal, comma as the decimal sign; whole numbers without decimals ("25%").
pub fn percent(value: f64) -> String {
    format!("{}%", decimal(value))
}

/// "12,5" or "25": at most one decimal, comma as the decimal sign.
pub fn decimal(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    let whole = thousands(tenths / 10);
    match tenths % 10 {
        0 => format!("{sign}{whole}"),
        frac => format!("{sign}{whole},{frac}"),
    }
}

/// `part` as a share of `whole` in percent (0 when `whole` is 0).
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// "3276••••••••0001": enough of a NIK to tell people in a queue apart, not the whole number
/// on a screen the people waiting can see.
pub fn mask_nik(nik: &str) -> String {
    let chars: Vec<char> = nik.chars().collect();
    if chars.len() <= 8 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "•".repeat(chars.len() - 8))
}

/// How long someone has waited: "< 1 mnt", "3 mnt", "1 jam 5 mnt". Minutes only, so the
/// queue's text changes at most once a minute per person.
/// In English (`english`): "< 1 min", "3 min", "1 h 5 min".
pub fn waited(seconds: i64, english: bool) -> String {
    let (min, hour) = if english {
        ("min", "h")
    } else {
        ("mnt", "jam")
    };
    match seconds {
        s if s < 60 => format!("< 1 {min}"),
        s if s < 3600 => format!("{} {min}", s / 60),
        s => format!("{} {hour} {} {min}", s / 3600, (s % 3600) / 60),
    }
}

/// "17-08-1995" from "1995-08-17", as the KTP prints dates.
pub fn ktp_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => iso.to_owned(),
    }
}

/// "17-08" from "1995-08-17", for chart axes.
pub fn day_month(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [_, m, d] => format!("{d}-{m}"),
        _ => iso.to_owned(),
    }
}

/// The items of a list typed one per line or separated by commas, trimmed, without blanks.
pub fn split_list(text: &str, separator: char) -> Vec<String> {
    text.split(separator)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The regions from Indonesia down to `code`: "32.76" gives "", "32", "32.76".
pub fn region_path(code: &str) -> Vec<String> {
    let mut path = vec![String::new()];
    let mut so_far = String::new();
    for part in code.split('.').filter(|p| !p.is_empty()) {
        if !so_far.is_empty() {
            so_far.push('.');
        }
        so_far.push_str(part);
        path.push(so_far.clone());
    }
    path
}

/// Whether the dashboard can show the children of `code`: Indonesia has provinces, a province
/// regencies, a regency districts; districts are the bottom of the dashboard.
pub fn has_children(code: &str) -> bool {
    region_path(code).len() <= 3
}

/// The path segment `PUT /targets/{region}` takes: "id" stands for Indonesia.
pub fn target_segment(code: &str) -> &str {
    if code.is_empty() { "id" } else { code }
}

/// A typed target percent ("25", "12,5", "12.34"), if it is 0–100 with at most two decimals.
pub fn parse_percent(text: &str) -> Option<f64> {
    let value: f64 = text.trim().replace(',', ".").parse().ok()?;
    ikd_core::console_api::percent_to_basis_points(value).map(|bp| bp as f64 / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_decimals_use_a_comma() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(1_234_567), "1.234.567");
        assert_eq!(percent(25.0), "25%");
        assert_eq!(percent(12.34), "12,3%");
        assert_eq!(percent(0.05), "0,1%");
        assert_eq!(decimal(1234.5), "1.234,5");
        assert_eq!(decimal(f64::NAN), "–");
        assert_eq!(share(1, 4), 25.0);
        assert_eq!(share(1, 0), 0.0);
    }

    #[test]
    fn a_nik_shows_only_its_region_and_serial() {
        assert_eq!(mask_nik("3276015708950001"), "3276••••••••0001");
        assert_eq!(mask_nik("1234"), "••••");
    }

    #[test]
    fn waiting_times_read_naturally() {
        assert_eq!(waited(-3, false), "< 1 mnt");
        assert_eq!(waited(45, false), "< 1 mnt");
        assert_eq!(waited(185, false), "3 mnt");
        assert_eq!(waited(3900, false), "1 jam 5 mnt");
        assert_eq!(waited(3900, true), "1 h 5 min");
    }

    #[test]
    fn dates_are_printed_day_first() {
        assert_eq!(ktp_date("1995-08-17"), "17-08-1995");
        assert_eq!(day_month("2026-01-05"), "05-01");
        assert_eq!(ktp_date("kemarin"), "kemarin");
    }

    #[test]
    fn lists_drop_blanks_and_spaces() {
        assert_eq!(
            split_list("Dinas A\n\n  Dinas B \r\n", '\n'),
            vec!["Dinas A", "Dinas B"]
        );
        assert_eq!(split_list("a, b,,c", ','), vec!["a", "b", "c"]);
    }

    #[test]
    fn regions_walk_from_indonesia_down() {
        assert_eq!(region_path(""), vec![""]);
        assert_eq!(region_path("32.76"), vec!["", "32", "32.76"]);
        assert!(has_children("32.76"));
        assert!(!has_children("32.76.01"));
        assert_eq!(target_segment(""), "id");
        assert_eq!(target_segment("32"), "32");
    }

    #[test]
    fn target_percents_accept_a_comma_and_refuse_nonsense() {
        assert_eq!(parse_percent("25"), Some(25.0));
        assert_eq!(parse_percent("12,5"), Some(12.5));
        assert_eq!(parse_percent(" 12.34 "), Some(12.34));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("1.234"), None);
        assert_eq!(parse_percent("banyak"), None);
    }
}
