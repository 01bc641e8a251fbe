//! The home page of the walking skeleton: who we are, and whether the service answers.

use leptos::prelude::*;

use crate::api;
use crate::components::health_status::HealthStatus;

#[component]
pub fn HomePage() -> impl IntoView {
    let health = LocalResource::new(api::health);
    view! {
        <main class="page home">
            <header class="brand">
                <img class="brand-logo" src="/icons/icon.svg" alt="" width="56" height="56" />
                <div>
                    <h1>"IKD Web"</h1>
                    <p class="tagline">"Identitas Kependudukan Digital di peramban apa pun"</p>
                    <p class="tagline en" lang="en">"Digital population identity in any browser"</p>
                </div>
            </header>
            <section class="card status" aria-labelledby="status-title">
                <h2 id="status-title">"Status layanan " <span lang="en">"· Service status"</span></h2>
                <div aria-live="polite">
                    <Suspense fallback=|| {
                        view! { <p class="status-line pending">"Menghubungi layanan… " <span lang="en">"(contacting the service)"</span></p> }
                    }>
                        {move || health.get().map(|result| view! { <HealthStatus result /> })}
                    </Suspense>
                </div>
            </section>
            <p class="demo-note">
                "Data kependudukan pada layanan ini adalah data contoh (demo), bukan data SIAK asli. "
                <span lang="en">"Population data here is synthetic demo data, not the real SIAK."</span>
            </p>
        </main>
    }
}
