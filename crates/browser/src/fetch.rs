//! The one way both apps call the service: same origin, cookies included (the service sets
//! them HttpOnly), `Accept: application/json`, every failure an [`ApiProblem`]. Every answer's
//! `Date` header corrects the service clock ([`crate::clock`]); a 401 runs the hook set with
//! [`on_signed_out`], if the app set one.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::ApiProblem;

/// What to do when the service says the session is over, and the login path whose own 401
/// ("wrong password") does not mean that.
struct SignedOut {
    login_path: &'static str,
    action: Rc<dyn Fn()>,
}

thread_local! {
    static ON_SIGNED_OUT: RefCell<Option<SignedOut>> = const { RefCell::new(None) };
}

/// Runs `action` whenever the service answers 401 (the session is over; the console shows
/// its login form), except to a POST to `login_path`: that is the login itself, where 401
/// means the credentials were wrong and the form says so.
pub fn on_signed_out(login_path: &'static str, action: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|slot| {
        *slot.borrow_mut() = Some(SignedOut {
            login_path,
            action: Rc::new(action),
        });
    });
}

/// Whether an answer with `status` to `method path` ends the session (see [`on_signed_out`]).
pub fn ends_session(status: u16, method: &str, path: &str, login_path: &str) -> bool {
    status == 401 && !(method == "POST" && path == login_path)
}

/// `GET path`, read as JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiProblem> {
    read_json(&fetch_text("GET", path, None).await?)
}

/// `method path` with `body` as JSON, the answer read as JSON.
pub async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiProblem> {
    let body = serde_json::to_string(body).map_err(|_| ApiProblem::Unreadable)?;
    let text = fetch_text(method, path, Some(("application/json", body))).await?;
    read_json(&text)
}

/// A successful answer's text as `T`; text that does not fit means app and service versions
/// disagree.
pub fn read_json<T: DeserializeOwned>(text: &str) -> Result<T, ApiProblem> {
    serde_json::from_str(text).map_err(|_| ApiProblem::Unreadable)
}

/// `method path` with an optional (content type, body); the text of a successful answer.
pub async fn fetch_text(
    method: &str,
    path: &str,
    body: Option<(&str, String)>,
) -> Result<String, ApiProblem> {
    let window = web_sys::window().ok_or(ApiProblem::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiProblem::Unreachable)?;
    let _ = headers.set("Accept", "application/json");
    if let Some((content_type, body)) = &body {
        let _ = headers.set("Content-Type", content_type);
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ApiProblem::Unreachable)?
        .dyn_into()
        .map_err(|_| ApiProblem::Unreachable)?;
    if let Ok(Some(date)) = response.headers().get("date") {
        crate::clock::observe_server_date(&date);
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !response.ok() {
        let status = response.status();
        let action = ON_SIGNED_OUT.with(|slot| {
            slot.borrow()
                .as_ref()
                .filter(|hook| ends_session(status, method, path, hook.login_path))
                .map(|hook| Rc::clone(&hook.action))
        });
        if let Some(action) = action {
            action();
        }
        return Err(ApiProblem::from_error_answer(status, &text));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN: &str = "/api/officer/session";

    #[test]
    fn a_401_ends_the_session_except_for_the_login_itself() {
        assert!(ends_session(401, "GET", LOGIN, LOGIN));
        assert!(ends_session(401, "DELETE", LOGIN, LOGIN));
        assert!(ends_session(401, "POST", "/api/desks", LOGIN));
        assert!(!ends_session(401, "POST", LOGIN, LOGIN));
        assert!(!ends_session(403, "GET", "/api/desks", LOGIN));
        assert!(!ends_session(500, "GET", LOGIN, LOGIN));
    }

    #[test]
    fn an_answer_that_does_not_fit_is_unreadable() {
        let read: Result<Vec<u32>, _> = read_json("[1,2]");
        assert_eq!(read, Ok(vec![1, 2]));
        let read: Result<Vec<u32>, _> = read_json("{\"not\":\"a list\"}");
        assert_eq!(read, Err(ApiProblem::Unreadable));
    }
}
