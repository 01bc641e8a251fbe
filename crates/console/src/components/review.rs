//! The review workspace shared by the desk and the drive page: the live queue, the face check
//! of the selected person, the decisions and their keyboard shortcuts (see `keys`).
//!
//! The first person waiting is selected whenever nobody (still waiting) is, so after a
//! decision the next person is on screen at once and an officer clears each person with one
//! key press after looking. On drives, "Wajah cocok" adds the person on screen to a checked
//! set (only once both photos have loaded: the face-check guarantee) and everyone checked is
//! approved in one batch.

use std::collections::{HashMap, HashSet};

use ikd_core::console_api::{BatchDecision, DecisionRequest, MAX_BATCH_DECISIONS, QueueItem};
use leptos::ev;
use leptos::prelude::*;

use crate::api;
use crate::browser::{focus, focus_soon, is_activatable_target, is_typing_target};
use crate::components::detail_panel::{BOTH_LOADED, DetailPanel, DetailState, PhotosSeen};
use crate::components::queue_list::QueueList;
use crate::components::reject_chooser::{RejectChooser, chosen_reason};
use crate::keys::{self, Action, Mode};

/// The line under the queue that says what the last decision did (read out politely).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub ok: bool,
    pub text: String,
    /// One line per person the service refused in a batch.
    pub details: Vec<String>,
    /// Approved, but the email with the activation code failed: the registration to resend to.
    pub resend: Option<String>,
}

impl StatusLine {
    fn ok(text: String) -> Self {
        Self {
            ok: true,
            text,
            details: Vec::new(),
            resend: None,
        }
    }

    fn error(text: impl Into<String>) -> Self {
        Self {
            ok: false,
            text: text.into(),
            details: Vec::new(),
            resend: None,
        }
    }
}

/// "Disetujui: NAMA — kode aktivasi dikirim ke email".
pub fn approved_text(name: &str, email_sent: bool) -> String {
    if email_sent {
        format!("Disetujui: {name} — kode aktivasi dikirim ke email")
    } else {
        format!("Disetujui: {name} — email kode aktivasi gagal terkirim; kirim ulang kodenya")
    }
}

/// The person `delta` places away from the selected one, staying within the queue.
pub fn step(items: &[QueueItem], selected: Option<&str>, delta: isize) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let index = match selected.and_then(|id| items.iter().position(|i| i.registration_id == id)) {
        Some(position) => (position as isize + delta).clamp(0, items.len() as isize - 1) as usize,
        None => 0,
    };
    Some(items[index].registration_id.clone())
}

/// The next person after `current` whose face is not checked yet (wrapping around).
pub fn next_unchecked(items: &[QueueItem], current: &str, checked: &[String]) -> Option<String> {
    let position = items
        .iter()
        .position(|i| i.registration_id == current)
        .map_or(0, |p| p + 1);
    items[position.min(items.len())..]
        .iter()
        .chain(&items[..position.min(items.len())])
        .find(|i| i.registration_id != current && !checked.contains(&i.registration_id))
        .map(|i| i.registration_id.clone())
}

