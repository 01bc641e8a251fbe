//! Loket (desk mode): the officer's open desk with its rotating QR on the left and the live
//! queue with the face check on the right. Without an open desk, a form opens one.

use ikd_core::console_api::{Desk, DeskKind, MAX_DESK_LABEL_CHARS, OpenDesk};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::desk_qr::DeskQr;
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::components::queue_list::{LiveQueue, live_queue};
use crate::components::review::Review;
use crate::i18n::use_i18n;

#[component]
pub fn DeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let desks = RwSignal::new(None::<Result<Vec<Desk>, ApiProblem>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            desks.set(Some(api::desks().await));
        });
    };
    reload();
    let my_desk = Memo::new(move |_| {
        desks.with(|d| match d {
            Some(Ok(list)) => Some(Ok(list.iter().find(|d| d.kind == DeskKind::Desk).cloned())),
            Some(Err(problem)) => Some(Err(problem.clone())),
            None => None,
        })
    });

    view! {
        <Frame title=i18n.title("Loket", "Desk") class="desk-page">
            {move || match my_desk.get() {
                None => view! { <p role="status">{move || i18n.t("Memuat loket…", "Loading the desk…")}</p> }.into_any(),
                Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                Some(Ok(None)) => view! { <OpenDeskForm on_open=Callback::new(move |()| reload()) /> }.into_any(),
                Some(Ok(Some(desk))) => view! {
                    <DeskWorkspace desk on_closed=Callback::new(move |()| reload()) />
                }.into_any(),
            }}
        </Frame>
    }
}

#[component]
fn OpenDeskForm(on_open: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let label = RwSignal::new("Loket 1".to_owned());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        problem.set(None);
        let request = OpenDesk {
            kind: DeskKind::Desk,
            label: label.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            let result = api::open_desk(&request).await;
            busy.set(false);
            match result {
                Ok(_) => on_open.run(()),
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="open-desk-title">
            <h2 id="open-desk-title">{move || i18n.t("Buka loket", "Open a desk")}</h2>
            <p>{move || i18n.t(
                "Anda belum membuka loket. Setelah dibuka, layar ini menampilkan QR yang dipindai pendaftar dan antrean mereka.",
                "You have not opened a desk. Once open, this screen shows the QR that applicants scan and their queue.",
            )}</p>
            <form class="form" on:submit=submit>
                <label for="desk-label">{move || i18n.t("Nama loket", "Desk name")}</label>
                <input id="desk-label" required=true maxlength=MAX_DESK_LABEL_CHARS.to_string() bind:value=label />
                {show_problem(problem)}
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Buka loket", "Open the desk")}</button>
            </form>
        </section>
    }
}

#[component]
fn DeskWorkspace(desk: Desk, on_closed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let desk_id = desk.id;
    let LiveQueue {
        items: queue,
        problem: queue_problem,
    } = live_queue(move || api::desk_queue(desk_id));

    let confirming = RwSignal::new(false);
    let close_problem = RwSignal::new(None::<ApiProblem>);
    let close = move |_| {
        leptos::task::spawn_local(async move {
            match api::close_desk(desk_id).await {
                Ok(()) => on_closed.run(()),
                Err(problem) => close_problem.set(Some(problem)),
            }
        });
    };

    view! {
        <div class="desk-layout">
            <aside class="desk-side" aria-labelledby="desk-title">
                <h2 id="desk-title">{desk.label.clone()}</h2>
                <DeskQr desk_id />
                <p class="hint">{move || i18n.t(
                    "Pendaftar memindai QR ini dengan aplikasi IKD Web, atau mengetik kodenya.",
                    "Applicants scan this QR with the IKD Web app, or type its code.",
                )}</p>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                            {move || i18n.t("Tutup loket", "Close the desk")}
                        </button>
                    }
                >
                    <div class="confirm" role="group" aria-labelledby="close-desk-q">
                        <p id="close-desk-q">
                            {move || i18n.t("Tutup loket ini? QR langsung tidak berlaku. ", "Close this desk? The QR stops working at once. ")}
                            {move || if i18n.en() {
                                format!("Queue: {} people.", queue.with(Vec::len))
                            } else {
                                format!("Antrean: {} orang.", queue.with(Vec::len))
                            }}
                        </p>
                        <button type="button" class="danger" on:click=close>{move || i18n.t("Ya, tutup loket", "Yes, close the desk")}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{move || i18n.t("Batal", "Cancel")}</button>
                    </div>
                </Show>
                {show_problem(close_problem)}
            </aside>
            <div class="desk-main">
                {show_problem(queue_problem)}
                <Review queue />
            </div>
        </div>
    }
}
