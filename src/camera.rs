//! The camera: a selfie from the front camera, shrunk and compressed in the browser before it
//! is uploaded, and checked on the phone for a face, light and sharpness
//! (`ikd_core::selfie_quality` on a 240×320 copy, with the browser's FaceDetector where it
//! exists); and QR codes read from the back camera, by the browser's BarcodeDetector where
//! it exists, otherwise in wasm by [`crate::qr_frame`], on the frame at the camera's own size.

use ikd_core::selfie_quality::{self, SelfieFinding};

use crate::split_point::{ChunkUnavailable, Loading, SplitPoint};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

/// Selfies are uploaded at 480×640, JPEG quality 0.8: about 30–60 KB, well under the
/// service's 200 KB cap, and enough for the officer to compare faces.
const SELFIE_WIDTH: u32 = 480;
const SELFIE_HEIGHT: u32 = 640;
/// The quality check looks at a copy this size: enough detail for the sharpness rule, and
/// 77,000 pixels take a few milliseconds in wasm.
const CHECK_WIDTH: u32 = 240;
const CHECK_HEIGHT: u32 = 320;
/// QR frames are read at the camera's own size up to this longer side (the 1280 asked for in
/// [`open`]): a Claim 169 QR has up to 137 modules, and shrinking a frame (it was 720) left
/// 2–3 blurred pixels per module, too few to read.
const SCAN_MAX_SIDE: u32 = 1280;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facing {
    /// Front camera, for the selfie.
    User,
    /// Back camera, for the desk QR.
    Environment,
}

/// Opens the camera; the caller shows the stream in a `<video>`.
pub async fn open(facing: Facing) -> Result<MediaStream, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let devices = window.navigator().media_devices()?;
    let video = js_sys::Object::new();
    let mode = match facing {
        Facing::User => "user",
        Facing::Environment => "environment",
    };
    js_sys::Reflect::set(&video, &"facingMode".into(), &mode.into())?;
    let ideal = js_sys::Object::new();
    js_sys::Reflect::set(&ideal, &"ideal".into(), &JsValue::from_f64(1280.0))?;
    js_sys::Reflect::set(&video, &"width".into(), &ideal)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&JsValue::FALSE);
    let stream = JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?;
    stream.dyn_into::<MediaStream>()
}

pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn canvas(
    width: u32,
    height: u32,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    Ok((canvas, context))
}

/// A selfie as taken: base64 JPEG (no `data:` prefix) and what the phone's check found.
#[derive(Debug, Clone)]
pub struct Selfie {
    pub jpeg: String,
    pub findings: Vec<SelfieFinding>,
}

/// The current frame, cropped to 3:4 around the centre and shrunk, as base64 JPEG, ready for
/// the registration request; with the quality check's findings.
pub async fn capture_selfie(video: &HtmlVideoElement) -> Result<Selfie, JsValue> {
    let (vw, vh) = (
        f64::from(video.video_width()),
        f64::from(video.video_height()),
    );
    if vw < 1.0 || vh < 1.0 {
        return Err("camera not ready".into());
    }
    let target_ratio = f64::from(SELFIE_WIDTH) / f64::from(SELFIE_HEIGHT);
    let (sw, sh) = if vw / vh > target_ratio {
        (vh * target_ratio, vh)
    } else {
        (vw, vw / target_ratio)
    };
    let (canvas, context) = canvas(SELFIE_WIDTH, SELFIE_HEIGHT)?;
    context.draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        video,
        (vw - sw) / 2.0,
        (vh - sh) / 2.0,
        sw,
        sh,
        0.0,
        0.0,
        f64::from(SELFIE_WIDTH),
        f64::from(SELFIE_HEIGHT),
    )?;
    let url =
        canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.8))?;
    let jpeg = url
        .split_once(',')
        .map(|(_, data)| data.to_owned())
        .unwrap_or_default();
    let (_, small) = self::canvas(CHECK_WIDTH, CHECK_HEIGHT)?;
    small.draw_image_with_html_canvas_element_and_dw_and_dh(
        &canvas,
        0.0,
        0.0,
        f64::from(CHECK_WIDTH),
        f64::from(CHECK_HEIGHT),
    )?;
    let rgba = small
        .get_image_data(0.0, 0.0, f64::from(CHECK_WIDTH), f64::from(CHECK_HEIGHT))?
        .data();
    let faces = face_detector(&canvas).await;
    let findings =
        selfie_quality::assess(&rgba, CHECK_WIDTH as usize, CHECK_HEIGHT as usize, faces);
    Ok(Selfie { jpeg, findings })
}

