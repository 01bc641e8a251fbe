//! Persetujuan (consents, issue 17): what institutions asked and what the citizen granted.
//! The home screen shows the requests waiting for an answer when the app opens online and
//! unlocked ([`WaitingConsents`]), first the one an institution's link or QR named
//! (`/?persetujuan=<CODE>`, kept in memory through the PIN or login screens); this screen
//! lists every grant, live and past, and revokes a live one.

use std::cell::RefCell;

use ikd_core::consent_api::{ConsentItem, ConsentOverview};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::consent_card::ConsentCard;
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::consent_words::code_in_query;
use crate::i18n::use_i18n;
use crate::state::use_app;

thread_local! {
    /// The code of the institution's link this page load was opened with, until shown.
    static ASKED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the code of `?persetujuan=<CODE>` from the address, if the app was opened with one.
pub fn remember_link_code() {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if let Some(code) = code_in_query(&search) {
        ASKED.with(|asked| *asked.borrow_mut() = Some(code));
    }
}

/// Whether an institution's link opened the app and its request was not shown yet.
pub fn link_code_waiting() -> bool {
    ASKED.with(|asked| asked.borrow().is_some())
}

fn take_link_code() -> Option<String> {
    ASKED.with(|asked| asked.borrow_mut().take())
}

/// The requests to answer now: the one the link named first (in whatever state it is, so a
/// second visit says it was answered), then every other waiting one.
async fn to_answer(code: Option<String>) -> Result<Vec<ConsentItem>, ApiProblem> {
    let mut items = Vec::new();
    let mut problem = None;
    if let Some(code) = code {
        match api::consent(&code).await {
            Ok(item) => items.push(item),
            Err(err) => problem = Some(err),
        }
    }
    let overview = api::consents().await?;
    for item in overview.waiting {
        if !items.iter().any(|i| i.id == item.id) {
            items.push(item);
        }
    }
    match problem {
        Some(err) if items.is_empty() => Err(err),
        _ => Ok(items),
    }
}

/// On the home screen: the requests waiting for an answer (nothing when offline, locked or
/// when none wait).
#[component]
pub fn WaitingConsents() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let code = take_link_code();
    let from_link = code.is_some();
    let waiting = LocalResource::new(move || {
        let code = code.clone();
        async move {
            if !app.online.get_untracked() {
                return Ok(Vec::new());
            }
            to_answer(code).await
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || waiting.get().map(|answer| match answer {
                Ok(items) if items.is_empty() => ().into_any(),
                Ok(items) => view! {
                    <section class="consent-waiting" aria-labelledby="consent-waiting-title" data-testid="consent-waiting">
                        <h2 id="consent-waiting-title">{move || i18n.t("Permintaan akses data", "Data access requests")}</h2>
                        <p>{move || i18n.t(
                            "Instansi berikut meminta izin membaca data Anda. Periksa siapa, data apa, untuk apa dan berapa lama, lalu jawab.",
                            "These institutions ask to read your data. Check who, which data, why and for how long, then answer.",
                        )}</p>
                        {items.into_iter().map(|item| view! { <ConsentCard item /> }).collect_view()}
                        <a href="/persetujuan">{move || i18n.t("Semua persetujuan", "All consents")}</a>
                    </section>
                }.into_any(),
                // Only a link's own request is worth a failure message on the home screen.
                Err(problem) if from_link => view! { <ProblemText problem /> }.into_any(),
                Err(_) => ().into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let overview = LocalResource::new(api::consents);
    view! {
        <Page title_id="Persetujuan" title_en="Consents" back="/">
            <p>{move || i18n.t(
                "Instansi (bank, BPJS, operator seluler, sekolah) hanya dapat membaca data Anda yang Anda izinkan, selama izin berlaku. Anda dapat mencabut izin kapan saja.",
                "Institutions (banks, BPJS, mobile operators, schools) can read only the data you allow, while your consent lasts. You can revoke it at any time.",
            )}</p>
            <Show when=move || app.online.get() fallback=move || view! {
                <p class="card">{move || i18n.t("Daftar persetujuan perlu koneksi internet.", "The list of consents needs an internet connection.")}</p>
            }>
                <Suspense fallback=move || view! { <p class="muted" aria-live="polite">{move || i18n.t("Memuat…", "Loading…")}</p> }>
                    {move || overview.get().map(|answer| match answer {
                        Ok(overview) => view! { <ConsentLists overview /> }.into_any(),
                        Err(problem) => view! {
                            <ProblemText problem />
                            <a class="button secondary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                        }.into_any(),
                    })}
                </Suspense>
            </Show>
        </Page>
    }
}

#[component]
fn ConsentLists(overview: ConsentOverview) -> impl IntoView {
    let i18n = use_i18n();
    let ConsentOverview { waiting, grants } = overview;
    let no_grants = grants.is_empty();
    view! {
        {(!waiting.is_empty()).then(|| view! {
            <section aria-labelledby="consents-waiting">
                <h2 id="consents-waiting">{move || i18n.t("Menunggu jawaban Anda", "Waiting for your answer")}</h2>
                {waiting.into_iter().map(|item| view! { <ConsentCard item /> }).collect_view()}
            </section>
        })}
        <section aria-labelledby="consents-grants" data-testid="consent-grants">
            <h2 id="consents-grants">{move || i18n.t("Izin yang pernah diberikan", "Consents given")}</h2>
            {no_grants.then(|| view! {
                <p class="muted">{move || i18n.t("Belum ada izin.", "No consents yet.")}</p>
            })}
            {grants.into_iter().map(|item| view! { <ConsentCard item /> }).collect_view()}
        </section>
    }
}
