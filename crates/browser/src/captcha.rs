//! The device's side of the proof-of-work captcha: a fresh challenge from the service, solved
//! in chunks so the page can show progress and stays responsive. Registration, activation,
//! password reset, and a login the service asks it of (`captcha-required`) all use it.

use ikd_core::captcha::{Challenge, Solution};

use crate::clock::sleep_ms;
use crate::fetch::send;
use crate::problem::ApiProblem;

/// Numbers tried between two yields to the page.
const CHUNK: u64 = 10_000;

/// A solution of a fresh challenge; `progress` hears 0–100 as the search goes.
pub async fn solved_captcha(progress: impl Fn(u32)) -> Result<Solution, ApiProblem> {
    let challenge: Challenge = send("POST", "/api/captcha", &serde_json::json!({})).await?;
    let mut from = 0;
    while from <= challenge.max_number {
        let to = (from + CHUNK - 1).min(challenge.max_number);
        if let Some(solution) = ikd_core::captcha::solve_range(&challenge, from, to) {
            progress(100);
            return Ok(solution);
        }
        from = to + 1;
        progress(((from * 100) / (challenge.max_number + 1)) as u32);
        sleep_ms(0).await;
    }
    Err(ApiProblem::Unreadable)
}
