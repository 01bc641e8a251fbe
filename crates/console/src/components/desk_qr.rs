//! The rotating desk QR with its short code and a countdown. The token comes from the service
//! (`GET /api/desks/{id}/token`); the next one is fetched when the service says it rotates
//! (every 30 s), on the service's clock.

use ikd_browser::clock::service_now_secs;
use ikd_core::console_api::DeskToken;
use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::api::{self, ApiProblem};
use crate::browser::repeat;
use crate::components::problem::show_problem;
use crate::i18n::use_i18n;
use crate::state::use_clock;

/// The QR as SVG: dark modules on white with the quiet zone, scaled by CSS.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[component]
pub fn DeskQr(
    desk_id: i64,
    /// The projector layout: everything larger.
    #[prop(optional)]
    big: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let token = RwSignal::new(None::<DeskToken>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let now = use_clock();
    repeat(move || async move {
        match api::desk_token(desk_id).await {
            Ok(next) => {
                let wait = (next.rotates_at - service_now_secs()).clamp(1, 60) * 1000 + 250;
                problem.set(None);
                token.set(Some(next));
                wait as i32
            }
            Err(failure) => {
                problem.set(Some(failure));
                5000
            }
        }
    });
    // A token past its last moment is no use to anyone: show nothing rather than a dead QR.
    let current = Memo::new(move |_| token.get().filter(|t| now.get() <= t.expires_at));
    let svg = Memo::new(move |_| current.with(|t| t.as_ref().and_then(|t| qr_svg(&t.qr_text))));
    let seconds_left =
        move || current.with(|t| t.as_ref().map(|t| (t.rotates_at - now.get()).max(0)));

    view! {
        <div class="desk-qr" class:big=big>
            <div
                class="qr"
                data-testid="desk-qr"
                role="img"
                aria-label=move || i18n.t("QR pendaftaran IKD: pindai dengan aplikasi IKD Web", "IKD registration QR: scan it with the IKD Web app")
                inner_html=move || svg.get().unwrap_or_default()
            ></div>
            <p class="short-code-label">{move || i18n.t("Kode loket", "Desk code")}</p>
            <p class="short-code" data-testid="short-code">
                {move || current.with(|t| t.as_ref().map(|t| t.short_code.clone()).unwrap_or_default())}
            </p>
            <p class="countdown">
                {move || match seconds_left() {
                    Some(s) if i18n.en() => format!("QR and code change in {s} s"),
                    Some(s) => format!("QR dan kode berganti dalam {s} dtk"),
                    None => i18n.t("Memuat QR…", "Loading the QR…").to_owned(),
                }}
            </p>
            {show_problem(problem)}
        </div>
    }
}
