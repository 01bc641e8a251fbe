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
use crate::i18n::use_i18n;
use crate::state::href;

/// The drive id of the current route, if it is a number.
pub fn use_drive_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())))
}

#[component]
pub fn DrivePage() -> impl IntoView {
    let id = use_drive_id();
    let i18n = use_i18n();
    move || {
        match id.get() {
        Some(id) => view! { <DriveView id /> }.into_any(),
        None => view! {
            <Frame title=i18n.title("Kegiatan tidak ditemukan", "Drive not found")>
                <a href=href("/kegiatan")>{move || i18n.t("Kembali ke daftar kegiatan", "Back to the drives")}</a>
            </Frame>
        }
        .into_any(),
    }
    }
}

#[component]
fn DriveView(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let drive = RwSignal::new(None::<Result<Drive, ApiProblem>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            drive.set(Some(api::drive(id).await));
        });
    };
    reload();
    let title = Signal::derive(move || match drive.get() {
        Some(Ok(d)) => d.name,
        _ => i18n
            .t("Kegiatan jemput bola", "Registration drive")
            .to_owned(),
    });

    let LiveQueue {
        items: queue,
        problem: queue_problem,
    } = live_queue(move || api::drive_queue(id));

    view! {
        <Frame title class="drive-page">
            {move || match drive.get() {
                None => view! { <p role="status">{move || i18n.t("Memuat kegiatan…", "Loading the drive…")}</p> }.into_any(),
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
    let i18n = use_i18n();
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
                {
                    let (place, starts, ends) = (drive.place, ktp_date(&drive.starts_on), ktp_date(&drive.ends_on));
                    move || format!(" · {place} · {starts} {} {ends}", i18n.t("s.d.", "to"))
                }
                {move || if i18n.en() {
                    format!(" · {} people on the roster", thousands(drive.on_roster))
                } else {
                    format!(" · {} orang di daftar", thousands(drive.on_roster))
                }}
            </p>
            <p class="muted">{move || format!("{}: {officers}", i18n.t("Petugas", "Officers"))}</p>
            <p>
                <a
                    class="button"
                    href=href(&format!("/kegiatan/{}/layar", drive.id))
                    target="_blank"
                    rel="noopener"
                >
                    {move || i18n.t("Tampilkan QR di proyektor", "Show the QR on the projector")}
                </a>
            </p>
        </div>
    }
}

#[component]
fn Progress(id: i64) -> impl IntoView {
    let i18n = use_i18n();
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
            <h2 id="progress-title">{move || i18n.t("Kemajuan per unit kerja", "Progress per work unit")}</h2>
            {show_problem(problem)}
            {move || progress.get().map(|p| {
                let total = p.total;
                view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t("Unit kerja", "Work unit")}</th>
                                <th scope="col" class="num">{move || i18n.t("Di daftar", "On the roster")}</th>
                                <th scope="col" class="num">{move || i18n.t("Mendaftar", "Registered")}</th>
                                <th scope="col" class="num">{move || i18n.t("Disetujui", "Approved")}</th>
                                <th scope="col" class="num">{move || i18n.t("Aktif", "Activated")}</th>
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
                    {move || i18n.t("Unduh CSV", "Download CSV")}
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
    let i18n = use_i18n();
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
            local_problem.set(Some(
                i18n.t(
                    "Pilih berkas CSV terlebih dahulu",
                    "Choose a CSV file first",
                )
                .to_owned(),
            ));
            return;
        };
        if file.size() > MAX_ROSTER_BYTES as f64 {
            let mb = MAX_ROSTER_BYTES / (1024 * 1024);
            local_problem.set(Some(if i18n.en_untracked() {
                format!("The file is too large (at most {mb} MB). Split the roster into several files")
            } else {
                format!("Berkas terlalu besar (paling besar {mb} MB). Bagi daftar menjadi beberapa berkas")
            }));
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
                    i18n.t(
                        "Berkas tidak dapat dibaca sebagai teks. Simpan sebagai CSV (UTF-8)",
                        "The file cannot be read as text. Save it as CSV (UTF-8)",
                    )
                    .to_owned(),
                )),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="roster-title">
            <h2 id="roster-title">{move || i18n.t("Impor daftar peserta", "Import the roster")}</h2>
            <p>
                {move || i18n.t("Berkas CSV dengan baris judul ", "A CSV file with the header line ")} <code>"nip,nik,nama,unit"</code>
                {move || i18n.t(
                    ", lalu satu baris per ASN: NIP 18 angka, NIK 16 angka, nama lengkap, dan unit kerja (salah satu unit kegiatan ini). Contoh:",
                    ", then one line per civil servant: an 18-digit NIP, a 16-digit NIK, the full name, and the work unit (one of this drive's units). For example:",
                )}
            </p>
            <pre class="example">"nip,nik,nama,unit\n199001012015031001,3276015708950001,SITI AMINAH,Dinas Kependudukan"</pre>
            <form class="form inline" on:submit=submit>
                <label for="roster-file">{move || i18n.t("Berkas CSV", "CSV file")}</label>
                <input id="roster-file" type="file" accept=".csv,text/csv" node_ref=file_input />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t("Mengimpor…", "Importing…") } else { i18n.t("Impor daftar", "Import the roster") }}
                </button>
            </form>
            {move || local_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {show_problem(problem)}
            <div role="status" aria-live="polite">
                {move || report.get().map(|r| {
                    let bad = r.bad_rows.len();
                    view! {
                        <p class=if bad == 0 { "ok" } else { "warning" } data-testid="roster-summary">
                            {move || if i18n.en() { format!(
                                "{} rows, {} imported, {} with problems",
                                thousands(r.rows),
                                thousands(r.imported),
                                thousands(bad as u64)
                            ) } else { format!(
                                "{} baris, {} diimpor, {} bermasalah",
                                thousands(r.rows),
                                thousands(r.imported),
                                thousands(bad as u64)
                            ) }}
                        </p>
                    }
                })}
            </div>
            {move || report.get().filter(|r| !r.bad_rows.is_empty()).map(|r| {
                let bad_count = r.bad_rows.len();
                view! {
                <table class="data bad-rows" data-testid="bad-rows">
                    <caption>{move || i18n.t("Baris bermasalah (tidak diimpor)", "Rows with problems (not imported)")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">{move || i18n.t("Baris", "Row")}</th>
                            <th scope="col">"NIP"</th>
                            <th scope="col">"NIK"</th>
                            <th scope="col">{move || i18n.t("Nama", "Name")}</th>
                            <th scope="col">{move || i18n.t("Masalah", "Problem")}</th>
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
                                    <td>{
                                        let (id, en) = (row.message, row.message_en);
                                        move || i18n.pick(id.clone(), en.clone())
                                    }</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(bad_count > BAD_ROWS_SHOWN).then(|| view! {
                    <p class="muted">{move || if i18n.en() { format!(
                        "Showing the first {} rows with problems of {}. Fix them, then import the file again.",
                        thousands(BAD_ROWS_SHOWN as u64),
                        thousands(bad_count as u64)
                    ) } else { format!(
                        "Menampilkan {} baris bermasalah pertama dari {}. Perbaiki lalu impor ulang berkasnya.",
                        thousands(BAD_ROWS_SHOWN as u64),
                        thousands(bad_count as u64)
                    ) }}</p>
                })}
            }})}
        </section>
    }
}
