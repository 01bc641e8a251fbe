//! Relock: the open copy leaves memory again after the person has not touched the app for a
//! while, or the app has been in the background that long (1, 5 or 15 minutes, chosen in
//! Pengaturan; 5 by default). While the QR page is shown the app does not lock (the screen is
//! kept on there); time in the background still counts.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::state::use_app;

/// The idle times a person may choose, in minutes.
pub const CHOICES: [u32; 3] = [1, 5, 15];
pub const DEFAULT_MINUTES: u32 = 5;
/// Where the choice is kept (localStorage; it says nothing about the person).
const KEY: &str = "ikd-relock-minutes";

/// The chosen idle time in minutes.
pub fn minutes() -> u32 {
    crate::browser::stored(KEY)
        .and_then(|text| text.parse().ok())
        .filter(|m| CHOICES.contains(m))
        .unwrap_or(DEFAULT_MINUTES)
}

pub fn set_minutes(minutes: u32) {
    if CHOICES.contains(&minutes) {
        crate::browser::store(KEY, &minutes.to_string());
    }
}

/// Whether an open copy must lock now: idle (no touch or key) for `limit_ms`, unless a QR is
/// shown, or back from the background after at least `limit_ms` there.
pub fn due(
    now_ms: f64,
    last_active_ms: f64,
    hidden_since_ms: Option<f64>,
    limit_ms: f64,
    qr_shown: bool,
) -> bool {
    let background_too_long = hidden_since_ms.is_some_and(|since| now_ms - since >= limit_ms);
    let idle_too_long = !qr_shown && now_ms - last_active_ms >= limit_ms;
    background_too_long || idle_too_long
}

thread_local! {
    static LAST_ACTIVE: Cell<f64> = Cell::new(js_sys::Date::now());
    static HIDDEN_SINCE: Cell<Option<f64>> = const { Cell::new(None) };
    static QR_SHOWN: Cell<u32> = const { Cell::new(0) };
}

/// The QR page holds the lock off while it is mounted: call at mount, [`release`] at cleanup.
pub fn hold() {
    QR_SHOWN.with(|held| held.set(held.get() + 1));
}

pub fn release() {
    QR_SHOWN.with(|held| held.set(held.get().saturating_sub(1)));
    touched();
}

fn touched() {
    LAST_ACTIVE.with(|at| at.set(js_sys::Date::now()));
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Watches activity and the page's visibility; inside the router (it navigates to the PIN).
#[component]
pub fn RelockWatch() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let check = move || {
        // A copy waiting for its first PIN is not sealed yet: locking would lose it.
        if !app.is_unlocked() {
            return;
        }
        let now = js_sys::Date::now();
        let limit = f64::from(minutes()) * 60_000.0;
        let lock = due(
            now,
            LAST_ACTIVE.with(Cell::get),
            HIDDEN_SINCE.with(Cell::get),
            limit,
            QR_SHOWN.with(Cell::get) > 0,
        );
        if lock {
            app.lock();
            navigate("/buka", Default::default());
        }
    };
    for event in ["pointerdown", "keydown", "touchstart", "scroll"] {
        std::mem::forget(window_event_listener_untyped(event, |_| touched()));
    }
    let on_visibility = check.clone();
    std::mem::forget(window_event_listener(
        leptos::ev::visibilitychange,
        move |_| {
            if hidden() {
                HIDDEN_SINCE.with(|since| since.set(Some(js_sys::Date::now())));
            } else {
                on_visibility();
                HIDDEN_SINCE.with(|since| since.set(None));
                // Browsers drop the screen's wake lock in the background.
                if QR_SHOWN.with(Cell::get) > 0 {
                    crate::browser::keep_screen_on();
                }
                touched();
            }
        },
    ));
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !hidden() {
                check();
            }
        },
        Duration::from_secs(10),
    ) {
        on_cleanup(move || handle.clear());
    }
}
