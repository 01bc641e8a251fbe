//! "Buka kunci percobaan": for a citizen at the counter whom strangers' failed tries have
//! slowed down (login from unknown browsers, wrong activation codes, registration or
//! activation tries). The officer checks the KTP in hand, types the NIK and lifts the limits;
//! the citizen's activity log names the officer. The answer is the same for any NIK.

use ikd_core::console_api::UnlockRequest;
use ikd_core::nik::NIK_LEN;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::problem::show_problem;
use crate::i18n::use_i18n;

#[component]
pub fn UnlockForm() -> impl IntoView {
    let i18n = use_i18n();
    let nik = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = nik.get_untracked().trim().to_owned();
        problem.set(None);
        done.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::lift_locks(&UnlockRequest { nik: typed.clone() }).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    done.set(Some(typed));
                    nik.set(String::new());
                }
                Err(err) => problem.set(Some(err)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit aria-labelledby="unlock-title">
            <label for="unlock-nik">{move || i18n.t("NIK warga (periksa KTP-nya dulu)", "Resident's NIK (check their KTP first)")}</label>
            <input id="unlock-nik" name="nik" inputmode="numeric" autocomplete="off"
                maxlength=NIK_LEN.to_string() required=true bind:value=nik />
            {show_problem(problem)}
            {move || done.get().map(|nik| view! {
                <p role="status" class="ok">
                    {move || if i18n.en() {
                        format!("The attempt limits for NIK {nik} are lifted. The resident can log in or activate again now.")
                    } else {
                        format!("Batas percobaan untuk NIK {nik} dibuka. Warga dapat masuk atau mengaktifkan lagi sekarang.")
                    }}
                </p>
            })}
            <button type="submit" class="secondary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t("Membuka…", "Unlocking…") } else { i18n.t("Buka kunci", "Unlock") }}
            </button>
        </form>
    }
}
