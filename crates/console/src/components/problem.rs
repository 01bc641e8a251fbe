//! A failure shown to the officer: the service's message (Bahasa Indonesia).

use leptos::prelude::*;

use crate::api::ApiProblem;

#[component]
pub fn ProblemText(problem: ApiProblem) -> impl IntoView {
    view! { <p class="error" role="alert">{problem.to_string()}</p> }
}

/// The problem in `signal`, when there is one.
pub fn show_problem(signal: RwSignal<Option<ApiProblem>>) -> impl IntoView {
    move || {
        signal
            .get()
            .map(|problem| view! { <ProblemText problem /> })
    }
}
