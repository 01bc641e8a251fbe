//! A failure shown to the citizen: the service's message in the chosen language, with the
//! markup the officer console uses too ([`ikd_browser::problem_text`]).

use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::i18n::use_i18n;

#[component]
pub fn ProblemText(problem: ApiProblem) -> impl IntoView {
    let i18n = use_i18n();
    ikd_browser::problem_text(problem, move || i18n.en())
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
