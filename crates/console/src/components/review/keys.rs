//! The review's keyboard: which key presses reach the shortcuts and what each does to the
//! [`ReviewState`]. Which key means what is [`crate::keys`], pure and tested natively; this
//! module is the browser side of it.

use leptos::ev;
use leptos::prelude::*;

use super::state::ReviewState;
use crate::browser::{is_activatable_target, is_typing_target};
use crate::keys::{self, Action, Mode};

/// Listens for the shortcuts on the whole window while the calling component is mounted.
pub fn listen(state: ReviewState) {
    let handle = window_event_listener(ev::keydown, move |event: ev::KeyboardEvent| {
        on_key(state, &event);
    });
    on_cleanup(move || handle.remove());
}

fn on_key(state: ReviewState, event: &ev::KeyboardEvent) {
    if event.ctrl_key() || event.alt_key() || event.meta_key() || event.default_prevented() {
        return;
    }
    let target = event.target();
    if is_typing_target(target.clone()) {
        return;
    }
    let key = event.key();
    let mode = Mode {
        choosing_reason: state.choosing.get_untracked(),
        batch: state.batch,
    };
    let Some(action) = keys::action(&key, event.shift_key(), mode) else {
        return;
    };
    // Space and Enter on a button or link keep their usual meaning, except on the queue's
    // rows, where Space marks the face as matching.
    if matches!(key.as_str(), " " | "Enter") && is_activatable_target(target, "[data-testid=queue]")
    {
        return;
    }
    event.prevent_default();
    // Holding a key down must not decide person after person.
    if event.repeat() && !matches!(action, Action::Next | Action::Previous) {
        return;
    }
    perform(state, action);
}

fn perform(state: ReviewState, action: Action) {
    match action {
        Action::Next => state.move_by(1),
        Action::Previous => state.move_by(-1),
        Action::Approve => state.approve(),
        Action::Reject => state.open_chooser(),
        Action::FaceMatches => state.face_matches(),
        Action::ApproveChecked => state.approve_checked(),
        Action::Reason(i) => state.choose_reason(i),
        Action::OtherReason => state.choose_other_reason(),
        Action::Confirm => state.confirm_reject(),
        Action::Cancel => state.close_chooser(),
    }
}
