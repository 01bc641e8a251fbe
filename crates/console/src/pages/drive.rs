//! One registration drive (jemput bola): the face-check queue with batch approval, progress
//! by unit, the roster import with every bad row listed, and the way to the projector view.

use ikd_core::console_api::{
    Drive, DriveProgress, MAX_ROSTER_BYTES, RosterImportReport, UnitProgress,
};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiProblem};
use crate::browser::{file_text, repeat};
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::components::queue_list::{LiveQueue, live_queue};
use crate::components::review::Review;
use crate::format::{ktp_date, thousands};
use crate::state::href;

/// The drive id of the current route, if it is a number.
pub fn use_drive_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())))
}

#[component]
pub fn DrivePage() -> impl IntoView {
    let id = use_drive_id();
    move || match id.get() {
        Some(id) => view! { <DriveView id /> }.into_any(),
        None => view! {
            <Frame title="Kegiatan tidak ditemukan">
                <a href=href("/kegiatan")>"Kembali ke daftar kegiatan"</a>
            </Frame>
        }
        .into_any(),
    }
}

#[component]
fn DriveView(id: i64) -> impl IntoView {
    let drive = RwSignal::new(None::<Result<Drive, ApiProblem>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            drive.set(Some(api::drive(id).await));
        });
    };
    reload();
    let title = Signal::derive(move || match drive.get() {
        Some(Ok(d)) => d.name,
        _ => "Kegiatan jemput bola".to_owned(),
    });

    let LiveQueue {
        items: queue,
        problem: queue_problem,
    } = live_queue(move || api::drive_queue(id));

    view! {
        <Frame title class="drive-page">
            {move || match drive.get() {
                None => view! { <p role="status">"Memuat kegiatan…"</p> }.into_any(),
                Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                Some(Ok(d)) => view! { <DriveFacts drive=d /> }.into_any(),
            }}
            {show_problem(queue_problem)}
            <Review queue batch=true />
            <Progress id />
            <RosterImport id on_imported=Callback::new(move |()| reload()) />
        </Frame>
    }
}

#[component]
fn DriveFacts(drive: Drive) -> impl IntoView {
    let officers = drive
        .officers
        .iter()
        .map(|o| o.full_name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="drive-facts">
            <p>
                <strong>{drive.agency}</strong>
                {format!(" · {} · {} s.d. {}", drive.place, ktp_date(&drive.starts_on), ktp_date(&drive.ends_on))}
                {format!(" · {} orang di daftar", thousands(drive.on_roster))}
            </p>
            <p class="muted">{format!("Petugas: {officers}")}</p>
            <p>
                <a
                    class="button"
                    href=href(&format!("/kegiatan/{}/layar", drive.id))
                    target="_blank"
                    rel="noopener"
                >
                    "Tampilkan QR di proyektor"
                </a>
            </p>
        </div>
    }
}

#[component]
fn Progress(id: i64) -> impl IntoView {
    let progress = RwSignal::new(None::<DriveProgress>);
    let problem = RwSignal::new(None::<ApiProblem>);
    repeat(move || async move {
        match api::drive_progress(id).await {
            Ok(next) => {
                problem.set(None);
                if progress
                    .try_with_untracked(|p| p.as_ref() != Some(&next))
                    .unwrap_or(false)
                {
                    progress.set(Some(next));
                }
            }
            Err(failure) => problem.set(Some(failure)),
        }
        5000
    });
    let row = |unit: UnitProgress| {
        view! {
            <tr>
                <th scope="row">{unit.unit}</th>
                <td class="num">{thousands(unit.on_roster)}</td>
                <td class="num">{thousands(unit.registered)}</td>
                <td class="num">{thousands(unit.approved)}</td>
                <td class="num">{thousands(unit.activated)}</td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="progress-title">
            <h2 id="progress-title">"Kemajuan per unit kerja"</h2>
            {show_problem(problem)}
            {move || progress.get().map(|p| {
                let total = p.total;
                view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">"Unit kerja"</th>
                                <th scope="col" class="num">"Di daftar"</th>
                                <th scope="col" class="num">"Mendaftar"</th>
                                <th scope="col" class="num">"Disetujui"</th>
                                <th scope="col" class="num">"Aktif"</th>
                            </tr>
                        </thead>
                        <tbody>{p.units.into_iter().map(row).collect_view()}</tbody>
                        <tfoot>
                            <tr
                                data-testid="progress-total"
                                data-on-roster=total.on_roster.to_string()
                                data-registered=total.registered.to_string()
                                data-approved=total.approved.to_string()
                                data-activated=total.activated.to_string()
                            >
                                <th scope="row">"Total"</th>
                                <td class="num">{thousands(total.on_roster)}</td>
                                <td class="num">{thousands(total.registered)}</td>
                                <td class="num">{thousands(total.approved)}</td>
                                <td class="num">{thousands(total.activated)}</td>
                            </tr>
                        </tfoot>
                    </table>
                }
            })}
            <p>
                <a href=format!("/api/drives/{id}/progress?format=csv") download=format!("kemajuan-kegiatan-{id}.csv")>
                    "Unduh CSV"
                </a>
            </p>
        </section>
    }
}

