//! The JSON bodies the citizen API and the officers' second-factor step accept, then the
//! checks ikd-core applies to their fields (NIK, email, phone, password rules, captcha).
//!
//! What must hold: nothing panics on any bytes; a body that parses serialises back to JSON
//! that parses to the same value (nothing in a body is lost or changed on the way through);
//! normalising an email or phone a second time changes nothing (one spelling per contact).

#![no_main]

use ikd_core::captcha::{self, Solution};
use ikd_core::citizen_api::{
    ActivationRequest, ChangePasswordRequest, LoginRequest, PasswordResetConfirm,
    PasswordResetRequest, RegistrationRequest,
};
use ikd_core::contact::{normalize_email, normalize_phone};
use ikd_core::date::Date;
use ikd_core::second_factor_api::{PasskeyAnswer, SecondFactorCode};
use ikd_core::{citizen_password, parse_nik};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

const HMAC_KEY: &[u8] = b"fuzz captcha key, 32 bytes long!";
const MAX_NUMBER: u64 = 100_000;
const NOW: i64 = 1_750_000_000;

/// Parses `data` as a `T`; when it does, checks the JSON round trip and returns it.
fn body<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(data).ok()?;
    let json = serde_json::to_vec(&value).expect("a parsed body serialises");
    let again: T = serde_json::from_slice(&json).expect("a serialised body parses");
    assert_eq!(again, value, "a body survives the JSON round trip");
    Some(value)
}

fn today() -> Date {
    Date::new(2026, 12, 1).expect("a date")
}

fn identifier(text: &str) {
    let _ = parse_nik(text, today());
    contact_email(text);
}

fn contact_email(text: &str) {
    if let Ok(email) = normalize_email(text) {
        assert_eq!(
            normalize_email(&email),
            Ok(email.clone()),
            "email normalising is stable"
        );
    }
}

fn contact_phone(text: &str) {
    if let Ok(phone) = normalize_phone(text) {
        assert_eq!(
            normalize_phone(&phone),
            Ok(phone.clone()),
            "phone normalising is stable"
        );
    }
}

fn solution(solution: &Solution) {
    let _ = captcha::expires_at(&solution.salt);
    let _ = captcha::verify(solution, HMAC_KEY, MAX_NUMBER, NOW).map_err(|e| e.code());
}

fn password(password: &str, nik: &str) {
    let _ = citizen_password::check(password, nik).map_err(|e| (e.code(), e.message_en()));
}

fuzz_target!(|data: &[u8]| {
    if let Some(r) = body::<RegistrationRequest>(data) {
        let _ = parse_nik(&r.nik, today());
        contact_email(&r.email);
        contact_phone(&r.phone);
        solution(&r.captcha);
    }
    if let Some(r) = body::<ActivationRequest>(data) {
        let _ = parse_nik(&r.nik, today());
        password(&r.password, &r.nik);
        solution(&r.captcha);
    }
    if let Some(r) = body::<LoginRequest>(data) {
        identifier(&r.identifier);
        if let Some(c) = &r.captcha {
            solution(c);
        }
    }
    if let Some(r) = body::<ChangePasswordRequest>(data) {
        password(&r.new_password, "");
    }
    if let Some(r) = body::<PasswordResetRequest>(data) {
        identifier(&r.identifier);
        solution(&r.captcha);
    }
    if let Some(r) = body::<PasswordResetConfirm>(data) {
        password(&r.new_password, "");
    }
    let _ = body::<SecondFactorCode>(data);
    let _ = body::<PasskeyAnswer>(data);
    // Raw text as the single fields the service reads on their own.
    if let Ok(text) = std::str::from_utf8(data) {
        identifier(text);
        contact_phone(text);
    }
});
