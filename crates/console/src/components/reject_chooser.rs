//! Choosing why a registration is rejected: the four standard reasons
//! (`REJECTION_REASONS`, keys 1–4) or free text ("Lainnya", key 5). The reason is said to the
//! citizen in the rejection email.

use ikd_core::console_api::{REJECTION_REASONS, REJECTION_REASONS_EN};
use leptos::prelude::*;

/// The index of "Lainnya" among the choices.
pub const OTHER: usize = REJECTION_REASONS.len();

/// The reason chosen, or `None` when nothing (or an empty "Lainnya") is chosen.
pub fn chosen_reason(choice: Option<usize>, other: &str) -> Option<String> {
    match choice {
        Some(i) if i < OTHER => Some(REJECTION_REASONS[i].to_owned()),
        Some(_) => Some(other.trim().to_owned()).filter(|r| !r.is_empty()),
        None => None,
    }
}

#[component]
pub fn RejectChooser(
    choice: RwSignal<Option<usize>>,
    other: RwSignal<String>,
    /// Why the choice cannot be confirmed yet.
    problem: RwSignal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let option = move |i: usize, label: Signal<String>| {
        let id = format!("reject-reason-{}", i + 1);
        view! {
            <li>
                <input
                    type="radio"
                    name="reject-reason"
                    id=id.clone()
                    prop:checked=move || choice.get() == Some(i)
                    on:change=move |_| choice.set(Some(i))
                />
                <label for=id>
                    <kbd>{(i + 1).to_string()}</kbd>
                    " "
                    {label}
                </label>
            </li>
        }
    };
    view! {
        <form
            id="reject-chooser"
            class="reject-chooser"
            tabindex="-1"
            aria-labelledby="reject-title"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                on_confirm.run(());
            }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    ev.stop_propagation();
                    on_cancel.run(());
                }
            }
        >
            <fieldset>
                <legend id="reject-title">{move || i18n.t(
                    "Alasan penolakan (dikirim ke pendaftar)",
                    "Reason for rejection (sent to the applicant, in Bahasa Indonesia)",
                )}</legend>
                <ul>
                    {REJECTION_REASONS
                        .into_iter()
                        .zip(REJECTION_REASONS_EN)
                        .enumerate()
                        .map(|(i, (id, en))| option(i, i18n.title(id, en)))
                        .collect_view()}
                    {option(OTHER, i18n.title("Lainnya:", "Other:"))}
                </ul>
                <label class="visually-hidden" for="reject-other">{move || i18n.t("Alasan lain", "Other reason")}</label>
                <textarea
                    id="reject-other"
                    rows="2"
                    placeholder=move || i18n.t("Tulis alasan lain", "Write another reason")
                    prop:value=move || other.get()
                    on:input=move |ev| {
                        other.set(event_target_value(&ev));
                        choice.set(Some(OTHER));
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        // Enter confirms, as everywhere in the chooser; Shift+Enter adds a line.
                        if ev.key() == "Enter" && !ev.shift_key() {
                            ev.prevent_default();
                            on_confirm.run(());
                        }
                    }
                ></textarea>
            </fieldset>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <div class="actions">
                <button type="submit" class="danger" disabled=move || busy.get()>
                    {move || i18n.t("Tolak pendaftaran (Enter)", "Reject the registration (Enter)")}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || i18n.t("Batal (Esc)", "Cancel (Esc)")}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_one_of_the_list_or_non_empty_free_text() {
        assert_eq!(
            chosen_reason(Some(0), "ignored").as_deref(),
            Some(REJECTION_REASONS[0])
        );
        assert_eq!(
            chosen_reason(Some(OTHER), "  KTP rusak  ").as_deref(),
            Some("KTP rusak")
        );
        assert_eq!(chosen_reason(Some(OTHER), "   "), None);
        assert_eq!(chosen_reason(None, "teks"), None);
    }
}
