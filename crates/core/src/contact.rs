//! Contact details a citizen types at registration: an email address and an Indonesian
//! mobile number. Both are normalised so the comparison with the registry does not fail on
//! case, spaces or the "+62" / "0" prefix.

/// The length of a mobile number in its national form `08…`, in digits.
const PHONE_MIN_DIGITS: usize = 10;
const PHONE_MAX_DIGITS: usize = 13;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("alamat email tidak sah (invalid email address)")]
    Email,
    #[error(
        "nomor HP harus nomor seluler Indonesia, misalnya 0812xxxxxxxx (invalid Indonesian mobile number)"
    )]
    Phone,
}

impl ContactError {
    pub fn code(self) -> &'static str {
        match self {
            ContactError::Email => "email-invalid",
            ContactError::Phone => "phone-invalid",
        }
    }

    pub fn message_id(self) -> String {
        match self {
            ContactError::Email => "Alamat email tidak sah. Contoh: nama@contoh.id".to_owned(),
            ContactError::Phone => format!(
                "Nomor HP harus nomor seluler Indonesia (08… atau +628…, \
                 {PHONE_MIN_DIGITS}–{PHONE_MAX_DIGITS} digit)"
            ),
        }
    }

    pub fn message_en(self) -> String {
        match self {
            ContactError::Email => "Invalid email address. Example: name@example.id".to_owned(),
            ContactError::Phone => format!(
                "The phone must be an Indonesian mobile number (08… or +628…, \
                 {PHONE_MIN_DIGITS}–{PHONE_MAX_DIGITS} digits)"
            ),
        }
    }
}

/// Lower-cases and trims an email address; refuses what cannot be one (no `@`, spaces, no
/// dot in the domain, longer than RFC 5321 allows).
pub fn normalize_email(input: &str) -> Result<String, ContactError> {
    let email = input.trim().to_lowercase();
    let (local, domain) = email.rsplit_once('@').ok_or(ContactError::Email)?;
    let valid = !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.contains('@');
    if valid {
        Ok(email)
    } else {
        Err(ContactError::Email)
    }
}

/// The national form `08…` of an Indonesian mobile number typed as `08…`, `+628…` or
/// `628…`, with spaces, dots or dashes allowed between digits.
pub fn normalize_phone(input: &str) -> Result<String, ContactError> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+62") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("62") {
        format!("0{rest}")
    } else {
        compact
    };
    let valid = national.starts_with("08")
        && (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&national.len())
        && national.bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(national)
    } else {
        Err(ContactError::Phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Budi.Santoso@Contoh.ID "),
            Ok("budi.santoso@contoh.id".into())
        );
        for bad in [
            "",
            "budi",
            "budi@",
            "@contoh.id",
            "budi@contoh",
            "bu di@contoh.id",
        ] {
            assert_eq!(normalize_email(bad), Err(ContactError::Email), "{bad}");
        }
    }

    #[test]
    fn phones_in_every_common_form_become_national() {
        for typed in [
            "081234567890",
            "+62 812-3456-7890",
            "6281234567890",
            "0812.3456.7890",
        ] {
            assert_eq!(normalize_phone(typed), Ok("081234567890".into()), "{typed}");
        }
        for bad in [
            "",
            "0212345678",
            "08123",
            "0812345678901234",
            "08abc4567890",
        ] {
            assert_eq!(normalize_phone(bad), Err(ContactError::Phone), "{bad}");
        }
    }

    #[test]
    fn the_phone_message_quotes_the_length() {
        assert_eq!(
            ContactError::Phone.message_id(),
            "Nomor HP harus nomor seluler Indonesia (08… atau +628…, 10–13 digit)"
        );
        assert_eq!(
            ContactError::Phone.message_en(),
            "The phone must be an Indonesian mobile number (08… or +628…, 10–13 digits)"
        );
    }
}
