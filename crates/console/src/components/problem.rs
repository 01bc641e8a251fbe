//! A failure shown to the officer: the service's message (Bahasa Indonesia), in the markup the
//! citizen app uses too ([`ikd_browser::problem_text`]).

use ikd_browser::problem_text;
use leptos::prelude::*;

use crate::api::ApiProblem;

#[component]
pub fn ProblemText(problem: ApiProblem) -> impl IntoView {
    problem_text(problem, || false)
}

/// The problem in `signal`, when there is one.
pub fn show_problem(signal: RwSignal<Option<ApiProblem>>) -> impl IntoView {
    move || {
        signal
            .get()
            .map(|problem| view! { <ProblemText problem /> })
    }
}
