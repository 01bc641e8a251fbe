//! Siapa yang memakai? (who is using the phone): one button per person whose sealed copy is
//! on this browser, by masked name only, and "Tambah orang" to log in a new account. Each
//! person then unlocks with their own PIN.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::state::use_app;

#[component]
pub fn WhoPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let people = LocalResource::new(crate::vault_store::profiles);
    let choose = {
        let navigate = navigate.clone();
        move |id: String| {
            // Whoever was open is locked first: the next person needs their own PIN.
            app.lock();
            app.relogin.set_value(None);
            app.profile.set_value(Some(id));
            navigate("/buka", Default::default());
        }
    };
    let add = move |_| {
        app.lock();
        app.relogin.set_value(None);
        app.profile.set_value(None);
        navigate("/masuk", Default::default());
    };
    view! {
        <Page title_id="Siapa yang memakai?" title_en="Who is using the phone?">
            <section class="card">
                <p>{move || i18n.t(
                    "Setiap orang membuka KTP digitalnya sendiri dengan PIN-nya sendiri.",
                    "Each person opens their own digital KTP with their own PIN.",
                )}</p>
                <ul class="people" data-testid="profiles">
                    {move || people.get().unwrap_or_default().into_iter().map(|person| {
                        let choose = choose.clone();
                        let id = person.id.clone();
                        let name = if person.masked_name.is_empty() {
                            i18n.t("Orang pertama", "First person").to_owned()
                        } else {
                            person.masked_name.clone()
                        };
                        view! {
                            <li><button class="secondary" data-profile=person.id.clone() on:click=move |_| choose(id.clone())>{name}</button></li>
                        }
                    }).collect_view()}
                </ul>
                <button class="primary" on:click=add>{move || i18n.t("Tambah orang", "Add a person")}</button>
            </section>
        </Page>
    }
}
