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
use crate::state::use_session;

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Frame title="Jejak audit" class="audit-page">
            {move || if session.manages_staff() {
                view! { <Trail /> }.into_any()
            } else {
                view! { <p>"Halaman ini hanya untuk supervisor dan administrator."</p> }.into_any()
            }}
        </Frame>
    }
}

#[component]
fn Trail() -> impl IntoView {
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
            <label for="audit-officer">"Petugas"</label>
            <select id="audit-officer" on:change=move |ev| officer.set(event_target_value(&ev)) prop:value=move || officer.get()>
                <option value="">"Semua petugas"</option>
                {move || officers.get().into_iter().map(|o| view! {
                    <option value=o.id.to_string()>{format!("{} ({})", o.full_name, o.username)}</option>
                }).collect_view()}
            </select>
            <label for="audit-day">"Tanggal (UTC)"</label>
            <input id="audit-day" type="date" bind:value=day />
            <button type="button" on:click=move |_| { officer.set(String::new()); day.set(String::new()); }>
                "Semua"
            </button>
        </form>
        <p><a href=csv download="jejak-audit.csv">"Unduh CSV"</a></p>
        {move || match trail.get() {
            None => view! { <p role="status">"Memuat…"</p> }.into_any(),
            Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
            Some(Ok(trail)) if trail.entries.is_empty() => {
                view! { <p>"Belum ada catatan untuk pilihan ini."</p> }.into_any()
            }
            Some(Ok(trail)) => view! {
                {trail.truncated.then(|| view! {
                    <p class="note">{format!(
                        "Hanya {} catatan terbaru yang ditampilkan; pilih petugas atau tanggal untuk yang lebih lama.",
                        thousands(MAX_AUDIT_ROWS as u64)
                    )}</p>
                })}
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Waktu (UTC)"</th>
                            <th scope="col">"Pelaku"</th>
                            <th scope="col">"Tindakan"</th>
                            <th scope="col">"Subjek"</th>
                            <th scope="col">"Rincian"</th>
                            <th scope="col">"Alamat klien"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trail.entries.into_iter().map(row).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

fn row(entry: AuditEntry) -> impl IntoView {
    let actor = if entry.region_code.is_empty() {
        entry.actor
    } else {
        format!("{} · {}", entry.actor, entry.region_code)
    };
    view! {
        <tr>
            <td>{utc_time(entry.at)}</td>
            <td>{actor}</td>
            <td>{entry.action.label_id()}</td>
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
