//! Jemput bola: the registration drives the officer can see, and a form to create one.

use ikd_core::console_api::{Drive, NewDrive};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiProblem};
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::format::{ktp_date, split_list, thousands};
use crate::i18n::use_i18n;
use crate::state::href;

#[component]
pub fn DrivesPage() -> impl IntoView {
    let i18n = use_i18n();
    let drives = RwSignal::new(None::<Result<Vec<Drive>, ApiProblem>>);
    leptos::task::spawn_local(async move {
        drives.set(Some(api::drives().await));
    });
    view! {
        <Frame title=i18n.title("Jemput bola", "Registration drives") class="drives-page">
            <div class="two-columns">
                <section aria-labelledby="drives-title">
                    <h2 id="drives-title">{move || i18n.t("Daftar kegiatan", "Drives")}</h2>
                    {move || match drives.get() {
                        None => view! { <p role="status">{move || i18n.t("Memuat kegiatan…", "Loading drives…")}</p> }.into_any(),
                        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <p>{move || i18n.t("Belum ada kegiatan jemput bola. Buat kegiatan pertama dengan formulir di samping.", "No registration drives yet. Create the first one with the form beside.")}</p>
                        }.into_any(),
                        Some(Ok(list)) => view! { <DriveTable drives=list /> }.into_any(),
                    }}
                </section>
                <NewDriveForm />
            </div>
        </Frame>
    }
}

#[component]
fn DriveTable(drives: Vec<Drive>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t("Kegiatan", "Drive")}</th>
                    <th scope="col">{move || i18n.t("Instansi", "Agency")}</th>
                    <th scope="col">{move || i18n.t("Tempat", "Place")}</th>
                    <th scope="col">{move || i18n.t("Tanggal", "Dates")}</th>
                    <th scope="col" class="num">{move || i18n.t("Di daftar", "On the roster")}</th>
                </tr>
            </thead>
            <tbody>
                {drives
                    .into_iter()
                    .map(|drive| view! {
                        <tr data-testid="drive-row" data-drive-id=drive.id.to_string()>
                            <td><a href=href(&format!("/kegiatan/{}", drive.id))>{drive.name}</a></td>
                            <td>{drive.agency}</td>
                            <td>{drive.place}</td>
                            <td>{
                                let (starts, ends) = (ktp_date(&drive.starts_on), ktp_date(&drive.ends_on));
                                move || format!("{starts} {} {ends}", i18n.t("s.d.", "to"))
                            }</td>
                            <td class="num">{thousands(drive.on_roster)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewDriveForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let units = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let officers = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = NewDrive {
            name: name.get_untracked().trim().to_owned(),
            agency: agency.get_untracked().trim().to_owned(),
            units: split_list(&units.get_untracked(), '\n'),
            place: place.get_untracked().trim().to_owned(),
            starts_on: starts_on.get_untracked(),
            ends_on: ends_on.get_untracked(),
            officers: split_list(&officers.get_untracked(), ','),
        };
        busy.set(true);
        problem.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = api::create_drive(&request).await;
            busy.set(false);
            match result {
                Ok(drive) => navigate(&format!("/kegiatan/{}", drive.id), Default::default()),
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="new-drive-title">
            <h2 id="new-drive-title">{move || i18n.t("Buat kegiatan", "Create a drive")}</h2>
            <form class="form" on:submit=submit>
                <label for="drive-name">{move || i18n.t("Nama kegiatan", "Drive name")}</label>
                <input id="drive-name" required=true placeholder="Jemput bola IKD Balai Kota Depok" bind:value=name />
                <label for="drive-agency">{move || i18n.t("Instansi", "Agency")}</label>
                <input id="drive-agency" required=true placeholder="PEMERINTAH KOTA DEPOK" bind:value=agency />
                <label for="drive-units">{move || i18n.t("Unit kerja (satu per baris; kosongkan bila semua unit)", "Work units (one per line; leave empty for all units)")}</label>
                <textarea
                    id="drive-units"
                    rows="4"
                    prop:value=move || units.get()
                    on:input=move |ev| units.set(event_target_value(&ev))
                ></textarea>
                <label for="drive-place">{move || i18n.t("Tempat", "Place")}</label>
                <input id="drive-place" required=true placeholder="Aula Balai Kota Depok" bind:value=place />
                <div class="dates">
                    <div>
                        <label for="drive-starts">{move || i18n.t("Mulai", "Starts")}</label>
                        <input id="drive-starts" type="date" required=true bind:value=starts_on />
                    </div>
                    <div>
                        <label for="drive-ends">{move || i18n.t("Selesai", "Ends")}</label>
                        <input id="drive-ends" type="date" required=true bind:value=ends_on />
                    </div>
                </div>
                <label for="drive-officers">{move || i18n.t("Petugas lain (nama pengguna, pisahkan dengan koma)", "Other officers (usernames, separated by commas)")}</label>
                <input id="drive-officers" placeholder="petugas.depok, penyelia.depok" bind:value=officers />
                {show_problem(problem)}
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Buat kegiatan", "Create the drive")}</button>
            </form>
        </section>
    }
}
