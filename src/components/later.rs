//! Renders its children one task after the rest of the screen.
//!
//! The first render of a screen runs many wasm functions for the first time, and the browser
//! compiles each on its first call. On a slow phone that made one long task of the whole first
//! screen, during which a tap waits. Parts below the fold go in a [`Later`], so the top of the
//! screen appears, the browser may handle input, and then the rest follows.

use std::time::Duration;

use leptos::prelude::*;

#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), Duration::ZERO);
    view! { <Show when=move || ready.get()>{children()}</Show> }
}
