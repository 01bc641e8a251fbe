//! Issue 14, finding 5: "lupa kata sandi" returned at once for unknown accounts and sent mail
//! inline for known ones, and nothing limited the mails per account. Now the answer does the
//! same work for every identifier (one stored request; nothing else), the worker makes the
//! link and queues the mail, and an account gets a few reset mails a day however many
//! requests name it. Equal work is shown by counting rows each answer wrote, never by timing.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::support::{TestApp, body_bytes};

/// Rows in the tables a reset request may touch: (requests, reset links, queued mail).
async fn footprint(app: &TestApp) -> (i64, i64, i64) {
    let count = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(app.db.pool())
            .await
            .expect("count")
    };
    (
        count("password_reset_requests").await,
        count("password_resets").await,
        count("mail_queue").await,
    )
}

/// Solved before any request is sent: fetching a captcha goes through `TestApp::request`,
/// which lets the mail worker run.
async fn captchas(app: &TestApp, count: usize) -> Vec<Value> {
    let mut solved = Vec::with_capacity(count);
    for _ in 0..count {
        solved.push(serde_json::to_value(solved_captcha(app).await).expect("captcha json"));
    }
    solved
}

/// The answer alone, with the mail worker not run.
async fn ask_reset(app: &TestApp, identifier: &str, captcha: Value) -> (u16, Vec<u8>) {
    let body = json!({"identifier": identifier, "captcha": captcha});
    let response = app
        .answer_only(json_request("POST", "/api/password-reset", &body, None))
        .await;
    let status = response.status().as_u16();
    (status, body_bytes(response).await)
}

async fn active(app: &TestApp) -> Citizen {
    seed_registry(app).await;
    let (officer, desk) = open_desk(app).await;
    let citizen = eligible_citizens(app, 1).await.remove(0);
    active_citizen(app, &officer, desk, &citizen, "device-phone-0001").await;
    citizen
}

#[tokio::test]
async fn password_reset_sends_mail_inline_finding_5_same_answer_and_same_work_for_unknown_accounts()
{
    let app = TestApp::new().await;
    let citizen = active(&app).await;
    let mails_before = emails_to(&app, &citizen.email).len();
    let mut solved = captchas(&app, 2).await;
    let before = footprint(&app).await;

    let known = ask_reset(&app, &citizen.nik, solved.remove(0)).await;
    let after_known = footprint(&app).await;
    let unknown = ask_reset(&app, "3276014101900999", solved.remove(0)).await;
    let after_unknown = footprint(&app).await;

    assert_eq!(known.0, 202);
    assert_eq!(known, unknown, "same status and body, byte for byte");
    // Each answer wrote exactly one stored request and nothing else: no link, no mail yet.
    assert_eq!(after_known, (before.0 + 1, before.1, before.2));
    assert_eq!(
        after_unknown,
        (after_known.0 + 1, after_known.1, after_known.2)
    );
    assert_eq!(
        emails_to(&app, &citizen.email).len(),
        mails_before,
        "no answer waits on mail"
    );

    // The worker mails the real account and drops the other.
    let pass = app.run_mail_worker().await;
    assert_eq!((pass.requests.mailed, pass.requests.dropped), (1, 1));
    assert_eq!(pass.delivery.sent, 1);
    let mails = emails_to(&app, &citizen.email);
    assert_eq!(mails.len(), mails_before + 1);
    let link = mails.last().expect("reset mail");
    // The token travels after `#`, which no server or proxy log sees (finding 9).
    assert!(
        link.contains("https://ikd.test/lupa-sandi#token="),
        "{link}"
    );
    assert!(!link.contains("?token="), "{link}");
    assert_eq!(footprint(&app).await.0, 0, "every request handled once");
}

#[tokio::test]
async fn password_reset_sends_mail_inline_finding_5_a_mailbox_cannot_be_flooded() {
    let app = TestApp::new().await;
    let citizen = active(&app).await;
    let mails_before = emails_to(&app, &citizen.email).len();
    let allowance = app.config.limits.reset_mails_account.max;
    for captcha in captchas(&app, allowance as usize + 3).await {
        assert_eq!(ask_reset(&app, &citizen.nik, captcha).await.0, 202);
    }
    let pass = app.run_mail_worker().await;
    assert_eq!(i64::from(pass.requests.mailed), allowance);
    assert_eq!(pass.requests.dropped, 3);
    assert_eq!(
        emails_to(&app, &citizen.email).len() as i64,
        mails_before as i64 + allowance,
        "a day's allowance of reset mails, however many requests"
    );

    // A stranger could use up the day's allowance; at the counter, an officer gives the
    // person theirs back.
    let officer = officer_login(&app, "rina").await;
    let unlock = json_request(
        "POST",
        "/api/officer/unlock",
        &json!({"nik": citizen.nik}),
        Some(&officer),
    );
    assert_eq!(app.request(unlock).await.status(), 204);
    let captcha = captchas(&app, 1).await.remove(0);
    ask_reset(&app, &citizen.nik, captcha).await;
    assert_eq!(app.run_mail_worker().await.requests.mailed, 1);
}

#[tokio::test]
async fn password_reset_sends_mail_inline_finding_5_a_reset_link_still_works_end_to_end() {
    let app = TestApp::new().await;
    let citizen = active(&app).await;
    let captcha = captchas(&app, 1).await.remove(0);
    ask_reset(&app, &citizen.email, captcha).await;
    app.run_mail_worker().await;
    let mail = emails_to(&app, &citizen.email).pop().expect("reset mail");
    let start = mail.find("#token=").expect("link") + "#token=".len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let confirm = json!({"token": token, "newPassword": "sapi-makan-rumput-77"});
    let response = app
        .request(json_request(
            "POST",
            "/api/password-reset/confirm",
            &confirm,
            None,
        ))
        .await;
    assert_eq!(response.status(), 200);
    let response = login(
        &app,
        &citizen.nik,
        "sapi-makan-rumput-77",
        "device-phone-0001",
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
}
