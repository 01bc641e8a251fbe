//! Clock honesty: QRs carry the phone's time and the verifier judges them by its own, so a
//! clock far from the service's makes QRs that are refused (or refuses good ones). The
//! offset comes from the `Date` header of the service's last answer
//! ([`ikd_browser::clock`]) and is kept in localStorage, so the warning shows offline too.

use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// localStorage: the last known service-minus-phone offset, in whole seconds.
const OFFSET_KEY: &str = "ikd-clock-offset";
/// Beyond this, either way, the page warns.
pub const WARN_ABOVE_SECS: i64 = 60;

/// Keeps the offset the last answer showed, if this page has seen one.
pub fn remember() {
    if let Some(ms) = ikd_browser::clock::observed_offset_ms() {
        crate::browser::store(OFFSET_KEY, &((ms / 1000.0).round() as i64).to_string());
    }
}

/// Service clock minus this device's, in seconds: from this page's answers, else the last
/// one kept; `None` when the service was never reached from this browser.
pub fn known_offset_secs() -> Option<i64> {
    remember();
    crate::browser::stored(OFFSET_KEY).and_then(|text| text.parse().ok())
}

/// The warning, both languages, when the device clock is more than a minute off.
#[component]
pub fn ClockWarning() -> impl IntoView {
    let i18n = use_i18n();
    let offset = RwSignal::new(known_offset_secs());
    // Answers may arrive after the page opened (the lists, a refresh): look again now and then.
    if let Ok(handle) = set_interval_with_handle(
        move || offset.set(known_offset_secs()),
        Duration::from_secs(5),
    ) {
        on_cleanup(move || handle.clear());
    }
    move || {
        offset
            .get()
            .filter(|o| o.abs() > WARN_ABOVE_SECS)
            .map(|o| {
                let minutes = (o.abs() + 30) / 60;
                // A positive offset: the service is ahead, this device is behind.
                let (id, en) = if o > 0 {
                    ("terlambat", "behind")
                } else {
                    ("terlalu cepat", "ahead")
                };
                view! {
                    <section class="card warning" role="alert" data-testid="clock-warning" data-offset=o.to_string()>
                        <p>{move || i18n.pick(
                            format!("Jam perangkat ini {id} sekitar {minutes} menit dibanding jam layanan. QR yang dibuat atau diperiksa di perangkat ini bisa ditolak; cocokkan jam (atur otomatis dari jaringan)."),
                            format!("This device's clock is about {minutes} min {en} of the service's. QRs made or checked on this device may be refused; set the clock (automatically from the network)."),
                        )}</p>
                    </section>
                }
            })
    }
}
