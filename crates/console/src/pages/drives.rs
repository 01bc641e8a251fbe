//! Jemput bola: the registration drives the officer can see, and a form to create one.

use ikd_core::console_api::{Drive, NewDrive};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiProblem};
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::format::{ktp_date, split_list, thousands};
use crate::state::href;

#[component]
pub fn DrivesPage() -> impl IntoView {
    let drives = RwSignal::new(None::<Result<Vec<Drive>, ApiProblem>>);
    leptos::task::spawn_local(async move {
        drives.set(Some(api::drives().await));
    });
    view! {
        <Frame title="Jemput bola" class="drives-page">
            <div class="two-columns">
                <section aria-labelledby="drives-title">
                    <h2 id="drives-title">"Daftar kegiatan"</h2>
                    {move || match drives.get() {
                        None => view! { <p role="status">"Memuat kegiatan…"</p> }.into_any(),
                        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <p>"Belum ada kegiatan jemput bola. Buat kegiatan pertama dengan formulir di samping."</p>
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
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">"Kegiatan"</th>
                    <th scope="col">"Instansi"</th>
                    <th scope="col">"Tempat"</th>
                    <th scope="col">"Tanggal"</th>
                    <th scope="col" class="num">"Di daftar"</th>
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
                            <td>{format!("{} s.d. {}", ktp_date(&drive.starts_on), ktp_date(&drive.ends_on))}</td>
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
            <h2 id="new-drive-title">"Buat kegiatan"</h2>
            <form class="form" on:submit=submit>
                <label for="drive-name">"Nama kegiatan"</label>
                <input id="drive-name" required=true placeholder="Jemput bola IKD Balai Kota Depok" bind:value=name />
                <label for="drive-agency">"Instansi"</label>
                <input id="drive-agency" required=true placeholder="PEMERINTAH KOTA DEPOK" bind:value=agency />
                <label for="drive-units">"Unit kerja (satu per baris; kosongkan bila semua unit)"</label>
                <textarea
                    id="drive-units"
                    rows="4"
                    prop:value=move || units.get()
                    on:input=move |ev| units.set(event_target_value(&ev))
                ></textarea>
                <label for="drive-place">"Tempat"</label>
                <input id="drive-place" required=true placeholder="Aula Balai Kota Depok" bind:value=place />
                <div class="dates">
                    <div>
                        <label for="drive-starts">"Mulai"</label>
                        <input id="drive-starts" type="date" required=true bind:value=starts_on />
                    </div>
                    <div>
                        <label for="drive-ends">"Selesai"</label>
                        <input id="drive-ends" type="date" required=true bind:value=ends_on />
                    </div>
                </div>
                <label for="drive-officers">"Petugas lain (nama pengguna, pisahkan dengan koma)"</label>
                <input id="drive-officers" placeholder="petugas.depok, penyelia.depok" bind:value=officers />
                {show_problem(problem)}
                <button type="submit" class="primary" disabled=move || busy.get()>"Buat kegiatan"</button>
            </form>
        </section>
    }
}
