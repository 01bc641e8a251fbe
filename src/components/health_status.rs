//! Whether the service answers (`GET /api/health`), in the words a citizen needs: available
//! or not. The version, the database and the signing key id are operator detail; they stay in
//! the API answer and the console.

use ikd_core::HealthReport;
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::i18n::use_i18n;

#[component]
pub fn HealthStatus(result: Result<HealthReport, ApiProblem>) -> impl IntoView {
    let i18n = use_i18n();
    if let Ok(report) = &result
        && let Some(app) = use_context::<crate::state::AppState>()
    {
        app.service_demo_data.set(report.demo_data);
    }
    match result {
        Ok(report) if report.is_ok() => view! {
            <p class="status-line ok" data-testid="health" data-status=report.status.clone()>
                {move || i18n.t("Layanan tersedia", "The service is available")}
            </p>
        }
        .into_any(),
        Ok(report) => view! {
            <p class="status-line error" role="alert" data-testid="health" data-status=report.status.clone()>
                {move || i18n.t(
                    "Layanan tidak tersedia saat ini. Coba lagi nanti.",
                    "The service is not available right now. Try again later.",
                )}
            </p>
        }
        .into_any(),
        Err(problem) => {
            let (id, en) = (problem.to_string(), problem.message_en());
            view! {
                <p class="status-line error" role="alert" data-testid="health" data-status="error">
                    {move || i18n.t("Layanan tidak tersedia. ", "The service is not available. ")}
                    {move || i18n.pick(id.clone(), en.clone())}
                </p>
            }
            .into_any()
        }
    }
}
