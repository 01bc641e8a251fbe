//! Dasbor: IKD adoption against targets, by region (Indonesia → provinces → regencies →
//! districts, drilled down through `?wilayah=`) and by drive. Admins set targets here.

use std::collections::HashMap;

use ikd_core::console_api::{DriveFigures, RegionDashboard, RegionFigures, SetTarget};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiProblem};
use crate::charts::{self, Bar};
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::format::{
    decimal, has_children, ktp_date, parse_percent, percent, region_path, share, target_segment,
    thousands,
};
use crate::i18n::{I18n, use_i18n};
use crate::state::{href, use_session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Regions,
    Drives,
}

/// Indonesia as a `wilayah` value: without one, the dashboard opens at the officer's own area.
const NATIONAL: &str = "id";

fn region_href(code: &str) -> String {
    let code = if code.is_empty() { NATIONAL } else { code };
    href(&format!("/dasbor?wilayah={code}"))
}

/// Where the dashboard opens for this officer: their regency or city (the level whose
/// districts the dashboard lists), their province, or Indonesia for a national account.
fn home_region(officer_region: &str) -> String {
    ikd_core::region::regency_of(officer_region).to_owned()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let i18n = use_i18n();
    let parent = Memo::new(move |_| match query.with(|q| q.get("wilayah")) {
        Some(code) if code == NATIONAL => String::new(),
        Some(code) => code,
        None => session
            .officer
            .with(|o| o.as_ref().map(|o| home_region(&o.region_code)))
            .unwrap_or_default(),
    });
    let tab = RwSignal::new(Tab::Regions);
    let tab_button = move |which: Tab, id: &'static str, en: &'static str| {
        view! {
            <button
                type="button"
                aria-pressed=move || if tab.get() == which { "true" } else { "false" }
                on:click=move |_| tab.set(which)
            >
                {move || i18n.t(id, en)}
            </button>
        }
    };
    view! {
        <Frame title=i18n.title("Dasbor capaian IKD", "IKD progress dashboard") class="dashboard-page">
            <div class="tabs" role="group" aria-label=move || i18n.t("Tampilan dasbor", "Dashboard view")>
                {tab_button(Tab::Regions, "Per wilayah", "By region")}
                {tab_button(Tab::Drives, "Per kegiatan", "By drive")}
            </div>
            {move || match tab.get() {
                Tab::Regions => view! { <RegionsView parent /> }.into_any(),
                Tab::Drives => view! { <DrivesView /> }.into_any(),
            }}
        </Frame>
    }
}

#[component]
fn RegionsView(parent: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let dashboard = RwSignal::new(None::<Result<RegionDashboard, ApiProblem>>);
    let loading = RwSignal::new(true);
    // Names seen so far, for the breadcrumb (the answer names only the region and its children).
    let names = RwSignal::new(HashMap::from([(String::new(), "Indonesia".to_owned())]));
    let version = RwSignal::new(0u32);
    Effect::new(move |_| {
        let code = parent.get();
        version.track();
        loading.set(true);
        leptos::task::spawn_local(async move {
            let result = api::region_dashboard(&code).await;
            if parent.try_get_untracked().as_ref() != Some(&code) {
                return;
            }
            if let Ok(found) = &result {
                names.update(|names| {
                    for region in std::iter::once(&found.region).chain(&found.children) {
                        names.insert(region.code.clone(), region.name.clone());
                    }
                    for above in &found.ancestors {
                        names.insert(above.code.clone(), above.name.clone());
                    }
                });
            }
            loading.set(false);
            dashboard.set(Some(result));
        });
    });
    let refetch = Callback::new(move |()| version.update(|v| *v += 1));

    let breadcrumb = move || {
        let path = region_path(&parent.get());
        let last = path.len() - 1;
        path.into_iter()
            .enumerate()
            .map(|(i, code)| {
                let name = names
                    .with(|n| n.get(&code).cloned())
                    .unwrap_or_else(|| code.clone());
                if i == last {
                    view! { <li><span aria-current="page">{name}</span></li> }.into_any()
                } else {
                    view! { <li><a href=region_href(&code)>{name}</a></li> }.into_any()
                }
            })
            .collect_view()
    };

    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t("Jejak wilayah", "Region path")>
            <ol>{breadcrumb}</ol>
        </nav>
        <p class="muted" role="status">
            {move || loading.get().then(|| i18n.t("Memuat angka…", "Loading figures…"))}
        </p>
        {move || match dashboard.get() {
            None => ().into_any(),
            Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
            Some(Ok(d)) => view! { <RegionFiguresView dashboard=d refetch /> }.into_any(),
        }}
    }
}

