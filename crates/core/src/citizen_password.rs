//! The rules for a citizen's password that both sides apply: the PWA as a hint while typing,
//! the service when the password is set (where the common-password list is checked too).

pub const MIN_LEN: usize = 8;
/// Long passphrases are welcome; the cap only bounds the hashing work per request.
pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRuleError {
    #[error(
        "kata sandi minimal {MIN_LEN} karakter (password must be at least {MIN_LEN} characters)"
    )]
    TooShort,
    #[error(
        "kata sandi maksimal {MAX_LEN} karakter (password must be at most {MAX_LEN} characters)"
    )]
    TooLong,
    #[error("kata sandi tidak boleh memuat NIK (password must not contain the NIK)")]
    ContainsNik,
    #[error("kata sandi ini terlalu umum (password is too common)")]
    Common,
}

impl PasswordRuleError {
    pub fn code(self) -> &'static str {
        match self {
            PasswordRuleError::TooShort => "password-too-short",
            PasswordRuleError::TooLong => "password-too-long",
            PasswordRuleError::ContainsNik => "password-contains-nik",
            PasswordRuleError::Common => "password-common",
        }
    }

    pub fn message_id(self) -> String {
        match self {
            PasswordRuleError::TooShort => format!("Kata sandi minimal {MIN_LEN} karakter"),
            PasswordRuleError::TooLong => format!("Kata sandi maksimal {MAX_LEN} karakter"),
            PasswordRuleError::ContainsNik => "Kata sandi tidak boleh memuat NIK Anda".to_owned(),
            PasswordRuleError::Common => {
                "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain, misalnya gabungan beberapa kata".to_owned()
            }
        }
    }

    pub fn message_en(self) -> String {
        match self {
            PasswordRuleError::TooShort => {
                format!("The password must be at least {MIN_LEN} characters")
            }
            PasswordRuleError::TooLong => format!("The password must be at most {MAX_LEN} characters"),
            PasswordRuleError::ContainsNik => "The password must not contain your NIK".to_owned(),
            PasswordRuleError::Common => {
                "This password is too common and easy to guess. Choose another, such as several words together".to_owned()
            }
        }
    }
}

/// Length and NIK rules (the common list is the service's job: it is too big for a phone).
pub fn check(password: &str, nik: &str) -> Result<(), PasswordRuleError> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(PasswordRuleError::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PasswordRuleError::TooLong);
    }
    if !nik.is_empty() && password.contains(nik) {
        return Err(PasswordRuleError::ContainsNik);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_nik_rules() {
        assert_eq!(check("pendek", ""), Err(PasswordRuleError::TooShort));
        assert_eq!(check(&"a".repeat(129), ""), Err(PasswordRuleError::TooLong));
        assert_eq!(check(&"é".repeat(64), ""), Ok(()));
        assert_eq!(
            check("x3276010101900001", "3276010101900001"),
            Err(PasswordRuleError::ContainsNik)
        );
        assert_eq!(check("kuda-lari-di-sawah", "3276010101900001"), Ok(()));
    }

    #[test]
    fn length_messages_quote_the_limits() {
        let short = PasswordRuleError::TooShort;
        assert_eq!(short.message_id(), "Kata sandi minimal 8 karakter");
        assert_eq!(
            short.message_en(),
            "The password must be at least 8 characters"
        );
        assert_eq!(
            short.to_string(),
            "kata sandi minimal 8 karakter (password must be at least 8 characters)"
        );
        let long = PasswordRuleError::TooLong;
        assert_eq!(long.message_id(), "Kata sandi maksimal 128 karakter");
        assert_eq!(
            long.message_en(),
            "The password must be at most 128 characters"
        );
        assert_eq!(
            long.to_string(),
            "kata sandi maksimal 128 karakter (password must be at most 128 characters)"
        );
    }
}
