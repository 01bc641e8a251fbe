//! The proof-of-work captcha over HTTP and its one-use rule, on both back-ends.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ikd_core::captcha::{self, Challenge, Solution};
use ikd_server::platform::captcha::{CaptchaRefusal, consume};

use crate::fixtures::{
    desk_registration_body, eligible_citizens, open_desk, register, seed_registry, solved_captcha,
};
use crate::support::{TestApp, body_json};

async fn fresh_challenge(app: &TestApp) -> Challenge {
    let response = app
        .request(
            Request::post("/api/captcha")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    serde_json::from_value(body_json(response).await).expect("a challenge")
}

#[tokio::test]
async fn a_challenge_from_the_api_is_solvable_and_accepted_once() {
    let app = TestApp::new().await;
    let challenge = fresh_challenge(&app).await;
    assert_eq!(challenge.algorithm, "SHA-256");
    assert_eq!(challenge.max_number, captcha::DEFAULT_MAX_NUMBER);
    let solution = captcha::solve(&challenge).expect("the device finds the number");
    consume(&app.db, &solution).await.expect("first use");
    let again = consume(&app.db, &solution).await.expect_err("second use");
    assert!(matches!(again, CaptchaRefusal::Replayed), "{again}");
    assert_eq!(again.code(), "captcha-used");
}

#[tokio::test]
async fn a_wrong_or_forged_solution_is_refused_and_not_remembered() {
    let app = TestApp::new().await;
    let challenge = fresh_challenge(&app).await;
    let solution = captcha::solve(&challenge).expect("solvable");
    let wrong = Solution {
        number: solution.number + 1,
        ..solution.clone()
    };
    assert_eq!(
        consume(&app.db, &wrong).await.expect_err("wrong").code(),
        "captcha-wrong"
    );
    let forged = Solution {
        signature: "00".repeat(32),
        ..solution.clone()
    };
    assert_eq!(
        consume(&app.db, &forged).await.expect_err("forged").code(),
        "captcha-forged"
    );
    // The refusals did not burn the challenge: the right answer still passes.
    consume(&app.db, &solution).await.expect("right answer");
}

#[tokio::test]
async fn every_challenge_is_different() {
    let app = TestApp::new().await;
    let a = fresh_challenge(&app).await;
    let b = fresh_challenge(&app).await;
    assert_ne!(a.salt, b.salt);
    assert_ne!(a.signature, b.signature);
}

/// Issue 14, finding 4: a solved captcha moved its leading digits onto the salt's expiry kept
/// its hash and lived for thousands of years, so solutions could be stockpiled.
#[tokio::test]
async fn a_stretched_captcha_does_not_outlive_its_ten_minutes() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizen = eligible_citizens(&app, 1).await.remove(0);
    let mut body = desk_registration_body(&app, &officer, desk, &citizen).await;
    // A number of one digit has nothing to move; such a challenge is 1 in 25,000.
    let mut solution = solved_captcha(&app).await;
    while solution.number < 10 {
        solution = solved_captcha(&app).await;
    }
    let digits = solution.number.to_string();
    let (moved, kept) = digits.split_at(digits.len() - 1);
    let stretched = Solution {
        salt: format!("{}{moved}", solution.salt),
        number: kept.parse().expect("a digit"),
        ..solution
    };
    body["captcha"] = serde_json::to_value(&stretched).expect("json");
    let (status, answer) = register(&app, &body).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["code"], "captcha-wrong", "{answer}");
    assert_eq!(answer["field"], "captcha", "{answer}");
}
