//! Riwayat aktivitas: the citizen's own log, as of the last bundle refresh, as sentences a
//! person reads: who acted in words ("oleh Anda", "oleh petugas Dukcapil", an institution by
//! its name), never the service's internal ids; merged by time with the QRs this phone
//! showed (the sealed presentation log, [`crate::presentations`]), newest first. Online,
//! the service's latest log replaces the bundle's copy, so a read by an institution shows
//! at once; the lines of issue 17 (institution reads, consents, officers opening the
//! registration) are worded in [`crate::consent_words`].

use ikd_core::activity::{ActivityEntry, ActivityKind};
use leptos::prelude::*;

use crate::browser::local_time;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::{I18n, use_i18n};
use crate::presentations::{self, Presentation};
use crate::state::use_app;

/// One line of Riwayat: from the service, or from this phone.
#[derive(Debug, Clone)]
enum Line {
    Service(ActivityEntry),
    Shown(Presentation),
}

impl Line {
    fn at(&self) -> i64 {
        match self {
            Line::Service(entry) => entry.at,
            Line::Shown(presentation) => presentation.at,
        }
    }
}

/// Both logs, newest first; at the same second the service's entry comes first.
fn merged(activity: Vec<ActivityEntry>, shown: Vec<Presentation>) -> Vec<Line> {
    let mut lines: Vec<Line> = activity
        .into_iter()
        .map(Line::Service)
        .chain(shown.into_iter().map(Line::Shown))
        .collect();
    lines.sort_by_key(|line| (std::cmp::Reverse(line.at()), matches!(line, Line::Shown(_))));
    lines
}

/// Who acted, as the service records it (`ikd_core::activity::ActivityEntry::actor`): the
/// citizen ("warga"), an officer ("petugas:<id>"), or an institution's name.
fn actor_words(actor: &str, i18n: I18n) -> String {
    match actor.trim() {
        "" => String::new(),
        "warga" => i18n.t("oleh Anda", "by you").to_owned(),
        officer if officer.starts_with("petugas") => i18n
            .t("oleh petugas Dukcapil", "by a Dukcapil officer")
            .to_owned(),
        institution => i18n.pick(format!("oleh {institution}"), format!("by {institution}")),
    }
}

/// The entry's detail as a sentence, where the service records a bare word.
fn detail_words(entry: &ActivityEntry, i18n: I18n) -> Option<String> {
    if let Some((id, en)) = crate::consent_words::activity_detail(entry) {
        return Some(i18n.pick(id, en));
    }
    let detail = entry.detail.trim();
    if detail.is_empty() {
        return None;
    }
    Some(match (entry.kind, detail) {
        (ActivityKind::Verified, "sah") => i18n.t("QR sah", "The QR was valid").to_owned(),
        (ActivityKind::Verified, "dicabut") => i18n
            .t("QR sudah dicabut", "The QR had been revoked")
            .to_owned(),
        (ActivityKind::Rejected, reason) => {
            i18n.pick(format!("Alasan: {reason}"), format!("Reason: {reason}"))
        }
        (ActivityKind::Registered, desk) => i18n.pick(format!("Di {desk}"), format!("At {desk}")),
        // Issue 17's kinds whose detail did not parse: an id means nothing to a person.
        (
            ActivityKind::InstitutionRead
            | ActivityKind::ConsentGranted
            | ActivityKind::ConsentDeclined
            | ActivityKind::ConsentRevoked
            | ActivityKind::SelfieViewed
            | ActivityKind::RegistryPhotoViewed,
            _,
        ) => return None,
        (_, other) => other.to_owned(),
    })
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let app = use_app();
    // The presentation log opens with the log key of this unlocked session.
    let shown = LocalResource::new(move || async move {
        match (
            app.profile.get_value(),
            app.keys.with_value(|k| k.as_ref().map(|k| k.log_key())),
        ) {
            (Some(profile), Some(log_key)) => presentations::load(&profile, &log_key).await,
            _ => Vec::new(),
        }
    });
    // Online, the service's log as of now (an institution's read of a minute ago); the
    // bundle's copy otherwise, or when the session is gone.
    let latest = LocalResource::new(move || async move {
        if app.online.get_untracked() {
            crate::api::activity().await.ok()
        } else {
            None
        }
    });
    let i18n = use_i18n();
    view! {
        <Page title_id="Riwayat aktivitas" title_en="Activity history" back="/">
            <WithBundle view=move |bundle| view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let shown = shown.get()?;
                        let latest = latest.get()?;
                        let live = latest.is_some();
                        let activity = latest.unwrap_or_else(|| bundle.activity.clone());
                        Some(view! {
                            <p class="muted" data-testid="history-source" data-live=live.to_string()>{move || if live {
                                i18n.t("Terbaru dari layanan.", "Latest from the service.")
                            } else {
                                i18n.t("Sampai pembaruan data luring terakhir.", "As of the last offline data refresh.")
                            }}</p>
                            <HistoryList lines=merged(activity, shown) />
                        })
                    }}
                </Suspense>
            } />
        </Page>
    }
}

#[component]
fn HistoryList(lines: Vec<Line>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
                <ol class="card history">
                    {lines.into_iter().map(|line| {
                        let entry = match line {
                            Line::Service(entry) => entry,
                            Line::Shown(presentation) => {
                                let at = presentation.at;
                                let profile = presentation.profile.as_str();
                                let institution = presentation.institution.clone();
                                return view! {
                                    <li data-testid="presentation" data-profile=profile
                                        data-institution=institution>
                                        <strong>{move || i18n.pick(presentation.label_id(), presentation.label_en())}</strong>
                                        <span class="muted">{" · "}{local_time(at)}</span>
                                    </li>
                                }.into_any();
                            }
                        };
                        let entry = StoredValue::new(entry);
                        let kind = entry.with_value(|e| e.kind);
                        let at = entry.with_value(|e| e.at);
                        view! {
                            <li data-testid="activity">
                                <strong>{move || i18n.t(kind.label_id(), kind.label_en())}</strong>
                                {move || {
                                    let who = entry.with_value(|e| actor_words(&e.actor, i18n));
                                    (!who.is_empty()).then(|| format!(" {who}"))
                                }}
                                <span class="muted">{" · "}{local_time(at)}</span>
                                {move || entry.with_value(|e| detail_words(e, i18n)).map(|detail| view! { <p class="detail">{detail}</p> })}
                            </li>
                        }.into_any()
                    }).collect_view()}
                </ol>
    }
}