#[component]
fn RegionFiguresView(dashboard: RegionDashboard, refetch: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let RegionDashboard {
        region,
        children,
        trend,
        as_of,
        can_set_targets,
        ..
    } = dashboard;
    let bars: Vec<Bar> = children
        .iter()
        .map(|c| Bar {
            label: c.name.clone(),
            value_percent: share(c.activated, c.eligible),
            target_percent: c.target_percent,
        })
        .collect();
    let depth = region_path(&region.code).len();
    let level = move || match (depth, i18n.en()) {
        (1, false) => "provinsi",
        (2, false) => "kabupaten/kota",
        (_, false) => "kecamatan",
        (1, true) => "province",
        (2, true) => "regency/city",
        (_, true) => "district",
    };
    let bar_svg = {
        let name = region.name.clone();
        move || {
            let title = if i18n.en() {
                format!("Active IKD per {} in {name}, against the target", level())
            } else {
                format!("IKD aktif per {} di {name}, dibanding target", level())
            };
            charts::bar_chart("chart-children", &title, &bars, i18n.en())
        }
    };
    let trend_svg = {
        let name = region.name.clone();
        move || {
            let title = if i18n.en() {
                format!("IKD registration and activation trend in {name}")
            } else {
                format!("Tren pendaftaran dan aktivasi IKD di {name}")
            };
            charts::trend_chart("chart-trend", &title, &trend, i18n.en())
        }
    };
    let csv = api::region_dashboard_url(&region.code, true);
    let child_rows = children
        .into_iter()
        .map(|child| view! { <ChildRow child can_set_targets refetch /> })
        .collect_view();

    view! {
        <section
            class="region-summary"
            data-testid="dash-region"
            data-code=region.code.clone()
            data-eligible=region.eligible.to_string()
            data-registered=region.registered.to_string()
            data-activated=region.activated.to_string()
            aria-labelledby="region-title"
        >
            <h2 id="region-title">{region.name.clone()}</h2>
            <dl class="stats">
                <div><dt>{move || i18n.t("Wajib KTP", "Eligible")}</dt><dd>{thousands(region.eligible)}</dd></div>
                <div><dt>{move || i18n.t("Mendaftar", "Registered")}</dt><dd>{thousands(region.registered)}</dd></div>
                <div>
                    <dt>{move || i18n.t("Aktif", "Activated")}</dt>
                    <dd>{thousands(region.activated)}</dd>
                    <dd class="sub">{
                        let share = percent(share(region.activated, region.eligible));
                        move || format!("{share} {}", i18n.t("dari wajib KTP", "of those eligible"))
                    }</dd>
                </div>
                <div>
                    <dt>"Target"</dt>
                    <dd>{percent(region.target_percent)}</dd>
                    <dd class="sub">{
                        let count = thousands(region.target_count);
                        move || format!("{count} {}", i18n.t("orang aktif", "people active"))
                    }</dd>
                </div>
                <div><dt>{move || i18n.t("Capaian target", "Share of target")}</dt><dd>{percent(region.percent_of_target)}</dd></div>
            </dl>
            <p class="muted">
                {
                    let day = ktp_date(&as_of);
                    move || if i18n.en() { format!("Ages as of {day}. ") } else { format!("Usia dihitung per {day}. ") }
                }
                {
                    let region = region.clone();
                    move || target_origin(&region, i18n)
                }
            </p>
            {can_set_targets.then(|| view! {
                <TargetForm code=region.code.clone() name=region.name.clone() current=region.target_percent refetch />
            })}
            <p><a href=csv download="capaian-ikd.csv">{move || i18n.t("Unduh CSV", "Download CSV")}</a></p>
        </section>
        <div class="charts">
            <figure class="chart">
                <div inner_html=bar_svg></div>
            </figure>
            <figure class="chart">
                <div inner_html=trend_svg></div>
            </figure>
        </div>
        <table class="data children">
            <caption>{move || format!("{} {}", i18n.t("Rincian per", "Breakdown by"), level())}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t("Wilayah", "Region")}</th>
                    <th scope="col" class="num">{move || i18n.t("Wajib KTP", "Eligible")}</th>
                    <th scope="col" class="num">{move || i18n.t("Mendaftar", "Registered")}</th>
                    <th scope="col" class="num">{move || i18n.t("Aktif", "Activated")}</th>
                    <th scope="col" class="num">{move || i18n.t("Aktif (%)", "Activated (%)")}</th>
                    <th scope="col" class="num">"Target"</th>
                    <th scope="col" class="num">{move || i18n.t("Capaian target", "Share of target")}</th>
                    {can_set_targets.then(|| view! { <th scope="col">{move || i18n.t("Ubah target (%)", "Change target (%)")}</th> })}
                </tr>
            </thead>
            <tbody>{child_rows}</tbody>
        </table>
    }
}

fn target_origin(region: &RegionFigures, i18n: I18n) -> String {
    if region.target_set_at == region.code {
        i18n.t(
            "Target ditetapkan untuk wilayah ini.",
            "The target is set for this region.",
        )
        .to_owned()
    } else if region.target_set_at.is_empty() {
        i18n.t(
            "Target mengikuti target nasional.",
            "The target follows the national target.",
        )
        .to_owned()
    } else if i18n.en() {
        format!("The target follows region {}.", region.target_set_at)
    } else {
        format!("Target mengikuti wilayah {}.", region.target_set_at)
    }
}

