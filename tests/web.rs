//! Browser tests: components mounted in real headless Chromium by wasm-bindgen-test-runner
//! (`cargo xtask test` runs them). Each mounts into its own element and checks the DOM.

#![cfg(target_arch = "wasm32")]

use ikd_core::{DatabaseKind, HealthReport, KeyId};
use ikd_web::api::ApiProblem;
use ikd_web::components::health_status::HealthStatus;
use ikd_web::i18n::I18n;
use ikd_web::pages::home::HomePage;
use ikd_web::state::AppState;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into, so tests do not see each other's output.
fn mount_point() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let div = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div.dyn_into().expect("html element")
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .expect("selector")
        .and_then(|el| el.text_content())
}

/// Lets pending futures and effects run (one turn of the browser's task queue).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
fn health_status_shows_a_healthy_service_in_indonesian() {
    let root = mount_point();
    let report = HealthReport {
        status: "ok".into(),
        version: "9.9.9".into(),
        database: DatabaseKind::Sqlite,
        schema_version: 3,
        issuer_kid: KeyId::from_public_key_bytes(b"abc"),
        demo_data: true,
    };
    let _handle = mount_to(root.clone(), move || {
        view! { <HealthStatus result=Ok(report.clone()) /> }
    });
    assert_eq!(
        text_of(&root, "[data-testid=health]").as_deref(),
        Some("Layanan aktif · versi 9.9.9 · basis data SQLite (skema v3)")
    );
    assert!(
        text_of(&root, ".status-kid")
            .expect("kid line")
            .contains("ba7816bf8f01cfea")
    );
}

#[wasm_bindgen_test]
fn health_status_explains_an_unreachable_service() {
    let root = mount_point();
    let _handle = mount_to(root.clone(), || {
        view! { <HealthStatus result=Err(ApiProblem::Unreachable) /> }
    });
    let alert = root
        .query_selector("[role=alert]")
        .expect("selector")
        .expect("an alert is shown");
    assert_eq!(
        alert.text_content().as_deref(),
        Some("Tidak dapat menghubungi layanan. Periksa koneksi internet Anda lalu coba lagi")
    );
}

/// The test runner's own web server has no `/api/health`, so the home page must fetch,
/// get an HTTP error, and tell the person so instead of waiting forever.
#[wasm_bindgen_test]
async fn home_page_fetches_health_and_reports_a_missing_service() {
    let root = mount_point();
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage());
        provide_context(AppState::new());
        view! { <Router><HomePage /></Router> }
    });
    assert_eq!(text_of(&root, "h1").as_deref(), Some("IKD Web"));
    for _ in 0..100 {
        if root
            .query_selector("[data-status=error]")
            .ok()
            .flatten()
            .is_some()
        {
            break;
        }
        settle().await;
    }
    let status = text_of(&root, "[data-testid=health]").expect("a health answer is rendered");
    assert!(
        status.starts_with("Layanan menjawab dengan galat HTTP 404"),
        "unexpected status line: {status}"
    );
}
