//! The service's check of a new citizen password: the shared rules (`ikd_core::
//! citizen_password`) plus a list of 17,973 common passwords of 8 characters or more
//! (`data/common-passwords.txt`: the zxcvbn-ts common list, MIT, plus Indonesian favourites).

use std::collections::HashSet;
use std::sync::LazyLock;

use axum::http::StatusCode;
use ikd_core::citizen_password::{self, PasswordRuleError};

use crate::platform::refusal::Refusal;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

/// Refuses a password that breaks a rule or is on the common list (compared in lower case,
/// so "Password1" is as common as "password1").
pub fn check(password: &str, nik: &str) -> Result<(), PasswordRuleError> {
    citizen_password::check(password, nik)?;
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(PasswordRuleError::Common);
    }
    Ok(())
}

pub fn refusal(err: PasswordRuleError, field: &'static str) -> Refusal {
    Refusal::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        err.code(),
        &err.message_id(),
        &err.message_en(),
    )
    .field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(check("password1", ""), Err(PasswordRuleError::Common));
        assert_eq!(check("PassWord1", ""), Err(PasswordRuleError::Common));
        assert_eq!(check("bismillah", ""), Err(PasswordRuleError::Common));
        assert_eq!(check("kuda-lari-di-sawah-hijau", ""), Ok(()));
        assert!(COMMON.len() > 17_000);
    }
}
