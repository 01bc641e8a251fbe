//! The review's state, as `Copy` signals, and its transitions: who is selected, the person's
//! detail and photos, the face-check marks, the reject chooser and the last decision's status
//! line. The view (`review.rs`) and the keyboard (`keys.rs`) both act through these methods.
//!
//! The first person waiting is selected whenever nobody (still waiting) is, so after a
//! decision the next person is on screen at once. S and C act once both photos of the person
//! are on screen; pressed earlier, they wait for the photos (or their failure).

use std::collections::{HashMap, HashSet};

use ikd_core::console_api::{BatchDecision, DecisionRequest, MAX_BATCH_DECISIONS, QueueItem};
use leptos::prelude::*;

use crate::api;
use crate::browser::{focus, focus_soon};
use crate::components::detail_panel::{BOTH_LOADED, DetailState, PhotosSeen};
use crate::components::reject_chooser::{OTHER, chosen_reason};
use crate::i18n::{I18n, use_i18n};
use crate::keys::Action;

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

/// "Disetujui: NAMA — kode aktivasi dikirim ke email" (or in English).
pub fn approved_text(name: &str, email_sent: bool, english: bool) -> String {
    match (email_sent, english) {
        (true, false) => format!("Disetujui: {name} — kode aktivasi dikirim ke email"),
        (false, false) => {
            format!("Disetujui: {name} — email kode aktivasi gagal terkirim; kirim ulang kodenya")
        }
        (true, true) => format!("Approved: {name} — activation code sent by email"),
        (false, true) => {
            format!("Approved: {name} — the activation code email failed; resend the code")
        }
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

#[derive(Debug, Clone, Copy)]
pub struct ReviewState {
    /// The language status lines are written in.
    i18n: I18n,
    /// Drive mode: face-check marks and batch approval.
    pub batch: bool,
    /// Decided here: hidden at once, before the next poll drops them.
    gone: RwSignal<HashSet<String>>,
    /// The people waiting, oldest first, without those decided here.
    pub visible: Memo<Vec<QueueItem>>,
    pub selected: RwSignal<Option<String>>,
    pub detail: RwSignal<DetailState>,
    pub photos: PhotosSeen,
    /// Faces marked as matching (drives), approved together by Shift+S.
    pub checked: RwSignal<Vec<String>>,
    /// The reject chooser is open.
    pub choosing: RwSignal<bool>,
    pub choice: RwSignal<Option<usize>>,
    pub other: RwSignal<String>,
    /// Why the rejection cannot be confirmed yet.
    pub choice_problem: RwSignal<Option<String>>,
    /// A decision is on its way to the service.
    pub busy: RwSignal<bool>,
    pub status: RwSignal<Option<StatusLine>>,
    /// A key pressed while the person's photos were still loading: done once both are on
    /// screen, dropped if one fails or the selection moves.
    pending: RwSignal<Option<(String, Action)>>,
    /// Shift+S pressed while a check was pending: the batch goes once the check is done.
    batch_waiting: RwSignal<bool>,
    /// The person whose detail is on screen.
    pub shown: Memo<Option<String>>,
    /// The person whose detail and both photos are on screen.
    pub face_seen: Memo<Option<String>>,
    photo_failed: Memo<Option<String>>,
    pub selected_item: Signal<Option<QueueItem>>,
    /// The checked people still waiting.
    pub checked_waiting: Memo<Vec<String>>,
}

impl ReviewState {
    /// The state of one review, with the effects that keep it consistent: the first person
    /// selected when nobody (still waiting) is, the selected person's detail loaded, and a
    /// pending key press done once the photos have loaded (or failed).
    pub fn new(queue: Signal<Vec<QueueItem>>, batch: bool) -> Self {
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
        let pending = RwSignal::new(None::<(String, Action)>);
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
        let face_seen = Memo::new(move |_| {
            let id = shown.get()?;
            photos.with(|(seen, bits)| {
                (seen == &id && bits & BOTH_LOADED == BOTH_LOADED).then_some(id)
            })
        });
        let photo_failed = Memo::new(move |_| {
            let id = shown.get()?;
            photos.with(|(seen, bits)| (seen == &id && bits & !BOTH_LOADED != 0).then_some(id))
        });
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

        let state = Self {
            i18n: use_i18n(),
            batch,
            gone,
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
            pending,
            batch_waiting,
            shown,
            face_seen,
            photo_failed,
            selected_item,
            checked_waiting,
        };

        // S and C pressed before the photos were on screen: loaded or failed, either way the
        // key press gets its answer now.
        Effect::new(move |_| {
            let Some((id, action)) = pending.get() else {
                return;
            };
            if photo_failed.get().as_ref() == Some(&id) || face_seen.get().as_ref() == Some(&id) {
                pending.set(None);
                state.face_action(action);
                if batch_waiting.get_untracked() {
                    batch_waiting.set(false);
                    state.approve_checked();
                }
            }
        });

        state
    }

    /// Whether the person on screen is checked (drives).
    pub fn is_checked(self) -> bool {
        self.shown
            .get()
            .is_some_and(|id| self.checked.with(|c| c.contains(&id)))
    }

    /// Who a face decision (S, C) applies to: the selected person, once their detail is shown.
    /// `Err` says why there is nobody yet.
    fn face_target(self) -> Result<String, &'static str> {
        let id = self
            .shown
            .get_untracked()
            .filter(|id| self.selected.with_untracked(|s| s.as_ref() == Some(id)))
            .ok_or_else(|| {
                self.t(
                    "Tunggu sampai data pendaftar tampil",
                    "Wait until the applicant's data is shown",
                )
            })?;
        if self.photo_failed.get_untracked().is_some() {
            return Err(self.t(
                "Foto tidak dapat dimuat, jadi wajah tidak dapat diperiksa. Tolak atau coba lagi nanti",
                "The photos could not be loaded, so the face cannot be checked. Reject, or try again later",
            ));
        }
        Ok(id)
    }

    /// A text in the language chosen now.
    fn t(self, id: &'static str, en: &'static str) -> &'static str {
        if self.english() { en } else { id }
    }

    fn english(self) -> bool {
        self.i18n.en_untracked()
    }

    /// A refusal of the service in the language chosen now.
    fn problem(self, problem: &api::ApiProblem) -> String {
        if self.english() {
            problem.message_en()
        } else {
            problem.to_string()
        }
    }

    fn name_of(self, id: &str) -> String {
        self.visible.with_untracked(|items| {
            items
                .iter()
                .find(|i| i.registration_id == id)
                .map(|i| i.full_name.clone())
                .unwrap_or_else(|| id.to_owned())
        })
    }

    /// The person is decided: hidden from the queue and from the checked set.
    fn finish(self, id: String) {
        self.checked.update(|c| c.retain(|x| x != &id));
        self.gone.update(|g| {
            g.insert(id);
        });
    }

    /// J/K and the arrows: the person `delta` places away.
    pub fn move_by(self, delta: isize) {
        let next = self.visible.with_untracked(|items| {
            self.selected
                .with_untracked(|s| step(items, s.as_deref(), delta))
        });
        if let Some(id) = &next
            && next != self.selected.get_untracked()
        {
            // Only keyboard moves scroll the row into view: the automatic selection of the
            // first person must not scroll the page away from what the officer reads.
            scroll_into_view(&format!("queue-{id}"));
            self.selected.set(next);
        }
    }

    fn approve_now(self, id: String) {
        if self.busy.get_untracked() {
            return;
        }
        let name = self.name_of(&id);
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let request = DecisionRequest {
                approve: true,
                reason: None,
            };
            let result = api::decide(&id, &request).await;
            self.busy.set(false);
            match result {
                Ok(outcome) => {
                    let mut line =
                        StatusLine::ok(approved_text(&name, outcome.email_sent, self.english()));
                    line.ok = outcome.email_sent;
                    line.resend = (!outcome.email_sent).then(|| id.clone());
                    self.status.set(Some(line));
                    self.finish(id);
                }
                Err(problem) => {
                    self.status.set(Some(StatusLine::error(format!(
                        "{name}: {}",
                        self.problem(&problem)
                    ))));
                }
            }
        });
    }

    /// T: the reject chooser, focused.
    pub fn open_chooser(self) {
        if self.selected.get_untracked().is_none() || self.busy.get_untracked() {
            return;
        }
        self.choice.set(None);
        self.other.set(String::new());
        self.choice_problem.set(None);
        self.choosing.set(true);
        focus_soon("reject-chooser");
    }

    /// Esc: the chooser closes and focus returns to the person.
    pub fn close_chooser(self) {
        self.choosing.set(false);
        focus_soon("detail");
    }

    /// 1–4 in the chooser: one of the listed reasons (0-based).
    pub fn choose_reason(self, index: usize) {
        self.choice.set(Some(index));
        focus(&format!("reject-reason-{}", index + 1));
    }

    /// 5 in the chooser: "Lainnya" and its text field.
    pub fn choose_other_reason(self) {
        self.choice.set(Some(OTHER));
        focus("reject-other");
    }

    /// Enter in the chooser: the rejection with the chosen reason.
    pub fn confirm_reject(self) {
        if self.busy.get_untracked() {
            return;
        }
        let Some(id) = self.selected.get_untracked() else {
            return;
        };
        let Some(reason) = chosen_reason(self.choice.get_untracked(), &self.other.get_untracked())
        else {
            self.choice_problem.set(Some(
                self.t(
                    "Pilih alasan (tombol 1–4) atau tulis alasan lain (tombol 5)",
                    "Choose a reason (keys 1–4) or write another reason (key 5)",
                )
                .to_owned(),
            ));
            return;
        };
        let name = self.name_of(&id);
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let request = DecisionRequest {
                approve: false,
                reason: Some(reason.clone()),
            };
            let result = api::decide(&id, &request).await;
            self.busy.set(false);
            match result {
                Ok(_) => {
                    self.choosing.set(false);
                    self.status.set(Some(StatusLine::ok(if self.english() {
                        format!("Rejected: {name} — reason: {reason}")
                    } else {
                        format!("Ditolak: {name} — alasan: {reason}")
                    })));
                    self.finish(id);
                    focus_soon("detail");
                }
                Err(problem) => self.choice_problem.set(Some(self.problem(&problem))),
            }
        });
    }

    fn check_now(self, id: String) {
        if self.checked.with_untracked(|c| c.contains(&id)) {
            self.checked.update(|c| c.retain(|x| x != &id));
            return;
        }
        self.checked.update(|c| c.push(id.clone()));
        let next = self.visible.with_untracked(|items| {
            self.checked
                .with_untracked(|c| next_unchecked(items, &id, c))
        });
        if let Some(id) = &next {
            scroll_into_view(&format!("queue-{id}"));
            self.selected.set(next);
        }
    }

    /// Shift+S (drives): everyone checked, in batches of at most `MAX_BATCH_DECISIONS`.
    pub fn approve_checked(self) {
        if self.busy.get_untracked() {
            return;
        }
        // Shift+S right after C: the last check may still wait for its photos.
        if self.pending.with_untracked(Option::is_some) {
            self.batch_waiting.set(true);
            return;
        }
        let ids = self.checked_waiting.get_untracked();
        if ids.is_empty() {
            self.status.set(Some(StatusLine::error(self.t(
                "Belum ada yang dicentang. Periksa wajah, lalu tekan C atau Spasi",
                "Nobody is ticked yet. Check the face, then press C or Space",
            ))));
            return;
        }
        let names: HashMap<String, String> = ids
            .iter()
            .map(|id| (id.clone(), self.name_of(id)))
            .collect();
        self.busy.set(true);
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
                                self.finish(result.registration_id);
                            } else {
                                let id = result.registration_id;
                                self.checked.update(|c| c.retain(|x| x != &id));
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
            self.busy.set(false);
            let english = self.english();
            let mut text = if english {
                format!("Approved together: {decided} people")
            } else {
                format!("Disetujui sekaligus: {decided} orang")
            };
            if !refused.is_empty() {
                text.push_str(&if english {
                    format!("; {} could not be decided", refused.len())
                } else {
                    format!("; {} tidak dapat diputuskan", refused.len())
                });
            }
            if let Some(problem) = &failure {
                text.push_str(&format!(". {}", self.problem(problem)));
            }
            self.status.set(Some(StatusLine {
                ok: failure.is_none() && refused.is_empty(),
                text,
                details: refused,
                resend: None,
            }));
        });
    }

    /// S and C: at once when both photos are on screen, else as soon as they are.
    fn face_action(self, action: Action) {
        if self.busy.get_untracked() || (action == Action::FaceMatches && !self.batch) {
            return;
        }
        match self.face_target() {
            Err(why) => self.status.set(Some(StatusLine::error(why))),
            Ok(id) if self.face_seen.get_untracked().as_ref() == Some(&id) => match action {
                Action::Approve => self.approve_now(id),
                _ => self.check_now(id),
            },
            Ok(id) => self.pending.set(Some((id, action))),
        }
    }

    /// S: approve the person on screen.
    pub fn approve(self) {
        self.face_action(Action::Approve);
    }

    /// C or Space (drives): the face matches; check the person and go to the next unchecked.
    pub fn face_matches(self) {
        self.face_action(Action::FaceMatches);
    }

    /// Sends a new activation code to an approved person whose email failed.
    pub fn resend(self, id: String) {
        leptos::task::spawn_local(async move {
            let line = match api::resend_code(&id).await {
                Ok(outcome) if outcome.email_sent => StatusLine::ok(
                    self.t(
                        "Kode aktivasi baru dikirim ke email",
                        "A new activation code was sent by email",
                    )
                    .to_owned(),
                ),
                Ok(_) => StatusLine::error(self.t(
                    "Email kode aktivasi gagal terkirim lagi. Coba beberapa saat lagi",
                    "The activation code email failed again. Try again in a while",
                )),
                Err(problem) => StatusLine::error(self.problem(&problem)),
            };
            self.status.set(Some(line));
        });
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
            approved_text("SITI", true, false),
            "Disetujui: SITI — kode aktivasi dikirim ke email"
        );
        assert!(approved_text("SITI", false, false).contains("gagal terkirim"));
        assert!(approved_text("SITI", false, true).contains("resend"));
    }
}
