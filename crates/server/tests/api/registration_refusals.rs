//! Every refusal of `POST /api/registrations`: a stable code, a message in both languages,
//! the field concerned, and answers that never tell whether someone else's NIK exists.

use axum::body::Body;
use axum::http::{Request, header};
use ikd_core::Sex;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_json};

async fn setup() -> (TestApp, String, i64, Citizen) {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    (app, officer, desk, citizen)
}

fn assert_refusal(
    status: u16,
    answer: &Value,
    expected_status: u16,
    code: &str,
    field: Option<&str>,
) {
    assert_eq!(status, expected_status, "{answer}");
    assert_eq!(answer["code"], code, "{answer}");
    assert!(!answer["message"].as_str().unwrap_or("").is_empty());
    assert!(!answer["messageEn"].as_str().unwrap_or("").is_empty());
    match field {
        Some(field) => assert_eq!(answer["field"], field, "{answer}"),
        None => assert!(answer.get("field").is_none(), "{answer}"),
    }
}

#[tokio::test]
async fn an_unknown_nik_and_a_wrong_email_get_the_very_same_answer() {
    let (app, officer, desk, citizen) = setup().await;
    // A well-formed NIK of a real district that the registry does not hold.
    let unknown = Citizen {
        nik: "3276014101900999".to_owned(),
        ..citizen.clone()
    };
    let known =
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM registry_persons WHERE nik = $1")
            .bind(&unknown.nik)
            .fetch_one(app.db.pool())
            .await
            .expect("count");
    assert_eq!(known, 0);
    let body = desk_registration_body(&app, &officer, desk, &unknown).await;
    let (status_unknown, answer_unknown) = register(&app, &body).await;

    let wrong_email = Citizen {
        email: "orang.lain@contoh.id".to_owned(),
        ..citizen.clone()
    };
    let body = desk_registration_body(&app, &officer, desk, &wrong_email).await;
    let (status_known, answer_known) = register(&app, &body).await;

    let wrong_phone = Citizen {
        phone: "081299999999".to_owned(),
        ..citizen
    };
    let body = desk_registration_body(&app, &officer, desk, &wrong_phone).await;
    let (status_phone, answer_phone) = register(&app, &body).await;

    assert_refusal(status_unknown, &answer_unknown, 422, "data-mismatch", None);
    assert_eq!(
        (status_unknown, &answer_unknown),
        (status_known, &answer_known)
    );
    assert_eq!(
        (status_unknown, &answer_unknown),
        (status_phone, &answer_phone)
    );
    // Nothing was queued.
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(queued, 0);
}

#[tokio::test]
async fn contact_details_are_compared_after_normalising() {
    let (app, officer, desk, citizen) = setup().await;
    let typed = Citizen {
        email: format!("  {}  ", citizen.email.to_uppercase()),
        phone: format!("+62 {}", &citizen.phone[1..]),
        ..citizen
    };
    let body = desk_registration_body(&app, &officer, desk, &typed).await;
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 202, "{answer}");
}

#[tokio::test]
async fn malformed_fields_are_refused_next_to_the_field() {
    let (app, officer, desk, citizen) = setup().await;
    let cases: Vec<(&str, Value, u16, &str, &str)> = vec![
        ("nik", json!("32760141019"), 422, "nik-invalid", "nik"),
        ("nik", json!("9976014101900001"), 422, "nik-invalid", "nik"),
        ("email", json!("bukan-email"), 422, "email-invalid", "email"),
        ("phone", json!("0212345678"), 422, "phone-invalid", "phone"),
        (
            "selfieJpeg",
            json!("aGVsbG8="),
            422,
            "selfie-invalid",
            "selfie",
        ),
        ("selfieJpeg", json!("###"), 422, "selfie-invalid", "selfie"),
        (
            "deskToken",
            json!("IKD-MEJA:1:1:00000000000000000000"),
            422,
            "desk-token-invalid",
            "deskToken",
        ),
        (
            "deskToken",
            json!("ZZZZZZ"),
            422,
            "desk-token-invalid",
            "deskToken",
        ),
    ];
    for (field, value, status, code, concerned) in cases {
        let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
        body[field] = value;
        let (got_status, answer) = register(&app, &body).await;
        assert_refusal(got_status, &answer, status, code, Some(concerned));
    }
}

#[tokio::test]
async fn a_selfie_over_200_kb_is_refused() {
    let (app, officer, desk, citizen) = setup().await;
    let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.resize(210 * 1024, 0x55);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    body["selfieJpeg"] = json!(base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        jpeg
    ));
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 413, "selfie-too-large", Some("selfie"));
}

#[tokio::test]
async fn people_under_17_and_without_a_recorded_e_ktp_are_told_why() {
    let (app, officer, desk, _) = setup().await;
    // A child of the registry: refused on the NIK alone, before any lookup.
    let child: (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons ORDER BY birth_date DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("child");
    let young = Citizen {
        nik: child.0,
        email: child.1.unwrap_or_else(|| "anak@contoh.id".into()),
        phone: child.2.unwrap_or_else(|| "081234567890".into()),
    };
    let body = desk_registration_body(&app, &officer, desk, &young).await;
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 422, "too-young", Some("nik"));

    // An adult whose e-KTP was never recorded, with contact details that match.
    let adult: (String, String, String) = sqlx::query_as(
        "SELECT nik, email, phone FROM registry_persons WHERE email IS NOT NULL LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("adult");
    sqlx::query("UPDATE registry_persons SET ektp_recorded = 0, ektp_printed = 0 WHERE nik = $1")
        .bind(&adult.0)
        .execute(app.db.pool())
        .await
        .expect("unrecord");
    let unrecorded = Citizen {
        nik: adult.0,
        email: adult.1,
        phone: adult.2,
    };
    let body = desk_registration_body(&app, &officer, desk, &unrecorded).await;
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 422, "ektp-not-recorded", None);
}