#[component]
pub fn Review(
    /// The people waiting, oldest first, as last polled.
    #[prop(into)]
    queue: Signal<Vec<QueueItem>>,
    /// Drive mode: face-check marks and batch approval.
    #[prop(optional)]
    batch: bool,
) -> impl IntoView {
    // Decided here: hidden at once, before the next poll drops them.
    let gone = RwSignal::new(HashSet::<String>::new());
    let visible = Memo::new(move |_| {
        gone.with(|gone| {
            queue.with(|q| {
                q.iter()
                    .filter(|i| !gone.contains(&i.registration_id))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let selected = RwSignal::new(None::<String>);
    let detail = RwSignal::new(DetailState::Empty);
    let photos: PhotosSeen = RwSignal::new((String::new(), 0));
    let checked = RwSignal::new(Vec::<String>::new());
    let choosing = RwSignal::new(false);
    let choice = RwSignal::new(None::<usize>);
    let other = RwSignal::new(String::new());
    let choice_problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<StatusLine>);
    // A key pressed while the person's photos were still loading: done once both are on
    // screen, dropped if one fails or the selection moves.
    let pending = RwSignal::new(None::<(String, Action)>);
    // Shift+S pressed while a check was pending: the batch goes once the check is done.
    let batch_waiting = RwSignal::new(false);

    // Nobody (still waiting) selected: take the first in the queue.
    Effect::new(move |_| {
        let current = selected.get();
        let first = visible.with(|items| {
            let still_waiting = current
                .as_ref()
                .is_some_and(|id| items.iter().any(|i| &i.registration_id == id));
            (!still_waiting).then(|| items.first().map(|i| i.registration_id.clone()))
        });
        if let Some(first) = first
            && first != current
        {
            selected.set(first);
        }
    });

    // Load the detail of whoever is selected; an answer for someone no longer selected is
    // dropped.
    Effect::new(move |_| {
        let current = selected.get();
        choosing.set(false);
        pending.set(None);
        batch_waiting.set(false);
        let Some(id) = current else {
            detail.set(DetailState::Empty);
            return;
        };
        if detail.with_untracked(|d| d.registration_id() == Some(id.as_str())) {
            return;
        }
        detail.set(DetailState::Loading(id.clone()));
        leptos::task::spawn_local(async move {
            let result = api::registration(&id).await;
            if selected.try_get_untracked().flatten().as_deref() != Some(id.as_str()) {
                return;
            }
            detail.set(match result {
                Ok(found) => DetailState::Ready(Box::new(found)),
                Err(problem) => DetailState::Failed(id, problem),
            });
        });
    });

    let shown = Memo::new(move |_| detail.with(|d| d.shown().map(str::to_owned)));
    // The person whose detail and both photos are on screen.
    let face_seen = Memo::new(move |_| {
        let id = shown.get()?;
        photos.with(|(seen, bits)| (seen == &id && bits & BOTH_LOADED == BOTH_LOADED).then_some(id))
    });
    let photo_failed = Memo::new(move |_| {
        let id = shown.get()?;
        photos.with(|(seen, bits)| (seen == &id && bits & !BOTH_LOADED != 0).then_some(id))
    });
    // Who a face decision (S, C) applies to: the selected person, once their detail is shown.
    // `Err` says why there is nobody yet.
    let face_target = move || -> Result<String, &'static str> {
        let id = shown
            .get_untracked()
            .filter(|id| selected.with_untracked(|s| s.as_ref() == Some(id)))
            .ok_or("Tunggu sampai data pendaftar tampil")?;
        if photo_failed.get_untracked().is_some() {
            return Err(
                "Foto tidak dapat dimuat, jadi wajah tidak dapat diperiksa. Tolak atau coba lagi nanti",
            );
        }
        Ok(id)
    };
    let selected_item = Signal::derive(move || {
        let id = selected.get()?;
        visible.with(|items| items.iter().find(|i| i.registration_id == id).cloned())
    });
    let checked_waiting = Memo::new(move |_| {
        checked.with(|c| {
            visible.with(|items| {
                items
                    .iter()
                    .filter(|i| c.contains(&i.registration_id))
                    .map(|i| i.registration_id.clone())
                    .collect::<Vec<_>>()
            })
        })
    });

    let name_of = move |id: &str| {
        visible.with_untracked(|items| {
            items
                .iter()
                .find(|i| i.registration_id == id)
                .map(|i| i.full_name.clone())
                .unwrap_or_else(|| id.to_owned())
        })
    };
    let finish = move |id: String| {
        checked.update(|c| c.retain(|x| x != &id));
        gone.update(|g| {
            g.insert(id);
        });
    };

    let move_by = move |delta: isize| {
        let next = visible
            .with_untracked(|items| selected.with_untracked(|s| step(items, s.as_deref(), delta)));
        if let Some(id) = &next
            && next != selected.get_untracked()
        {
            // Only keyboard moves scroll the row into view: the automatic selection of the
            // first person must not scroll the page away from what the officer reads.
            scroll_into_view(&format!("queue-{id}"));
            selected.set(next);
        }
    };

    let approve_now = move |id: String| {
        if busy.get_untracked() {
            return;
        }
        let name = name_of(&id);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = DecisionRequest {
                approve: true,
                reason: None,
            };
            let result = api::decide(&id, &request).await;
            busy.set(false);
            match result {
                Ok(outcome) => {
                    let mut line = StatusLine::ok(approved_text(&name, outcome.email_sent));
                    line.ok = outcome.email_sent;
                    line.resend = (!outcome.email_sent).then(|| id.clone());
                    status.set(Some(line));
                    finish(id);
                }
                Err(problem) => {
                    status.set(Some(StatusLine::error(format!("{name}: {problem}"))));
                }
            }
        });
    };

    let open_chooser = move || {
        if selected.get_untracked().is_none() || busy.get_untracked() {
            return;
        }
        choice.set(None);
        other.set(String::new());
        choice_problem.set(None);
        choosing.set(true);
        focus_soon("reject-chooser");
    };
    let close_chooser = move || {
        choosing.set(false);
        focus_soon("detail");
    };
    let confirm_reject = move || {
        if busy.get_untracked() {
            return;
        }
        let Some(id) = selected.get_untracked() else {
            return;
        };
        let Some(reason) = chosen_reason(choice.get_untracked(), &other.get_untracked()) else {
            choice_problem.set(Some(
                "Pilih alasan (tombol 1–4) atau tulis alasan lain (tombol 5)".to_owned(),
            ));
            return;
        };
        let name = name_of(&id);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = DecisionRequest {
                approve: false,
                reason: Some(reason.clone()),
            };
            let result = api::decide(&id, &request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    choosing.set(false);
                    status.set(Some(StatusLine::ok(format!(
                        "Ditolak: {name} — alasan: {reason}"
                    ))));
                    finish(id);
                    focus_soon("detail");
                }
                Err(problem) => choice_problem.set(Some(problem.to_string())),
            }
        });
    };

    let check_now = move |id: String| {
        if checked.with_untracked(|c| c.contains(&id)) {
            checked.update(|c| c.retain(|x| x != &id));
            return;
        }
        checked.update(|c| c.push(id.clone()));
        let next = visible
            .with_untracked(|items| checked.with_untracked(|c| next_unchecked(items, &id, c)));
        if let Some(id) = &next {
            scroll_into_view(&format!("queue-{id}"));
            selected.set(next);
        }
    };

    let approve_checked = move || {
        if busy.get_untracked() {
            return;
        }
        // Shift+S right after C: the last check may still wait for its photos.
        if pending.with_untracked(Option::is_some) {
            batch_waiting.set(true);
            return;
        }
        let ids = checked_waiting.get_untracked();
        if ids.is_empty() {
            status.set(Some(StatusLine::error(
                "Belum ada yang dicentang. Periksa wajah, lalu tekan C atau Spasi",
            )));
            return;
        }
        let names: HashMap<String, String> =
            ids.iter().map(|id| (id.clone(), name_of(id))).collect();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut decided = 0u32;
            let mut refused = Vec::new();
            let mut failure = None;
            for chunk in ids.chunks(MAX_BATCH_DECISIONS) {
                let request = BatchDecision {
                    registration_ids: chunk.to_vec(),
                    approve: true,
                    reason: None,
                };
                match api::decide_batch(&request).await {
                    Ok(outcome) => {
                        decided += outcome.decided;
                        for result in outcome.results {
                            let name = names
                                .get(&result.registration_id)
                                .cloned()
                                .unwrap_or_else(|| result.registration_id.clone());
                            if result.status.is_some() {
                                finish(result.registration_id);
                            } else {
                                let id = result.registration_id;
                                checked.update(|c| c.retain(|x| x != &id));
                                refused.push(format!(
                                    "{name}: {}",
                                    result.problem.unwrap_or_default()
                                ));
                            }
                        }
                    }
                    Err(problem) => {
                        failure = Some(problem);
                        break;
                    }
                }
            }
            busy.set(false);
            let mut text = format!("Disetujui sekaligus: {decided} orang");
            if !refused.is_empty() {
                text.push_str(&format!("; {} tidak dapat diputuskan", refused.len()));
            }
            if let Some(problem) = &failure {
                text.push_str(&format!(". {problem}"));
            }
            status.set(Some(StatusLine {
                ok: failure.is_none() && refused.is_empty(),
                text,
                details: refused,
                resend: None,
            }));
        });
    };

    // S and C: at once when both photos are on screen, else as soon as they are.
    let face_action = move |action: Action| {
        if busy.get_untracked() || (action == Action::FaceMatches && !batch) {
            return;
        }
        match face_target() {
            Err(why) => status.set(Some(StatusLine::error(why))),
            Ok(id) if face_seen.get_untracked().as_ref() == Some(&id) => match action {
                Action::Approve => approve_now(id),
                _ => check_now(id),
            },
            Ok(id) => pending.set(Some((id, action))),
        }
    };
    Effect::new(move |_| {
        let Some((id, action)) = pending.get() else {
            return;
        };
        // Loaded or failed: either way the key press gets its answer now.
        if photo_failed.get().as_ref() == Some(&id) || face_seen.get().as_ref() == Some(&id) {
            pending.set(None);
            face_action(action);
            if batch_waiting.get_untracked() {
                batch_waiting.set(false);
                approve_checked();
            }
        }
    });
    let approve = move || face_action(Action::Approve);
    let face_matches = move || face_action(Action::FaceMatches);

    let resend = move |id: String| {
        leptos::task::spawn_local(async move {
            let line = match api::resend_code(&id).await {
                Ok(outcome) if outcome.email_sent => {
                    StatusLine::ok("Kode aktivasi baru dikirim ke email".to_owned())
                }
                Ok(_) => StatusLine::error(
                    "Email kode aktivasi gagal terkirim lagi. Coba beberapa saat lagi",
                ),
                Err(problem) => StatusLine::error(problem.to_string()),
            };
            status.set(Some(line));
        });
    };

    let handle = window_event_listener(ev::keydown, move |event: ev::KeyboardEvent| {
        if event.ctrl_key() || event.alt_key() || event.meta_key() || event.default_prevented() {
            return;
        }
        let target = event.target();
        if is_typing_target(target.clone()) {
            return;
        }
        let key = event.key();
        let mode = Mode {
            choosing_reason: choosing.get_untracked(),
            batch,
        };
        let Some(action) = keys::action(&key, event.shift_key(), mode) else {
            return;
        };
        // Space and Enter on a button or link keep their usual meaning, except on the queue's
        // rows, where Space marks the face as matching.
        if matches!(key.as_str(), " " | "Enter")
            && is_activatable_target(target, "[data-testid=queue]")
        {
            return;
        }
        event.prevent_default();
        // Holding a key down must not decide person after person.
        if event.repeat() && !matches!(action, Action::Next | Action::Previous) {
            return;
        }
        match action {
            Action::Next => move_by(1),
            Action::Previous => move_by(-1),
            Action::Approve => approve(),
            Action::Reject => open_chooser(),
            Action::FaceMatches => face_matches(),
            Action::ApproveChecked => approve_checked(),
            Action::Reason(i) => {
                choice.set(Some(i));
                focus(&format!("reject-reason-{}", i + 1));
            }
            Action::OtherReason => {
                choice.set(Some(crate::components::reject_chooser::OTHER));
                focus("reject-other");
            }
            Action::Confirm => confirm_reject(),
            Action::Cancel => close_chooser(),
        }
    });
    on_cleanup(move || handle.remove());

    let is_checked = move || {
        shown
            .get()
            .is_some_and(|id| checked.with(|c| c.contains(&id)))
    };

    view! {
        <div class="review" class:batch=batch>
            <section class="queue-panel" aria-labelledby="queue-title">
                <h2 id="queue-title">
                    "Antrean "
                    <span class="count">{move || format!("({})", visible.with(Vec::len))}</span>
                </h2>
                <QueueList items=visible selected checked />
                {batch.then(|| view! {
                    <button
                        type="button"
                        class="primary batch-approve"
                        disabled=move || busy.get()
                        on:click=move |_| approve_checked()
                    >
                        {move || format!("Setujui semua yang dicentang ({})", checked_waiting.with(Vec::len))}
                    </button>
                })}
            </section>
            <div class="detail-column">
                <div class="status-line" role="status" aria-live="polite">
                    {move || status.get().map(|line| view! {
                        <p class=if line.ok { "ok" } else { "error" }>{line.text}</p>
                        {line.resend.map(|id| view! {
                            <button type="button" on:click=move |_| resend(id.clone())>
                                "Kirim ulang kode aktivasi"
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
                                on:click=move |_| approve()
                            >
                                "Setujui " <kbd>"S"</kbd>
                            </button>
                            <button
                                type="button"
                                class="danger"
                                disabled=move || busy.get() || choosing.get()
                                on:click=move |_| open_chooser()
                            >
                                "Tolak " <kbd>"T"</kbd>
                            </button>
                            {batch.then(|| view! {
                                <button
                                    type="button"
                                    class="check"
                                    aria-pressed=move || if is_checked() { "true" } else { "false" }
                                    disabled=move || face_seen.get().is_none()
                                    on:click=move |_| face_matches()
                                >
                                    {move || if is_checked() { "✓ Wajah cocok " } else { "Wajah cocok " }}
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
                            on_confirm=Callback::new(move |()| confirm_reject())
                            on_cancel=Callback::new(move |()| close_chooser())
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
    view! {
        <section class="key-legend" aria-labelledby="keys-title">
            <h3 id="keys-title">"Pintasan papan ketik"</h3>
            <ul>
                {keys::legend(batch)
                    .into_iter()
                    .map(|(key, what)| view! { <li><kbd>{key}</kbd>" "{what}</li> })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn scroll_into_view(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> QueueItem {
        QueueItem {
            registration_id: id.to_owned(),
            nik: "3276015708950001".to_owned(),
            full_name: format!("ORANG {id}"),
            created_at: 0,
            nip: None,
            unit: None,
        }
    }

    #[test]
    fn stepping_stays_inside_the_queue() {
        let items = [item("a"), item("b"), item("c")];
        assert_eq!(step(&items, Some("a"), 1).as_deref(), Some("b"));
        assert_eq!(step(&items, Some("c"), 1).as_deref(), Some("c"));
        assert_eq!(step(&items, Some("a"), -1).as_deref(), Some("a"));
        assert_eq!(step(&items, Some("gone"), 1).as_deref(), Some("a"));
        assert_eq!(step(&[], None, 1), None);
    }

    #[test]
    fn after_a_check_the_next_unchecked_person_comes_up() {
        let items = [item("a"), item("b"), item("c")];
        let checked = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(next_unchecked(&items, "a", &checked).as_deref(), Some("c"));
        let checked = vec!["b".to_owned(), "c".to_owned()];
        assert_eq!(next_unchecked(&items, "c", &checked).as_deref(), Some("a"));
        let all = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(next_unchecked(&items, "b", &all), None);
    }

    #[test]
    fn the_approval_line_says_whether_the_code_went_out() {
        assert_eq!(
            approved_text("SITI", true),
            "Disetujui: SITI — kode aktivasi dikirim ke email"
        );
        assert!(approved_text("SITI", false).contains("gagal terkirim"));
    }
}
