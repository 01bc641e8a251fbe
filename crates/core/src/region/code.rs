//! Pure arithmetic on dotted region codes ("32", "32.76", "32.76.01"): parents, containment
//! and the code ranges that SQL filters use. None of it reads the region tables, so calling it
//! embeds no region data.

/// Whether `inner` is `outer` or lies inside it, on whole code segments: "32.76.01" lies
/// inside "32.76" and "32", but "32.760" does not lie inside "32.76".
pub fn within(inner: &str, outer: &str) -> bool {
    inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The codes starting with `prefix` as a half-open range `[prefix, next)`, which an index
/// can answer (`"32."` gives `["32.", "32/")`); `None` for the empty prefix (everything).
/// Filter with `code >= from AND code < to`, never with LIKE.
pub fn prefix_range(prefix: &str) -> Option<(String, String)> {
    let last = prefix.chars().last()?;
    let next = char::from_u32(u32::from(last) + 1)?;
    let mut upper = prefix[..prefix.len() - last.len_utf8()].to_owned();
    upper.push(next);
    Some((prefix.to_owned(), upper))
}

/// The codes of every region inside `code`, not `code` itself, as a half-open range:
/// "32.76" gives `["32.76.", "32.76/")`. With `= code` beside it, this is [`within`] in SQL.
pub fn inside_range(code: &str) -> (String, String) {
    prefix_range(&format!("{code}.")).unwrap_or_default()
}

/// The region directly above `code`: "32.76" of "32.76.01", "32" of "32.76", and "" (all of
/// Indonesia) of a province code or of "".
pub fn parent_of(code: &str) -> &str {
    code.rfind('.').map_or("", |dot| &code[..dot])
}

/// "32" of "32", "32.76" or "32.76.01"; a code shorter than a province code is its own.
pub fn province_of(code: &str) -> &str {
    code.get(..super::PROVINCE_CODE_LEN).unwrap_or(code)
}

/// "32.76" of "32.76" or "32.76.01"; a code shorter than a regency code is its own.
pub fn regency_of(code: &str) -> &str {
    code.get(..super::REGENCY_CODE_LEN).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_range(code: &str, (from, to): &(String, String)) -> bool {
        code >= from.as_str() && code < to.as_str()
    }

    #[test]
    fn a_prefix_becomes_a_half_open_range_of_codes() {
        assert_eq!(prefix_range(""), None);
        let range = prefix_range("32.").expect("a range");
        assert_eq!((range.0.as_str(), range.1.as_str()), ("32.", "32/"));
        for inside in ["32.76", "32.01", "32.76.01"] {
            assert!(in_range(inside, &range), "{inside}");
        }
        for outside in ["32", "33.01", "31.71", "320"] {
            assert!(!in_range(outside, &range), "{outside}");
        }
    }

    #[test]
    fn the_range_inside_a_code_is_within_without_the_code_itself() {
        let range = inside_range("32.76");
        assert_eq!((range.0.as_str(), range.1.as_str()), ("32.76.", "32.76/"));
        for code in [
            "32.76",
            "32.76.01",
            "32.76.01.1001",
            "32.7",
            "32.760",
            "32.77.01",
            "32",
        ] {
            assert_eq!(
                code == "32.76" || in_range(code, &range),
                within(code, "32.76"),
                "{code}"
            );
        }
        assert_eq!(inside_range(""), (".".to_owned(), "/".to_owned()));
    }

    #[test]
    fn within_compares_whole_segments() {
        assert!(within("32.76", "32.76"));
        assert!(within("32.76.01", "32.76"));
        assert!(within("32.76.01", "32"));
        assert!(!within("32.760", "32.76"));
        assert!(!within("32", "32.76"));
        assert!(!within("33.76", "32"));
        assert!(within("", ""));
        assert!(!within("32", ""));
    }

    #[test]
    fn parents_walk_up_to_indonesia() {
        assert_eq!(parent_of("32.76.01.1001"), "32.76.01");
        assert_eq!(parent_of("32.76.01"), "32.76");
        assert_eq!(parent_of("32.76"), "32");
        assert_eq!(parent_of("32"), "");
        assert_eq!(parent_of(""), "");
    }

    #[test]
    fn province_and_regency_of_a_code() {
        assert_eq!(province_of("32.76.01"), "32");
        assert_eq!(province_of("32.76"), "32");
        assert_eq!(province_of("32"), "32");
        assert_eq!(province_of(""), "");
        assert_eq!(regency_of("32.76.01"), "32.76");
        assert_eq!(regency_of("32.76"), "32.76");
        assert_eq!(regency_of("32"), "32");
    }
}
