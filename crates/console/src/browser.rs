//! Small wrappers over the browser: the clock (corrected to the service's), sleeping, work
//! repeated while a component is on screen, focus and files.

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::on_cleanup;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Service clock minus browser clock, in milliseconds, from the `Date` header of the last
    /// answer. Desk tokens rotate on the service's clock; a laptop whose clock is off by a
    /// minute must still fetch the next QR on time.
    static CLOCK_OFFSET_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// Unix milliseconds on the service's clock (as far as the browser can tell).
pub fn now_ms() -> f64 {
    js_sys::Date::now() + CLOCK_OFFSET_MS.with(Cell::get)
}

/// Unix seconds on the service's clock.
pub fn now_secs() -> i64 {
    (now_ms() / 1000.0) as i64
}

/// Notes the service's clock from an HTTP `Date` header. The header has whole seconds, so
/// differences under two seconds are ignored rather than adding jitter.
pub fn observe_server_date(header: &str) {
    let server_ms = js_sys::Date::parse(header);
    if !server_ms.is_finite() {
        return;
    }
    let offset = server_ms + 500.0 - js_sys::Date::now();
    CLOCK_OFFSET_MS.with(|cell| cell.set(if offset.abs() < 2000.0 { 0.0 } else { offset }));
}

/// Waits `ms` milliseconds through `setTimeout`.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs `tick` again and again while the calling component is mounted: each run returns how
/// many milliseconds to wait before the next. A run is never started before the previous one
/// has finished, so a slow answer cannot pile up requests.
pub fn repeat<F, Fut>(mut tick: F)
where
    F: FnMut() -> Fut + 'static,
    Fut: Future<Output = i32> + 'static,
{
    let alive = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&alive);
    on_cleanup(move || flag.store(false, Ordering::Relaxed));
    leptos::task::spawn_local(async move {
        while alive.load(Ordering::Relaxed) {
            let wait = tick().await;
            if !alive.load(Ordering::Relaxed) {
                break;
            }
            sleep_ms(wait).await;
        }
    });
}

/// Moves keyboard focus to the element with this id, if it is on the page.
pub fn focus(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Focuses an element once the current render has reached the page, unless focus has moved
/// into it meanwhile (a quick "5" in the reject chooser focuses its text field first).
pub fn focus_soon(id: &'static str) {
    leptos::task::spawn_local(async move {
        sleep_ms(0).await;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let inside = match (document.get_element_by_id(id), document.active_element()) {
            (Some(target), Some(active)) => target.contains(Some(&active)) && target != active,
            _ => false,
        };
        if !inside {
            focus(id);
        }
    });
}

/// Whether a key press is meant for a field the officer is typing in, so shortcuts must not
/// take it: text inputs, text areas, selects and editable content. Radio buttons and
/// checkboxes do not count.
pub fn is_typing_target(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    match element.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => {
            let kind = element.get_attribute("type").unwrap_or_default();
            !matches!(
                kind.to_ascii_lowercase().as_str(),
                "radio" | "checkbox" | "button" | "submit" | "reset"
            )
        }
        _ => element.is_content_editable(),
    }
}

/// Whether the key press happened on a control that Space or Enter already activates (a
/// button or link), outside the element matching `except` (a CSS selector).
pub fn is_activatable_target(target: Option<web_sys::EventTarget>, except: &str) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let in_exception = element.closest(except).ok().flatten().is_some();
    let activatable = matches!(element.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY");
    activatable && !in_exception
}

/// The text of a file the officer picked.
pub async fn file_text(file: &web_sys::File) -> Result<String, JsValue> {
    let text = JsFuture::from(file.text()).await?;
    text.as_string()
        .ok_or_else(|| JsValue::from_str("not text"))
}

/// "ikd.example.go.id": the host the citizen types, for the projector's instructions.
pub fn host() -> String {
    web_sys::window()
        .and_then(|w| w.location().host().ok())
        .unwrap_or_default()
}

/// Sets the document title, e.g. "Loket — IKD Petugas".
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{title} — IKD Petugas"));
    }
}

/// Asks the browser to show the whole page full-screen (the projector view).
pub fn request_fullscreen() {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = element.request_fullscreen();
    }
}
