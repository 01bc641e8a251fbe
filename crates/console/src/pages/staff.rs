//! Petugas: supervisors and admins see the officers of their region, add officers (admins
//! also supervisors), disable accounts after a confirmation, and enable them again.

use ikd_core::console_api::{NewOfficerRequest, OfficerSummary};
use ikd_core::officer::{DECISIONS_WINDOW_HOURS, MIN_PASSWORD_CHARS, OfficerRole};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::frame::Frame;
use crate::components::problem::{ProblemText, show_problem};
use crate::format::thousands;
use crate::i18n::use_i18n;
use crate::state::use_session;

#[component]
pub fn StaffPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <Frame title=i18n.title("Petugas", "Staff") class="staff-page">
            {move || if session.manages_staff() {
                view! { <Staff /> }.into_any()
            } else {
                view! { <p>{move || i18n.t("Halaman ini hanya untuk supervisor dan administrator.", "This page is for supervisors and administrators only.")}</p> }.into_any()
            }}
        </Frame>
    }
}

#[component]
fn Staff() -> impl IntoView {
    let i18n = use_i18n();
    let officers = RwSignal::new(None::<Result<Vec<OfficerSummary>, ApiProblem>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            officers.set(Some(api::officers().await));
        });
    };
    reload();
    let action_problem = RwSignal::new(None::<ApiProblem>);
    let me = use_session().officer.get_untracked().map(|o| o.id);
    // Disabling ends the colleague's sessions at once: the button asks first.
    let confirming = RwSignal::new(None::<i64>);
    // Admins reset a colleague's second factor (a lost phone): also confirmed first.
    let is_admin = use_session()
        .officer
        .get_untracked()
        .is_some_and(|o| o.role == OfficerRole::Admin);
    let confirming_reset = RwSignal::new(None::<i64>);
    let reset_done = RwSignal::new(None::<String>);
    let reset = move |id: i64, name: String| {
        action_problem.set(None);
        confirming_reset.set(None);
        leptos::task::spawn_local(async move {
            match api::reset_second_factor(id).await {
                Ok(()) => reset_done.set(Some(if i18n.en_untracked() {
                    format!("{name}'s second factor is reset: they enrol a new one at their next login.")
                } else {
                    format!("Faktor kedua {name} diatur ulang: ia mendaftarkan yang baru saat masuk berikutnya.")
                })),
                Err(problem) => action_problem.set(Some(problem)),
            }
        });
    };
    let act = move |id: i64, enable: bool| {
        action_problem.set(None);
        confirming.set(None);
        leptos::task::spawn_local(async move {
            let result = if enable {
                api::enable_officer(id).await
            } else {
                api::disable_officer(id).await
            };
            match result {
                Ok(()) => reload(),
                Err(problem) => action_problem.set(Some(problem)),
            }
        });
    };

    view! {
        <div class="two-columns">
            <section aria-labelledby="staff-title">
                <h2 id="staff-title">{move || i18n.t("Akun petugas", "Officer accounts")}</h2>
                {show_problem(action_problem)}
                {move || reset_done.get().map(|text| view! { <p role="status" class="done">{text}</p> })}
                {move || match officers.get() {
                    None => view! { <p role="status">{move || i18n.t("Memuat…", "Loading…")}</p> }.into_any(),
                    Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
                    Some(Ok(list)) => view! {
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t("Nama", "Name")}</th>
                                    <th scope="col">{move || i18n.t("Nama pengguna", "Username")}</th>
                                    <th scope="col">{move || i18n.t("Peran", "Role")}</th>
                                    <th scope="col">{move || i18n.t("Wilayah", "Region")}</th>
                                    <th scope="col" class="num">{move || if i18n.en() {
                                        format!("Decisions, {DECISIONS_WINDOW_HOURS} h")
                                    } else {
                                        format!("Keputusan {DECISIONS_WINDOW_HOURS} jam")
                                    }}</th>
                                    <th scope="col">"Status"</th>
                                    {is_admin.then(|| view! { <th scope="col">{move || i18n.t("Faktor kedua", "Second factor")}</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|o| {
                                    let id = o.id;
                                    let mine = Some(id) == me;
                                    let disabled = o.disabled;
                                    let name = o.full_name.clone();
                                    let reset_name = o.full_name.clone();
                                    let resettable = is_admin && !mine && o.role != OfficerRole::Admin;
                                    view! {
                                        <tr data-testid="officer-row" data-username=o.username.clone()>
                                            <th scope="row">{o.full_name.clone()}</th>
                                            <td>{o.username.clone()}</td>
                                            <td>{move || crate::i18n::role_name(i18n, o.role)}</td>
                                            <td title=o.region_code.clone()>{o.region_name.clone()}</td>
                                            <td class="num">{thousands(o.decisions_today)}</td>
                                            <td>
                                                {move || if disabled { i18n.t("Nonaktif", "Disabled") } else { i18n.t("Aktif", "Active") }}
                                                " "
                                                {move || match (disabled, mine, confirming.get() == Some(id)) {
                                                    (true, _, _) => view! {
                                                        <button type="button" class="small"
                                                            aria-label=format!("{} {name}", i18n.t("Aktifkan kembali", "Enable again"))
                                                            on:click=move |_| act(id, true)>
                                                            {move || i18n.t("Aktifkan kembali", "Enable again")}
                                                        </button>
                                                    }.into_any(),
                                                    (false, true, _) => ().into_any(),
                                                    (false, false, false) => view! {
                                                        <button type="button" class="small"
                                                            aria-label=format!("{} {name}", i18n.t("Nonaktifkan", "Disable"))
                                                            on:click=move |_| confirming.set(Some(id))>
                                                            {move || i18n.t("Nonaktifkan", "Disable")}
                                                        </button>
                                                    }.into_any(),
                                                    (false, false, true) => view! {
                                                        <span role="alert" class="confirm">
                                                            {if i18n.en() {
                                                                format!("Disable {name}? Their session ends at once.")
                                                            } else {
                                                                format!("Nonaktifkan {name}? Sesinya berakhir seketika.")
                                                            }}
                                                            " "
                                                            <button type="button" class="small danger"
                                                                on:click=move |_| act(id, false)>
                                                                {move || i18n.t("Ya, nonaktifkan", "Yes, disable")}
                                                            </button>
                                                            " "
                                                            <button type="button" class="small"
                                                                on:click=move |_| confirming.set(None)>
                                                                {move || i18n.t("Batal", "Cancel")}
                                                            </button>
                                                        </span>
                                                    }.into_any(),
                                                }}
                                            </td>
                                            {is_admin.then(|| view! {
                                                <td>
                                                    {move || {
                                                        let name = reset_name.clone();
                                                        match (resettable, confirming_reset.get() == Some(id)) {
                                                            (false, _) => ().into_any(),
                                                            (true, false) => view! {
                                                                <button type="button" class="small"
                                                                    aria-label={if i18n.en() {
                                                                        format!("Reset the second factor of {name}")
                                                                    } else {
                                                                        format!("Atur ulang faktor kedua {name}")
                                                                    }}
                                                                    on:click=move |_| confirming_reset.set(Some(id))>
                                                                    {move || i18n.t("Atur ulang", "Reset")}
                                                                </button>
                                                            }.into_any(),
                                                            (true, true) => view! {
                                                                <span role="alert" class="confirm">
                                                                    {if i18n.en() {
                                                                        format!("Remove the passkeys, authenticator app and recovery codes of {name}? Their session ends at once.")
                                                                    } else {
                                                                        format!("Hapus passkey, aplikasi autentikator dan kode pemulihan {name}? Sesinya berakhir seketika.")
                                                                    }}
                                                                    " "
                                                                    <button type="button" class="small danger"
                                                                        on:click=move |_| reset(id, name.clone())>
                                                                        {move || i18n.t("Ya, atur ulang", "Yes, reset")}
                                                                    </button>
                                                                    " "
                                                                    <button type="button" class="small"
                                                                        on:click=move |_| confirming_reset.set(None)>
                                                                        {move || i18n.t("Batal", "Cancel")}
                                                                    </button>
                                                                </span>
                                                            }.into_any(),
                                                        }
                                                    }}
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </section>
            <NewOfficerForm on_added=Callback::new(move |()| reload()) />
        </div>
    }
}

#[component]
fn NewOfficerForm(on_added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let viewer = session.officer.get_untracked();
    let is_admin = viewer
        .as_ref()
        .is_some_and(|o| o.role == OfficerRole::Admin);
    let username = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let role = RwSignal::new(OfficerRole::Officer.as_str().to_owned());
    let region = RwSignal::new(viewer.map(|o| o.region_code).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let local_problem = RwSignal::new(None::<String>);
    let added = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        added.set(None);
        if password.with_untracked(|p| p.chars().count() < MIN_PASSWORD_CHARS) {
            local_problem.set(Some(if i18n.en_untracked() {
                format!("The password needs at least {MIN_PASSWORD_CHARS} characters")
            } else {
                format!("Kata sandi paling sedikit {MIN_PASSWORD_CHARS} karakter")
            }));
            return;
        }
        let Ok(chosen_role) = role.get_untracked().parse::<OfficerRole>() else {
            local_problem.set(Some(i18n.t("Pilih peran", "Choose a role").to_owned()));
            return;
        };
        local_problem.set(None);
        let request = NewOfficerRequest {
            username: username.get_untracked().trim().to_owned(),
            full_name: full_name.get_untracked().trim().to_owned(),
            role: chosen_role,
            region_code: region.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let name = request.full_name.clone();
            let result = api::add_officer(&request).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    added.set(Some(if i18n.en_untracked() {
                        format!("Account {name} added")
                    } else {
                        format!("Akun {name} ditambahkan")
                    }));
                    username.set(String::new());
                    full_name.set(String::new());
                    password.set(String::new());
                    on_added.run(());
                }
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="new-officer-title">
            <h2 id="new-officer-title">{move || i18n.t("Tambah petugas", "Add an officer")}</h2>
            <form class="form" on:submit=submit>
                <label for="officer-username">{move || i18n.t("Nama pengguna", "Username")}</label>
                <input id="officer-username" required=true autocomplete="off" placeholder="petugas.beji" bind:value=username />
                <label for="officer-name">{move || i18n.t("Nama lengkap", "Full name")}</label>
                <input id="officer-name" required=true bind:value=full_name />
                <label for="officer-role">{move || i18n.t("Peran", "Role")}</label>
                <select id="officer-role" on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                    <option value="officer">{move || crate::i18n::role_name(i18n, OfficerRole::Officer)}</option>
                    {is_admin.then(|| view! {
                        <option value="supervisor">{move || crate::i18n::role_name(i18n, OfficerRole::Supervisor)}</option>
                    })}
                </select>
                <label for="officer-region">{move || i18n.t("Kode wilayah (mis. 32.76 atau 32.76.01)", "Region code (e.g. 32.76 or 32.76.01)")}</label>
                <input id="officer-region" required=true bind:value=region />
                <label for="officer-password">{move || if i18n.en() {
                    format!("First password (at least {MIN_PASSWORD_CHARS} characters)")
                } else {
                    format!("Kata sandi awal (paling sedikit {MIN_PASSWORD_CHARS} karakter)")
                }}</label>
                <input id="officer-password" type="password" required=true minlength=MIN_PASSWORD_CHARS.to_string() autocomplete="new-password" bind:value=password />
                {move || local_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {show_problem(problem)}
                <p class="ok" role="status">{move || added.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Tambah petugas", "Add the officer")}</button>
            </form>
        </section>
    }
}
