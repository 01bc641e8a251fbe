//! Shows the answer of `GET /api/health`, or why there is none.

use ikd_core::HealthReport;
use leptos::prelude::*;

use crate::api::ApiProblem;

#[component]
pub fn HealthStatus(result: Result<HealthReport, ApiProblem>) -> impl IntoView {
    if let Ok(report) = &result
        && let Some(app) = use_context::<crate::state::AppState>()
    {
        app.service_demo_data.set(report.demo_data);
    }
    match result {
        Ok(report) => view! {
            <p class="status-line ok" data-testid="health" data-status=report.status.clone()>
                {report.summary_id()}
            </p>
            <p class="status-line en" lang="en">{report.summary_en()}</p>
            <p class="status-kid">"Kunci penerbit (kid): " <code>{report.issuer_kid.to_string()}</code></p>
        }
        .into_any(),
        Err(problem) => view! {
            <p class="status-line error" role="alert" data-testid="health" data-status="error">
                {problem.to_string()}
            </p>
            <p class="status-line en" lang="en">{problem.message_en()}</p>
        }
        .into_any(),
    }
}
