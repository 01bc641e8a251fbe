//! The live queue: people waiting for a decision, oldest first. New arrivals are announced
//! politely; the waiting times (minutes only) are not.

use std::future::Future;

use ikd_core::console_api::QueueItem;
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::browser::repeat;
use crate::format::{mask_nik, waited};
use crate::i18n::use_i18n;
use crate::state::use_clock;

/// How often the queue asks the service who is waiting.
const POLL_MS: i32 = 2000;

/// The queue of a desk or a drive, kept fresh while the component is mounted: `fetch` is
/// polled every 2 s; the list changes only when the answer differs, so the screen does not
/// re-render (and re-announce) an unchanged queue.
#[derive(Debug, Clone, Copy)]
pub struct LiveQueue {
    pub items: RwSignal<Vec<QueueItem>>,
    pub problem: RwSignal<Option<ApiProblem>>,
}

pub fn live_queue<F, Fut>(fetch: F) -> LiveQueue
where
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Vec<QueueItem>, ApiProblem>> + 'static,
{
    let live = LiveQueue {
        items: RwSignal::new(Vec::new()),
        problem: RwSignal::new(None),
    };
    repeat(move || async move {
        match fetch().await {
            Ok(items) => {
                live.problem.set(None);
                if live
                    .items
                    .try_with_untracked(|q| q != &items)
                    .unwrap_or(false)
                {
                    live.items.set(items);
                }
            }
            Err(problem) => live.problem.set(Some(problem)),
        }
        POLL_MS
    });
    live
}

#[component]
pub fn QueueList(
    #[prop(into)] items: Signal<Vec<QueueItem>>,
    selected: RwSignal<Option<String>>,
    /// People whose face was marked as matching (drives).
    #[prop(into)]
    checked: Signal<Vec<String>>,
) -> impl IntoView {
    let now = use_clock();
    let i18n = use_i18n();
    view! {
        <ol class="queue" data-testid="queue" aria-live="polite" aria-relevant="additions" aria-labelledby="queue-title">
            <For
                each=move || items.get()
                key=|item| item.registration_id.clone()
                children=move |item| {
                    let id = item.registration_id.clone();
                    let is_selected = {
                        let id = id.clone();
                        Memo::new(move |_| selected.with(|s| s.as_ref() == Some(&id)))
                    };
                    let is_checked = {
                        let id = id.clone();
                        Memo::new(move |_| checked.with(|c| c.contains(&id)))
                    };
                    let created_at = item.created_at;
                    let select = {
                        let id = id.clone();
                        move |_| selected.set(Some(id.clone()))
                    };
                    let unit = match (&item.nip, &item.unit) {
                        (Some(nip), Some(unit)) => Some(format!("{unit} · NIP {nip}")),
                        (None, Some(unit)) => Some(unit.clone()),
                        (Some(nip), None) => Some(format!("NIP {nip}")),
                        (None, None) => None,
                    };
                    view! {
                        <li
                            data-testid="queue-item"
                            data-registration-id=id.clone()
                            class:selected=move || is_selected.get()
                            class:checked=move || is_checked.get()
                        >
                            <button
                                type="button"
                                id=format!("queue-{id}")
                                aria-current=move || is_selected.get().then_some("true")
                                on:click=select
                            >
                                <span class="q-name">{item.full_name.clone()}</span>
                                <span class="q-nik">{mask_nik(&item.nik)}</span>
                                <span class="q-wait">
                                    <span class="visually-hidden">{move || i18n.t("menunggu ", "waiting ")}</span>
                                    {move || waited(now.get() - created_at, i18n.en())}
                                </span>
                                {unit.map(|unit| view! { <span class="q-unit">{unit}</span> })}
                                <Show when=move || is_checked.get()>
                                    <span class="q-check">{move || i18n.t("✓ wajah cocok", "✓ face matches")}</span>
                                </Show>
                            </button>
                        </li>
                    }
                }
            />
        </ol>
        <Show when=move || items.with(Vec::is_empty)>
            <p class="queue-empty">{move || i18n.t(
                "Belum ada pendaftar di antrean. Antrean diperbarui otomatis.",
                "No applicants in the queue yet. The queue updates by itself.",
            )}</p>
        </Show>
    }
}
