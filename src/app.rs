//! The root component. Routing and app-wide state arrive with the citizen journeys.

use leptos::prelude::*;

use crate::pages::home::HomePage;

#[component]
pub fn App() -> impl IntoView {
    view! { <HomePage /> }
}