/// How many faces the browser's own FaceDetector sees; `None` where it is absent (most
/// desktop Chromium builds) or fails, and the skin-tone rule decides instead.
async fn face_detector(canvas: &HtmlCanvasElement) -> Option<usize> {
    let window = web_sys::window()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &"FaceDetector".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let detector = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = detect.call1(&detector, canvas).ok()?.dyn_into().ok()?;
    let found: js_sys::Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    Some(found.length() as usize)
}

/// Looks for a QR code in the current frame.
pub async fn scan_frame(video: &HtmlVideoElement) -> Option<String> {
    if let Some(text) = barcode_detector(video).await {
        return Some(text);
    }
    decode_in_wasm(video).await.ok().flatten()
}

/// The QR decoder in wasm (`rqrr`, `crate::qr_frame::decode_rgba`) in a chunk of each bundle
/// that reads QR codes: it loads only where the browser has no detector of its own, on the
/// first frame (`src/bin/`).
pub static QR_DECODER: SplitPoint<DecodeQr> = SplitPoint::new("camera::QR_DECODER");

/// A frame's RGBA pixels, its width and height in, the QR's text out when one is found.
pub type DecodeQr = fn(Vec<u8>, usize, usize) -> Loading<Result<Option<String>, ChunkUnavailable>>;

/// The browser's own detector (Android Chrome, macOS, ChromeOS); `None` where absent.
async fn barcode_detector(video: &HtmlVideoElement) -> Option<String> {
    let window = web_sys::window()?;
    let ctor = js_sys::Reflect::get(&window, &"BarcodeDetector".into()).ok()?;
    let ctor: js_sys::Function = ctor.dyn_into().ok()?;
    let options = js_sys::Object::new();
    let formats = js_sys::Array::of1(&"qr_code".into());
    js_sys::Reflect::set(&options, &"formats".into(), &formats).ok()?;
    let detector = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&options)).ok()?;
    let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = detect.call1(&detector, video).ok()?.dyn_into().ok()?;
    let found: js_sys::Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    found.iter().find_map(|code| {
        js_sys::Reflect::get(&code, &"rawValue".into())
            .ok()?
            .as_string()
    })
}

async fn decode_in_wasm(video: &HtmlVideoElement) -> Result<Option<String>, JsValue> {
    let (vw, vh) = (video.video_width(), video.video_height());
    if vw == 0 || vh == 0 {
        return Ok(None);
    }
    let scale = (f64::from(SCAN_MAX_SIDE) / f64::from(vw.max(vh))).min(1.0);
    let (w, h) = (
        ((f64::from(vw) * scale) as u32).max(1),
        ((f64::from(vh) * scale) as u32).max(1),
    );
    let (_, context) = canvas(w, h)?;
    context.draw_image_with_html_video_element_and_dw_and_dh(
        video,
        0.0,
        0.0,
        f64::from(w),
        f64::from(h),
    )?;
    let rgba = context
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))?
        .data();
    // A decoder that cannot be fetched reads no QR in this frame; the scanner tries the next.
    Ok((QR_DECODER.get())(rgba.0, w as usize, h as usize)
        .await
        .unwrap_or(None))
}