#[component]
fn ChildRow(child: RegionFigures, can_set_targets: bool, refetch: Callback<()>) -> impl IntoView {
    let name = if has_children(&child.code) {
        view! { <a href=region_href(&child.code)>{child.name.clone()}</a> }.into_any()
    } else {
        view! { <span>{child.name.clone()}</span> }.into_any()
    };
    view! {
        <tr data-testid="dash-child" data-code=child.code.clone()>
            <th scope="row">{name}</th>
            <td class="num">{thousands(child.eligible)}</td>
            <td class="num">{thousands(child.registered)}</td>
            <td class="num">{thousands(child.activated)}</td>
            <td class="num">{percent(share(child.activated, child.eligible))}</td>
            <td class="num">{percent(child.target_percent)}</td>
            <td class="num">{percent(child.percent_of_target)}</td>
            {can_set_targets.then(|| view! {
                <td>
                    <TargetForm code=child.code.clone() name=child.name.clone() current=child.target_percent refetch compact=true />
                </td>
            })}
        </tr>
    }
}

#[component]
fn TargetForm(
    code: String,
    name: String,
    current: f64,
    refetch: Callback<()>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = RwSignal::new(decimal(current));
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let local_problem = RwSignal::new(None::<(&'static str, &'static str)>);
    let input_id = format!("target-{}", target_segment(&code).replace('.', "-"));
    let submit = {
        let code = code.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            problem.set(None);
            let Some(percent) = parse_percent(&value.get_untracked()) else {
                local_problem.set(Some((
                    "Isi angka 0–100, paling banyak dua desimal",
                    "Enter a number from 0 to 100, with at most two decimals",
                )));
                return;
            };
            local_problem.set(None);
            busy.set(true);
            let segment = target_segment(&code).to_owned();
            leptos::task::spawn_local(async move {
                let result = api::set_target(&segment, &SetTarget { percent }).await;
                busy.set(false);
                match result {
                    Ok(()) => refetch.run(()),
                    Err(failure) => problem.set(Some(failure)),
                }
            });
        }
    };
    view! {
        <form class="target-form" class:compact=compact on:submit=submit>
            <label for=input_id.clone() class:visually-hidden=compact>
                {format!("Target {name} (%)")}
            </label>
            <input id=input_id inputmode="decimal" size="6" bind:value=value />
            <button type="submit" disabled=move || busy.get()>{move || i18n.t("Simpan", "Save")}</button>
            {move || local_problem.get().map(|(id, en)| view! { <span class="error" role="alert">{move || i18n.t(id, en)}</span> })}
            {show_problem(problem)}
        </form>
    }
}

#[component]
fn DrivesView() -> impl IntoView {
    let i18n = use_i18n();
    let drives = RwSignal::new(None::<Result<Vec<DriveFigures>, ApiProblem>>);
    leptos::task::spawn_local(async move {
        drives.set(Some(api::drive_dashboard().await));
    });
    view! {
        <section aria-labelledby="drive-figures-title">
            <h2 id="drive-figures-title">{move || i18n.t("Capaian per kegiatan jemput bola", "Progress per registration drive")}</h2>
            <p><a href="/api/dashboard/drives?format=csv" download="capaian-kegiatan.csv">{move || i18n.t("Unduh CSV", "Download CSV")}</a></p>
            {move || match drives.get() {
                None => view! { <p role="status">{move || i18n.t("Memuat…", "Loading…")}</p> }.into_any(),
                Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{move || i18n.t("Belum ada kegiatan.", "No drives yet.")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t("Kegiatan", "Drive")}</th>
                                <th scope="col">{move || i18n.t("Instansi", "Agency")}</th>
                                <th scope="col">{move || i18n.t("Wilayah", "Region")}</th>
                                <th scope="col">{move || i18n.t("Tanggal", "Dates")}</th>
                                <th scope="col" class="num">{move || i18n.t("Di daftar", "On the roster")}</th>
                                <th scope="col" class="num">{move || i18n.t("Mendaftar", "Registered")}</th>
                                <th scope="col" class="num">{move || i18n.t("Disetujui", "Approved")}</th>
                                <th scope="col" class="num">{move || i18n.t("Aktif", "Activated")}</th>
                                <th scope="col" class="num">{move || i18n.t("Aktif (%)", "Activated (%)")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|d| view! {
                                <tr data-testid="dash-drive" data-drive-id=d.drive_id.to_string()>
                                    <th scope="row"><a href=href(&format!("/kegiatan/{}", d.drive_id))>{d.name}</a></th>
                                    <td>{d.agency}</td>
                                    <td title=d.region_code>{d.region_name}</td>
                                    <td>{
                                        let (starts, ends) = (ktp_date(&d.starts_on), ktp_date(&d.ends_on));
                                        move || format!("{starts} {} {ends}", i18n.t("s.d.", "to"))
                                    }</td>
                                    <td class="num">{thousands(d.on_roster)}</td>
                                    <td class="num">{thousands(d.registered)}</td>
                                    <td class="num">{thousands(d.approved)}</td>
                                    <td class="num">{thousands(d.activated)}</td>
                                    <td class="num">{percent(share(d.activated, d.on_roster))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
