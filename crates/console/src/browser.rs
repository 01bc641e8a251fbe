//! Small wrappers over the browser the console alone needs: work repeated while a component
//! is on screen, focus, files and the page. The clock (corrected to the service's) and
//! sleeping come from [`ikd_browser::clock`], shared with the citizen app.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ikd_browser::clock::sleep_ms;
use leptos::prelude::on_cleanup;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
