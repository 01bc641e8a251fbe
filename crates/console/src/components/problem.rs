//! A failure shown to the officer: the service's message in the chosen language, in the
//! markup the citizen app uses too ([`ikd_browser::problem_text`]).

use ikd_browser::problem_text;
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::i18n::use_i18n;

#[component]
pub fn ProblemText(problem: ApiProblem) -> impl IntoView {
    let i18n = use_i18n();
    problem_text(problem, move || i18n.en())
}

/// The problem in `signal`, when there is one.
pub fn show_problem(signal: RwSignal<Option<ApiProblem>>) -> impl IntoView {
    move || {
        signal
            .get()
            .map(|problem| view! { <ProblemText problem /> })
    }
}
