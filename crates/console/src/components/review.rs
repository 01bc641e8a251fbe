//! The review workspace shared by the desk and the drive page: the live queue, the face check
//! of the selected person, the decisions and their keyboard shortcuts. This is the view; the
//! signals and transitions are [`state::ReviewState`], the keyboard is `keys.rs` (the key map
//! itself is [`crate::keys`]).
//!
//! The first person waiting is selected whenever nobody (still waiting) is, so after a
//! decision the next person is on screen at once and an officer clears each person with one
//! key press after looking. On drives, "Wajah cocok" adds the person on screen to a checked
//! set (only once both photos have loaded: the face-check guarantee) and everyone checked is
//! approved in one batch.

mod keys;
pub mod state;

use ikd_core::console_api::QueueItem;
use leptos::prelude::*;

use self::state::ReviewState;
use crate::components::detail_panel::DetailPanel;
use crate::components::queue_list::QueueList;
use crate::components::reject_chooser::RejectChooser;
use crate::i18n::use_i18n;

#[component]
pub fn Review(
    /// The people waiting, oldest first, as last polled.
    #[prop(into)]
    queue: Signal<Vec<QueueItem>>,
    /// Drive mode: face-check marks and batch approval.
    #[prop(optional)]
    batch: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = ReviewState::new(queue, batch);
    keys::listen(state);
    let ReviewState {
        visible,
        selected,
        detail,
        photos,
        checked,
        choosing,
        choice,
        other,
        choice_problem,
        busy,
        status,
        shown,
        face_seen,
        selected_item,
        checked_waiting,
        ..
    } = state;

    view! {
        <div class="review" class:batch=batch>
            <section class="queue-panel" aria-labelledby="queue-title">
                <h2 id="queue-title">
                    {move || i18n.t("Antrean ", "Queue ")}
                    <span class="count">{move || format!("({})", visible.with(Vec::len))}</span>
                </h2>
                <QueueList items=visible selected checked />
                {batch.then(|| view! {
                    <button
                        type="button"
                        class="primary batch-approve"
                        disabled=move || busy.get()
                        on:click=move |_| state.approve_checked()
                    >
                        {move || format!("{} ({})", i18n.t("Setujui semua yang dicentang", "Approve everyone ticked"), checked_waiting.with(Vec::len))}
                    </button>
                })}
            </section>
            <div class="detail-column">
                <div class="status-line" role="status" aria-live="polite">
                    {move || status.get().map(|line| view! {
                        <p class=if line.ok { "ok" } else { "error" }>{line.text}</p>
                        {line.resend.map(|id| view! {
                            <button type="button" on:click=move |_| state.resend(id.clone())>
                                {move || i18n.t("Kirim ulang kode aktivasi", "Resend the activation code")}
                            </button>
                        })}
                        {(!line.details.is_empty()).then(|| view! {
                            <ul class="refused">
                                {line.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                            </ul>
                        })}
                    })}
                </div>
                <DetailPanel state=detail item=selected_item photos>
                    <Show when=move || shown.get().is_some()>
                        <div class="actions decision">
                            <button
                                type="button"
                                class="approve"
                                disabled=move || busy.get() || face_seen.get().is_none()
                                on:click=move |_| state.approve()
                            >
                                {move || i18n.t("Setujui ", "Approve ")} <kbd>"S"</kbd>
                            </button>
                            <button
                                type="button"
                                class="danger"
                                disabled=move || busy.get() || choosing.get()
                                on:click=move |_| state.open_chooser()
                            >
                                {move || i18n.t("Tolak ", "Reject ")} <kbd>"T"</kbd>
                            </button>
                            {batch.then(|| view! {
                                <button
                                    type="button"
                                    class="check"
                                    aria-pressed=move || if state.is_checked() { "true" } else { "false" }
                                    disabled=move || face_seen.get().is_none()
                                    on:click=move |_| state.face_matches()
                                >
                                    {move || if state.is_checked() { i18n.t("✓ Wajah cocok ", "✓ Face matches ") } else { i18n.t("Wajah cocok ", "Face matches ") }}
                                    <kbd>"C"</kbd>
                                </button>
                            })}
                        </div>
                    </Show>
                    <Show when=move || choosing.get()>
                        <RejectChooser
                            choice
                            other
                            problem=choice_problem
                            busy
                            on_confirm=Callback::new(move |()| state.confirm_reject())
                            on_cancel=Callback::new(move |()| state.close_chooser())
                        />
                    </Show>
                </DetailPanel>
                <KeyLegend batch />
            </div>
        </div>
    }
}

/// The shortcuts, always visible beside the work they speed up.
#[component]
pub fn KeyLegend(batch: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="key-legend" aria-labelledby="keys-title">
            <h3 id="keys-title">{move || i18n.t("Pintasan papan ketik", "Keyboard shortcuts")}</h3>
            <ul>
                {move || crate::keys::legend(batch, i18n.en())
                    .into_iter()
                    .map(|(key, what)| view! { <li><kbd>{key}</kbd>" "{what}</li> })
                    .collect_view()}
            </ul>
        </section>
    }
}