/// A roster full of mistakes would make a table too long to read (and to render): the first
/// rows show what to fix.
const BAD_ROWS_SHOWN: usize = 1000;

#[component]
fn RosterImport(id: i64, on_imported: Callback<()>) -> impl IntoView {
    let file_input = NodeRef::<html::Input>::new();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let local_problem = RwSignal::new(None::<String>);
    let report = RwSignal::new(None::<RosterImportReport>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        local_problem.set(None);
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            local_problem.set(Some("Pilih berkas CSV terlebih dahulu".to_owned()));
            return;
        };
        if file.size() > MAX_ROSTER_BYTES as f64 {
            local_problem.set(Some(format!(
                "Berkas terlalu besar (paling besar {} MB). Bagi daftar menjadi beberapa berkas",
                MAX_ROSTER_BYTES / (1024 * 1024)
            )));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match file_text(&file).await {
                Ok(text) => api::import_roster(id, text).await.map_err(Some),
                Err(_) => Err(None),
            };
            busy.set(false);
            match result {
                Ok(imported) => {
                    report.set(Some(imported));
                    on_imported.run(());
                }
                Err(Some(failure)) => problem.set(Some(failure)),
                Err(None) => local_problem.set(Some(
                    "Berkas tidak dapat dibaca sebagai teks. Simpan sebagai CSV (UTF-8)".to_owned(),
                )),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="roster-title">
            <h2 id="roster-title">"Impor daftar peserta"</h2>
            <p>
                "Berkas CSV dengan baris judul " <code>"nip,nik,nama,unit"</code>
                ", lalu satu baris per ASN: NIP 18 angka, NIK 16 angka, nama lengkap, dan unit kerja (salah satu unit kegiatan ini). Contoh:"
            </p>
            <pre class="example">"nip,nik,nama,unit\n199001012015031001,3276015708950001,SITI AMINAH,Dinas Kependudukan"</pre>
            <form class="form inline" on:submit=submit>
                <label for="roster-file">"Berkas CSV"</label>
                <input id="roster-file" type="file" accept=".csv,text/csv" node_ref=file_input />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Mengimpor…" } else { "Impor daftar" }}
                </button>
            </form>
            {move || local_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {show_problem(problem)}
            <div role="status" aria-live="polite">
                {move || report.get().map(|r| {
                    let bad = r.bad_rows.len();
                    view! {
                        <p class=if bad == 0 { "ok" } else { "warning" } data-testid="roster-summary">
                            {format!(
                                "{} baris, {} diimpor, {} bermasalah",
                                thousands(r.rows),
                                thousands(r.imported),
                                thousands(bad as u64)
                            )}
                        </p>
                    }
                })}
            </div>
            {move || report.get().filter(|r| !r.bad_rows.is_empty()).map(|r| {
                let bad_count = r.bad_rows.len();
                view! {
                <table class="data bad-rows" data-testid="bad-rows">
                    <caption>"Baris bermasalah (tidak diimpor)"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"Baris"</th>
                            <th scope="col">"NIP"</th>
                            <th scope="col">"NIK"</th>
                            <th scope="col">"Nama"</th>
                            <th scope="col">"Masalah"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.bad_rows
                            .into_iter()
                            .take(BAD_ROWS_SHOWN)
                            .map(|row| view! {
                                <tr data-testid="bad-row" data-problem=row.problem.as_str()>
                                    <td class="num">{row.line.to_string()}</td>
                                    <td>{row.nip}</td>
                                    <td>{row.nik}</td>
                                    <td>{row.name}</td>
                                    <td>{row.message}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(bad_count > BAD_ROWS_SHOWN).then(|| view! {
                    <p class="muted">{format!(
                        "Menampilkan {} baris bermasalah pertama dari {}. Perbaiki lalu impor ulang berkasnya.",
                        thousands(BAD_ROWS_SHOWN as u64),
                        thousands(bad_count as u64)
                    )}</p>
                })}
            }})}
        </section>
    }
}
