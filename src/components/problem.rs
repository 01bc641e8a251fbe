//! A failure shown to the citizen: the service's message in the chosen language.

use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::i18n::use_i18n;

#[component]
pub fn ProblemText(problem: ApiProblem) -> impl IntoView {
    let i18n = use_i18n();
    let id = problem.to_string();
    let en = problem.message_en();
    view! { <p class="error" role="alert">{move || i18n.pick(id.clone(), en.clone())}</p> }
}

/// The message for one field, when the service's refusal names it.
pub fn field_message(
    problem: Option<ApiProblem>,
    field: &str,
    i18n: crate::i18n::I18n,
) -> Option<String> {
    let problem = problem?;
    (problem.field() == Some(field)).then(|| i18n.pick(problem.to_string(), problem.message_en()))
}
