//! Camera screens: take a selfie, or scan a QR. The stream stops when the view goes away.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ikd_core::console_api::DESK_SHORT_CODE_LEN;
use leptos::html;
use leptos::prelude::*;
use web_sys::MediaStream;

use crate::camera::{self, Facing};
use crate::i18n::use_i18n;

fn start_stream(
    facing: Facing,
    video: NodeRef<html::Video>,
    stream_slot: StoredValue<Option<MediaStream>, LocalStorage>,
    failed: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        match camera::open(facing).await {
            Ok(stream) => {
                if let Some(video) = video.get_untracked() {
                    video.set_src_object(Some(&stream));
                    let _ = video.play();
                }
                stream_slot.set_value(Some(stream));
            }
            Err(_) => failed.set(true),
        }
    });
    on_cleanup(move || {
        if let Some(stream) = stream_slot.try_get_value().flatten() {
            camera::stop(&stream);
        }
    });
}

/// Front camera with a shutter button; `on_photo` gets the JPEG and the check's findings.
#[component]
pub fn SelfieCamera(on_photo: Callback<camera::Selfie>) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<html::Video>::new();
    let stream = StoredValue::new_local(None::<MediaStream>);
    let failed = RwSignal::new(false);
    start_stream(Facing::User, video, stream, failed);
    let shoot = move |_| {
        let Some(video) = video.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(photo) = camera::capture_selfie(&video).await
                && !photo.jpeg.is_empty()
            {
                on_photo.run(photo);
            }
        });
    };
    view! {
        <div class="camera">
            <video node_ref=video autoplay=true muted=true playsinline=true class="camera-video mirror"></video>
            <Show when=move || failed.get()>
                <p class="error" role="alert">{move || i18n.t(
                    "Kamera tidak dapat dibuka. Izinkan akses kamera di peramban lalu coba lagi.",
                    "The camera cannot be opened. Allow camera access in the browser and try again.",
                )}</p>
            </Show>
            <button class="primary" on:click=shoot>{move || i18n.t("Ambil swafoto", "Take selfie")}</button>
        </div>
    }
}

/// Back camera reading QR codes until one is found; `on_text` gets its text once.
#[component]
pub fn QrScanner(on_text: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<html::Video>::new();
    let stream = StoredValue::new_local(None::<MediaStream>);
    let failed = RwSignal::new(false);
    start_stream(Facing::Environment, video, stream, failed);
    let running = Arc::new(AtomicBool::new(true));
    let still_running = running.clone();
    on_cleanup(move || still_running.store(false, Ordering::Relaxed));
    leptos::task::spawn_local(async move {
        while running.load(Ordering::Relaxed) {
            crate::browser::sleep_ms(250).await;
            let Some(element) = video.try_get_untracked().flatten() else {
                continue;
            };
            if let Some(text) = camera::scan_frame(&element).await {
                running.store(false, Ordering::Relaxed);
                on_text.run(text);
            }
        }
    });
    view! {
        <div class="camera">
            <video node_ref=video autoplay=true muted=true playsinline=true class="camera-video"></video>
            <p class="hint">{move || i18n.t("Arahkan kamera ke QR di layar petugas.", "Point the camera at the QR on the officer's screen.")}</p>
            <Show when=move || failed.get()>
                <p class="error" role="alert">{move || i18n.pick(
                    format!("Kamera tidak dapat dibuka. Ketik kode loket ({DESK_SHORT_CODE_LEN} huruf/angka) di bawah QR."),
                    format!("The camera cannot be opened. Type the desk code ({DESK_SHORT_CODE_LEN} letters or digits) shown under the QR."),
                )}</p>
            </Show>
        </div>
    }
}
