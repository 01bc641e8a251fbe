//! Riwayat aktivitas: the citizen's own log, as of the last bundle refresh.

use leptos::prelude::*;

use crate::browser::local_time;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Riwayat aktivitas" title_en="Activity history" back="/">
            <WithBundle view=move |bundle| view! {
                <ol class="card history">
                    {bundle.activity.into_iter().map(|entry| {
                        let actor = entry.actor.clone();
                        let detail = entry.detail.clone();
                        view! {
                            <li>
                                <strong>{move || i18n.t(entry.kind.label_id(), entry.kind.label_en())}</strong>
                                <span class="muted">{" · "}{local_time(entry.at)}</span>
                                <span class="muted">{" · "}{actor}</span>
                                {(!detail.is_empty()).then(|| view! { <p class="detail">{detail.clone()}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            } />
        </Page>
    }
}
