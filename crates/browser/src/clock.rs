//! Time in the browser: its own clock, the service's clock (as far as the `Date` header of the
//! last answer tells), and a sleep that lets the page repaint.

use std::cell::Cell;

use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Service clock minus browser clock, in milliseconds, from the `Date` header of the last
    /// answer. Desk tokens rotate on the service's clock; a laptop whose clock is off by a
    /// minute must still fetch the next QR on time.
    static CLOCK_OFFSET_MS: Cell<f64> = const { Cell::new(0.0) };
    /// Whether any answer's `Date` header was read yet in this page.
    static OBSERVED: Cell<bool> = const { Cell::new(false) };
}

/// Service clock minus browser clock, in milliseconds, once an answer of the service was
/// seen in this page; `None` before (the offset is then unknown, not zero).
pub fn observed_offset_ms() -> Option<f64> {
    OBSERVED
        .with(Cell::get)
        .then(|| CLOCK_OFFSET_MS.with(Cell::get))
}

/// Unix seconds from the browser clock (the phone's own, as the person set it).
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Unix milliseconds on the service's clock (as far as the browser can tell).
pub fn service_now_ms() -> f64 {
    js_sys::Date::now() + CLOCK_OFFSET_MS.with(Cell::get)
}

/// Unix seconds on the service's clock.
pub fn service_now_secs() -> i64 {
    (service_now_ms() / 1000.0) as i64
}

/// Notes the service's clock from an HTTP `Date` header ([`crate::fetch`] does this for
/// every answer).
pub fn observe_server_date(header: &str) {
    if let Some(offset) = offset_ms(js_sys::Date::parse(header), js_sys::Date::now()) {
        CLOCK_OFFSET_MS.with(|cell| cell.set(offset));
        OBSERVED.with(|cell| cell.set(true));
    }
}

/// The service clock's offset from the browser's, given the instant a `Date` header names
/// (`NaN` when it did not parse) and the browser's clock when it arrived. The header has whole
/// seconds, so differences under two seconds count as none rather than adding jitter.
pub fn offset_ms(server_ms: f64, browser_ms: f64) -> Option<f64> {
    if !server_ms.is_finite() {
        return None;
    }
    let offset = server_ms + 500.0 - browser_ms;
    Some(if offset.abs() < 2000.0 { 0.0 } else { offset })
}

/// Waits `ms` milliseconds through `setTimeout`, which lets the browser repaint (a progress
/// bar during the captcha, say) between chunks of work.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_off_by_a_minute_is_corrected() {
        let browser = 1_700_000_000_000.0;
        assert_eq!(offset_ms(browser + 60_000.0, browser), Some(60_500.0));
        assert_eq!(offset_ms(browser - 60_000.0, browser), Some(-59_500.0));
    }

    #[test]
    fn differences_within_the_header_precision_count_as_none() {
        let browser = 1_700_000_000_000.0;
        assert_eq!(offset_ms(browser + 1_000.0, browser), Some(0.0));
        assert_eq!(offset_ms(browser - 2_000.0, browser), Some(0.0));
    }

    #[test]
    fn an_unreadable_date_header_changes_nothing() {
        assert_eq!(offset_ms(f64::NAN, 1_700_000_000_000.0), None);
    }
}
