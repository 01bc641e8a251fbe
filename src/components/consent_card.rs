//! One consent request or grant as a card (issue 17): who asks, for what in words, why and
//! for how long; a waiting request with Setujui / Tolak (approving first shows exactly what
//! will be shared), a live grant with Cabut (revoking first asks).

use ikd_core::consent_api::{ConsentItem, ConsentStatus};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::browser::local_time;
use crate::components::problem::ProblemText;
use crate::consent_words as words;
use crate::i18n::use_i18n;

/// Which question the card is asking, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    Nothing,
    Approve,
    Revoke,
}

#[component]
pub fn ConsentCard(
    item: ConsentItem,
    /// Told the item as the service answered after an approve, decline or revoke.
    #[prop(optional)]
    on_change: Option<Callback<ConsentItem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let item = RwSignal::new(item);
    let asking = RwSignal::new(Asking::Nothing);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let id = item.get_untracked().id;
    let dom_id = format!("consent-{}", api::path_part(&id));
    let title_id = format!("{dom_id}-title");
    let confirm_id = format!("{dom_id}-confirm");

    let act = move |what: Asking, approve: bool| {
        let id = item.with_untracked(|i| i.id.clone());
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let answer = match what {
                Asking::Revoke => api::revoke_consent(&id).await,
                _ => api::answer_consent(&id, approve).await,
            };
            busy.try_set(false);
            asking.try_set(Asking::Nothing);
            match answer {
                Ok(updated) => {
                    item.try_set(updated.clone());
                    if let Some(on_change) = on_change {
                        on_change.run(updated);
                    }
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
        });
    };

    let status = move || item.with(|i| i.status);
    let scope = move || item.with(|i| i.scope);
    view! {
        <article class=move || format!("card consent {}", status().as_str())
            data-testid="consent" data-status=move || status().as_str() data-scope=move || scope().as_str()
            aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>{move || item.with(|i| i.institution_name.clone())}</h3>
            <p class="consent-scope"><strong>{move || { let (id, en) = words::scope_name(scope()); i18n.t(id, en) }}</strong>
                " — "{move || { let (id, en) = words::scope_fields(scope()); i18n.t(id, en) }}</p>
            <dl class="consent-facts">
                <div><dt>{move || i18n.t("Tujuan", "Purpose")}</dt><dd>{move || item.with(|i| i.purpose.clone())}</dd></div>
                <div><dt>{move || i18n.t("Lama izin", "Period")}</dt><dd>{move || { let (id, en) = words::period(item.with(|i| i.period_days)); i18n.pick(id, en) }}</dd></div>
                <div><dt>{move || i18n.t("Status", "Status")}</dt><dd data-testid="consent-status">{move || { let (id, en) = words::status_label(status()); i18n.t(id, en) }}</dd></div>
                {move || item.with(|i| i.expires_at).filter(|_| status() == ConsentStatus::Live).map(|end| view! {
                    <div><dt>{move || i18n.t("Berlaku sampai", "Valid until")}</dt><dd>{local_time(end)}</dd></div>
                })}
                {move || (status() == ConsentStatus::Waiting).then(|| { let by = item.with(|i| i.answer_by); view! {
                    <div><dt>{move || i18n.t("Jawab sebelum", "Answer by")}</dt><dd>{local_time(by)}</dd></div>
                }})}
                {move || item.with(|i| i.revoked_at).map(|at| view! {
                    <div><dt>{move || i18n.t("Dicabut", "Revoked")}</dt><dd>{local_time(at)}</dd></div>
                })}
                {move || (item.with(|i| i.reads) > 0).then(|| { let (reads, last) = item.with(|i| (i.reads, i.last_read_at)); view! {
                    <div><dt>{move || i18n.t("Dibaca", "Reads")}</dt><dd data-testid="consent-reads">{move || i18n.pick(
                        format!("{reads} kali{}", last.map(|at| format!(", terakhir {}", local_time(at))).unwrap_or_default()),
                        format!("{reads} time{}{}", if reads == 1 { "" } else { "s" }, last.map(|at| format!(", last {}", local_time(at))).unwrap_or_default()),
                    )}</dd></div>
                }})}
                <div><dt>{move || i18n.t("Kode", "Code")}</dt><dd class="num">{move || item.with(|i| i.short_code.clone())}</dd></div>
            </dl>
            <Show when=move || !item.with(|i| i.institution_active)>
                <p class="muted">{move || i18n.t("Instansi ini sudah dinonaktifkan dan tidak dapat membaca data lagi.", "This institution has been switched off and can no longer read any data.")}</p>
            </Show>
            {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
            {
                let confirm_id = confirm_id.clone();
                move || {
                let confirm_id = confirm_id.clone();
                let labelled_by = confirm_id.clone();
                match (status(), asking.get()) {
                (ConsentStatus::Waiting, Asking::Approve) => view! {
                    <div class="confirm" role="alertdialog" aria-labelledby=labelled_by data-testid="confirm-approve">
                        <p id=confirm_id><strong>{move || { let (id, en) = item.with(words::approve_confirmation); i18n.pick(id, en) }}</strong></p>
                        <button class="primary" disabled=move || busy.get() on:click=move |_| act(Asking::Approve, true)>{move || i18n.t("Ya, setujui", "Yes, approve")}</button>
                        <button class="secondary" on:click=move |_| asking.set(Asking::Nothing)>{move || i18n.t("Batal", "Cancel")}</button>
                    </div>
                }.into_any(),
                (ConsentStatus::Waiting, _) => view! {
                    <div class="consent-actions">
                        <button class="primary" disabled=move || busy.get() on:click=move |_| asking.set(Asking::Approve)>{move || i18n.t("Setujui", "Approve")}</button>
                        <button class="secondary" disabled=move || busy.get() on:click=move |_| act(Asking::Nothing, false)>{move || i18n.t("Tolak", "Decline")}</button>
                    </div>
                }.into_any(),
                (ConsentStatus::Live, Asking::Revoke) => view! {
                    <div class="confirm" role="alertdialog" aria-labelledby=labelled_by data-testid="confirm-revoke">
                        <p id=confirm_id><strong>{move || { let (id, en) = item.with(words::revoke_confirmation); i18n.pick(id, en) }}</strong></p>
                        <button class="danger" disabled=move || busy.get() on:click=move |_| act(Asking::Revoke, false)>{move || i18n.t("Ya, cabut izin", "Yes, revoke")}</button>
                        <button class="secondary" on:click=move |_| asking.set(Asking::Nothing)>{move || i18n.t("Batal", "Cancel")}</button>
                    </div>
                }.into_any(),
                (ConsentStatus::Live, _) => view! {
                    <button class="danger" disabled=move || busy.get() on:click=move |_| asking.set(Asking::Revoke)>{move || i18n.t("Cabut izin", "Revoke")}</button>
                }.into_any(),
                _ => ().into_any(),
            }}}
        </article>
    }
}
