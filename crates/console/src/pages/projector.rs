//! The projector view of a drive: its desk's rotating QR and short code as large as the
//! screen allows, the drive's name and what to do, for a hall full of people with phones.

use ikd_core::console_api::Drive;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::browser::{host, request_fullscreen, set_title};
use crate::components::desk_qr::DeskQr;
use crate::components::frame::DemoFooter;
use crate::components::problem::ProblemText;
use crate::pages::drive::use_drive_id;

#[component]
pub fn ProjectorPage() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let id = use_drive_id();
    let drive = RwSignal::new(None::<Result<Drive, ApiProblem>>);
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = api::drive(id).await;
            if let Ok(d) = &result {
                set_title(&format!("QR {}", d.name));
            }
            drive.set(Some(result));
        });
    });
    let address = format!("{}/daftar", host());

    view! {
        <main id="main" class="projector">
            {move || match drive.get() {
                None => view! { <p role="status">{move || i18n.t("Memuat…", "Loading…")}</p> }.into_any(),
                Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                Some(Ok(d)) => view! {
                    <div class="projector-qr">
                        <DeskQr desk_id=d.desk_id big=true />
                    </div>
                    <div class="projector-text">
                        <h1>{d.name.clone()}</h1>
                        <p class="agency">{format!("{} · {}", d.agency, d.place)}</p>
                        <p class="instruction">
                            {move || i18n.t("Pindai QR ini dengan aplikasi IKD Web di ponsel Anda", "Scan this QR with the IKD Web app on your phone")}
                        </p>
                        <p class="instruction-alt">
                            {move || i18n.t("Atau buka ", "Or open ")} <strong>{address.clone()}</strong>
                            {move || i18n.t(" di peramban ponsel, lalu ketik kode loket di bawah QR.", " in your phone's browser, then type the desk code below the QR.")}
                        </p>
                        <button type="button" class="fullscreen" on:click=|_| request_fullscreen()>
                            {move || i18n.t("Layar penuh", "Full screen")}
                        </button>
                    </div>
                }.into_any(),
            }}
        </main>
        <DemoFooter />
    }
}
