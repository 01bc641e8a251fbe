//! Showing a failure: the one markup both apps use for an [`ApiProblem`].

use leptos::prelude::*;

use crate::ApiProblem;

/// A failure shown to a person: the message in Bahasa Indonesia, or in English while
/// `english()` says so (the citizen app's language switch).
pub fn problem_text(
    problem: ApiProblem,
    english: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let id = problem.to_string();
    let en = problem.message_en();
    let text = move || if english() { en.clone() } else { id.clone() };
    view! { <p class="error" role="alert">{text}</p> }
}