#[tokio::test]
async fn a_captcha_is_accepted_once_and_a_wrong_one_never() {
    let (app, officer, desk, citizen) = setup().await;
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    let (status, _) = register(&app, &body).await;
    assert_eq!(status, 202);
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 422, "captcha-used", Some("captcha"));

    let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
    body["captcha"]["number"] = json!(body["captcha"]["number"].as_u64().expect("n") + 1);
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 422, "captcha-wrong", Some("captcha"));

    let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
    body["captcha"]["signature"] = json!("00".repeat(32));
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 422, "captcha-forged", Some("captcha"));
}

#[tokio::test]
async fn a_closed_desk_takes_no_more_registrations() {
    let (app, officer, desk, citizen) = setup().await;
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    let response = app
        .request(json_request(
            "POST",
            &format!("/api/desks/{desk}/close"),
            &json!({}),
            Some(&officer),
        ))
        .await;
    assert_eq!(response.status(), 200);
    let (status, answer) = register(&app, &body).await;
    assert_refusal(
        status,
        &answer,
        422,
        "desk-token-invalid",
        Some("deskToken"),
    );
    let response = app
        .request(get_request(
            &format!("/api/desks/{desk}/token"),
            Some(&officer),
        ))
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn a_newer_registration_replaces_one_still_waiting() {
    let (app, officer, desk, citizen) = setup().await;
    let first = desk_registration_body(&app, &officer, desk, &citizen).await;
    let (_, first) = register(&app, &first).await;
    let second = desk_registration_body(&app, &officer, desk, &citizen).await;
    let (status, _) = register(&app, &second).await;
    assert_eq!(status, 202);
    let old = body_json(
        app.get(&format!(
            "/api/registrations/{}/status",
            first["registrationId"].as_str().expect("id")
        ))
        .await,
    )
    .await;
    assert_eq!(old["status"], "superseded");
    let queue = desk_queue(&app, &officer, desk).await;
    assert_eq!(queue.as_array().expect("queue").len(), 1);
}

#[tokio::test]
async fn registrations_are_rate_limited_per_nik_with_retry_after() {
    let app = TestApp::with_config(|config| {
        config.limits.register_nik.max = 2;
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    for _ in 0..2 {
        let body = desk_registration_body(&app, &officer, desk, &citizen).await;
        assert_eq!(register(&app, &body).await.0, 202);
    }
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    let response = app
        .request(json_request("POST", "/api/registrations", &body, None))
        .await;
    assert_eq!(response.status(), 429);
    let retry_after: i64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    assert_eq!(body_json(response).await["code"], "rate-limited");
}

#[tokio::test]
async fn registrations_are_rate_limited_per_address() {
    let app = TestApp::with_config(|config| {
        config.limits.register_ip.max = 1;
    })
    .await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    assert_eq!(register(&app, &body).await.0, 202);
    let body = desk_registration_body(&app, &officer, desk, &citizen).await;
    let (status, answer) = register(&app, &body).await;
    assert_refusal(status, &answer, 429, "rate-limited", None);
}

fn raw(content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post("/api/registrations")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn bad_bodies_get_json_4xx_never_500() {
    let app = TestApp::new().await;
    let cases = [
        (raw("text/plain", b"{}".to_vec()), 415, "content-type"),
        (raw("application/json", b"{not json".to_vec()), 400, "json-syntax"),
        (raw("application/json", br#"{"nik": 5}"#.to_vec()), 422, "json-fields"),
        (raw("application/json", br#"{"nik":"1","email":"","phone":"","selfieJpeg":"","deskToken":"","captcha":{"algorithm":"","challenge":"","number":1,"salt":"","signature":""},"extra":1}"#.to_vec()), 422, "json-fields"),
        (raw("application/json", vec![b' '; 600 * 1024]), 413, "too-large"),
    ];
    for (request, status, code) in cases {
        let response = app.request(request).await;
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()["content-type"], "application/json");
        let answer = body_json(response).await;
        assert_eq!(answer["code"], code, "{answer}");
    }
    // A captcha number written as a float (`100.0`, `1e2`) where an integer is documented:
    // refused as the JSON of the wrong shape it is (422 `json-fields`, the documented refusal
    // for any body field of the wrong type), never a 500 nor a plain-text answer.
    for number in ["100.0", "1e2", "-1", "18446744073709551616"] {
        let body = format!(
            r#"{{"nik":"3276011111111111","email":"a@b.test","phone":"081234567890","selfieJpeg":"AAAA","deskToken":"x","captcha":{{"algorithm":"SHA-256","challenge":"00","number":{number},"salt":"s","signature":"00"}}}}"#
        );
        let response = app
            .request(raw("application/json", body.into_bytes()))
            .await;
        assert_eq!(response.status(), 422, "{number}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let answer = body_json(response).await;
        assert_eq!(answer["code"], "json-fields", "{number}: {answer}");
        assert!(
            answer["messageEn"]
                .as_str()
                .is_some_and(|m| m.contains("captcha.number")),
            "{answer}"
        );
    }
    // The selfie helper itself makes a real JPEG.
    assert!(
        ikd_server::registry::portrait::portrait_jpeg(1, Sex::Male, 30).starts_with(&[0xFF, 0xD8])
    );
}
