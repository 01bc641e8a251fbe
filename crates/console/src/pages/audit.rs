//! Jejak audit: supervisors and admins read who did what in their region (decisions, lock
//! lifts, rosters, desks, officer accounts, issuer keys), by officer and day, and download
//! the same rows as CSV. Times are UTC, as the service records them.

use ikd_core::Date;
use ikd_core::audit::{AuditEntry, AuditTrail, MAX_AUDIT_ROWS};
use ikd_core::console_api::OfficerSummary;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::frame::Frame;
use crate::components::problem::ProblemText;
use crate::format::thousands;
use crate::i18n::{I18n, use_i18n};
use crate::state::use_session;

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <Frame title=i18n.title("Jejak audit", "Audit trail") class="audit-page">
            {move || if session.manages_staff() {
                view! { <Trail /> }.into_any()
            } else {
                view! { <p>{move || i18n.t("Halaman ini hanya untuk supervisor dan administrator.", "This page is for supervisors and administrators only.")}</p> }.into_any()
            }}
        </Frame>
    }
}

#[component]
fn Trail() -> impl IntoView {
    let i18n = use_i18n();
    let officers = RwSignal::new(Vec::<OfficerSummary>::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::officers().await {
            officers.set(list);
        }
    });
    // "" for everyone / every day.
    let officer = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let trail = RwSignal::new(None::<Result<AuditTrail, ApiProblem>>);
    let chosen = move || (officer.get().parse::<i64>().ok(), day.get());
    Effect::new(move |_| {
        let (officer_id, day) = chosen();
        trail.set(None);
        leptos::task::spawn_local(async move {
            trail.set(Some(api::audit_trail(officer_id, &day).await));
        });
    });
    let csv = move || {
        let (officer_id, day) = chosen();
        api::audit_trail_url(officer_id, &day, true)
    };

    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label for="audit-officer">{move || i18n.t("Petugas", "Officer")}</label>
            <select id="audit-officer" on:change=move |ev| officer.set(event_target_value(&ev)) prop:value=move || officer.get()>
                <option value="">{move || i18n.t("Semua petugas", "All officers")}</option>
                {move || officers.get().into_iter().map(|o| view! {
                    <option value=o.id.to_string()>{format!("{} ({})", o.full_name, o.username)}</option>
                }).collect_view()}
            </select>
            <label for="audit-day">{move || i18n.t("Tanggal (UTC)", "Date (UTC)")}</label>
            <input id="audit-day" type="date" bind:value=day />
            <button type="button" on:click=move |_| { officer.set(String::new()); day.set(String::new()); }>
                {move || i18n.t("Semua", "All")}
            </button>
        </form>
        <p><a href=csv download="jejak-audit.csv">{move || i18n.t("Unduh CSV", "Download CSV")}</a></p>
        {move || match trail.get() {
            None => view! { <p role="status">{move || i18n.t("Memuat…", "Loading…")}</p> }.into_any(),
            Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
            Some(Ok(trail)) if trail.entries.is_empty() => {
                view! { <p>{move || i18n.t("Belum ada catatan untuk pilihan ini.", "No records for this choice yet.")}</p> }.into_any()
            }
            Some(Ok(trail)) => view! {
                {trail.truncated.then(|| view! {
                    <p class="note">{move || if i18n.en() { format!(
                        "Only the latest {} records are shown; choose an officer or a date for older ones.",
                        thousands(MAX_AUDIT_ROWS as u64)
                    ) } else { format!(
                        "Hanya {} catatan terbaru yang ditampilkan; pilih petugas atau tanggal untuk yang lebih lama.",
                        thousands(MAX_AUDIT_ROWS as u64)
                    ) }}</p>
                })}
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t("Waktu (UTC)", "Time (UTC)")}</th>
                            <th scope="col">{move || i18n.t("Pelaku", "Actor")}</th>
                            <th scope="col">{move || i18n.t("Tindakan", "Action")}</th>
                            <th scope="col">{move || i18n.t("Subjek", "Subject")}</th>
                            <th scope="col">{move || i18n.t("Rincian", "Details")}</th>
                            <th scope="col">{move || i18n.t("Alamat klien", "Client address")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trail.entries.into_iter().map(|entry| row(entry, i18n)).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

fn row(entry: AuditEntry, i18n: I18n) -> impl IntoView {
    let action = entry.action;
    let actor = if entry.region_code.is_empty() {
        entry.actor
    } else {
        format!("{} · {}", entry.actor, entry.region_code)
    };
    view! {
        <tr>
            <td>{utc_time(entry.at)}</td>
            <td>{actor}</td>
            <td>{move || if i18n.en() { action.label_en() } else { action.label_id() }}</td>
            <td>{entry.subject}</td>
            <td>{entry.detail}</td>
            <td>{entry.client_ip}</td>
        </tr>
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC.
fn utc_time(at: i64) -> String {
    let days = i32::try_from(at.div_euclid(86_400)).unwrap_or(0);
    let secs = at.rem_euclid(86_400);
    let date = Date::from_days_since_epoch(days).map_or_else(String::new, |d| d.to_string());
    format!(
        "{date} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_as_utc_date_and_clock() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00");
        assert_eq!(utc_time(86_400 + 3_723), "1970-01-02 01:02:03");
    }
}
