//! Why a Claim 169 QR was refused, or could not be made. `code()` is a stable contract (the
//! CLI prints it, verifier apps branch on it); messages are for citizens and verifiers at a
//! counter, so they say what happened in plain words, Bahasa Indonesia first.

/// A QR text that could not be decoded or verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} ({})", self.message_id(), self.message_en())]
pub enum DecodeError {
    /// The text is empty.
    Input,
    /// The text, or what it decompresses to, is larger than any genuine credential.
    TooLarge,
    /// Not Base45 (RFC 9285).
    Base45,
    /// Not a zlib stream.
    Decompress,
    /// Malformed CBOR, nested too deep, or a field of the wrong type.
    Cbor,
    /// Well-formed CBOR that is not the expected COSE structure.
    Cose,
    /// Signed or encrypted with an algorithm IKD does not accept.
    UnsupportedAlg,
    /// No trusted key matches the signer (unknown kid, or no key of that algorithm).
    UnknownKey,
    /// The signature does not match: the contents were changed or signed by someone else.
    Signature,
    /// Verification was asked for, but the credential carries no signature at all.
    Unsigned,
    /// The credential is encrypted and the key is missing or wrong, or the ciphertext was
    /// changed.
    Decrypt,
    /// The QR is encrypted to an institution whose key this verifier does not hold (issue
    /// 17: each institution opens only the QRs shown to it).
    OtherInstitution,
    /// `exp` has passed.
    Expired,
    /// `nbf` is still in the future.
    NotYetValid,
    /// A valid CWT without claim 169.
    MissingClaim169,
    /// The credential names a holder key (`cnf`) but carries no proof by it: a copy of the
    /// credential, not a QR its holder's phone showed.
    NotPresented,
    /// The holder's proof is malformed or its signature is not by the `cnf` key.
    HolderProof,
    /// The holder's proof is older than the verifier's tolerance: a photo or screenshot.
    Stale,
    /// The holder's proof is dated ahead of the verifier's clock by more than the tolerance.
    ShownInFuture,
}

impl DecodeError {
    /// Stable machine-readable code. Never change one once shipped.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Input => "input",
            DecodeError::TooLarge => "too-large",
            DecodeError::Base45 => "base45",
            DecodeError::Decompress => "decompress",
            DecodeError::Cbor => "cbor",
            DecodeError::Cose => "cose",
            DecodeError::UnsupportedAlg => "unsupported-alg",
            DecodeError::UnknownKey => "unknown-key",
            DecodeError::Signature | DecodeError::Unsigned => "signature",
            DecodeError::Decrypt => "decrypt",
            DecodeError::OtherInstitution => "other-institution",
            DecodeError::Expired => "expired",
            DecodeError::NotYetValid => "not-yet-valid",
            DecodeError::MissingClaim169 => "missing-claim-169",
            DecodeError::NotPresented => "not-presented",
            DecodeError::HolderProof => "holder-proof",
            DecodeError::Stale => "stale",
            DecodeError::ShownInFuture => "shown-in-future",
        }
    }

    /// Plain Bahasa Indonesia for the person holding or checking the card.
    pub fn message_id(&self) -> &'static str {
        match self {
            DecodeError::Input => "Tidak ada teks QR yang dibaca",
            DecodeError::TooLarge => "Isi QR terlalu besar untuk KTP digital",
            DecodeError::Base45 => "QR ini bukan QR KTP digital (format teks tidak dikenal)",
            DecodeError::Decompress => "QR ini bukan QR KTP digital (isi tidak dapat dibuka)",
            DecodeError::Cbor => "Isi QR rusak atau tidak sesuai format",
            DecodeError::Cose => "QR ini bukan kredensial bertanda tangan yang dikenal",
            DecodeError::UnsupportedAlg => "QR ini memakai cara tanda tangan yang tidak didukung",
            DecodeError::UnknownKey => "Penerbit QR ini tidak dikenal atau kuncinya tidak berlaku",
            DecodeError::Signature => "Tanda tangan QR tidak sah: data mungkin telah diubah",
            DecodeError::Unsigned => "QR ini tidak bertanda tangan sehingga tidak dapat diperiksa",
            DecodeError::Decrypt => {
                "QR ini terenkripsi dan tidak dapat dibuka dengan kunci yang tersedia"
            }
            DecodeError::OtherInstitution => {
                "QR ini terenkripsi untuk instansi lain: hanya instansi yang dipilih pemilik yang dapat membukanya"
            }
            DecodeError::Expired => "Masa berlaku QR ini sudah habis",
            DecodeError::NotYetValid => "QR ini belum berlaku",
            DecodeError::MissingClaim169 => "QR ini tidak berisi data identitas",
            DecodeError::NotPresented => {
                "QR ini salinan kredensial, bukan QR yang ditampilkan ponsel pemiliknya"
            }
            DecodeError::HolderProof => {
                "Bukti pemilik pada QR ini tidak sah: QR tidak dibuat oleh ponsel pemiliknya"
            }
            DecodeError::Stale => {
                "QR ini dibuat terlalu lama yang lalu (mungkin foto atau tangkapan layar): minta pemilik menampilkan QR baru"
            }
            DecodeError::ShownInFuture => {
                "Waktu pada QR ini jauh di depan jam perangkat pemeriksa: periksa jam kedua perangkat"
            }
        }
    }

    /// The same message in English.
    pub fn message_en(&self) -> &'static str {
        match self {
            DecodeError::Input => "No QR text was read",
            DecodeError::TooLarge => "The QR content is too large for a digital KTP",
            DecodeError::Base45 => "This is not a digital KTP QR (unknown text format)",
            DecodeError::Decompress => "This is not a digital KTP QR (content cannot be unpacked)",
            DecodeError::Cbor => "The QR content is damaged or malformed",
            DecodeError::Cose => "This QR is not a known signed credential",
            DecodeError::UnsupportedAlg => "This QR uses an unsupported signature method",
            DecodeError::UnknownKey => "The issuer of this QR is unknown or its key is not valid",
            DecodeError::Signature => "The QR signature is invalid: the data may have been changed",
            DecodeError::Unsigned => "This QR is not signed, so it cannot be checked",
            DecodeError::Decrypt => {
                "This QR is encrypted and cannot be opened with the key at hand"
            }
            DecodeError::OtherInstitution => {
                "This QR is encrypted for another institution: only the institution its holder chose can open it"
            }
            DecodeError::Expired => "This QR has expired",
            DecodeError::NotYetValid => "This QR is not valid yet",
            DecodeError::MissingClaim169 => "This QR holds no identity data",
            DecodeError::NotPresented => {
                "This QR is a copy of the credential, not a QR shown by its holder's phone"
            }
            DecodeError::HolderProof => {
                "The holder's proof in this QR is invalid: it was not made by the holder's phone"
            }
            DecodeError::Stale => {
                "This QR was made too long ago (perhaps a photo or screenshot): ask the holder to show a fresh one"
            }
            DecodeError::ShownInFuture => {
                "The time in this QR is far ahead of the checking device's clock: check both devices' clocks"
            }
        }
    }
}

/// Why a credential could not be issued. Issuing runs on the service, so these are for
/// operators, not citizens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    #[error(
        "kunci {key} tidak dapat dipakai untuk data tambahan karena sudah punya arti (key {key} is reserved for a known field)"
    )]
    ReservedUnknownKey { key: i64 },
    #[error(
        "data tambahan di kunci {key} bukan satu butir CBOR yang sah (extra data at key {key} is not one well-formed CBOR item)"
    )]
    InvalidUnknownValue { key: i64 },
    #[error("kredensial tidak dapat dikodekan ke CBOR (credential cannot be encoded as CBOR)")]
    Encode,
    #[error("kredensial tidak dapat dienkripsi (credential cannot be encrypted)")]
    Encrypt,
    #[error(
        "kredensial terlalu besar untuk QR: {chars} karakter, batas {limit} (credential too large for a QR: {chars} characters, limit {limit})"
    )]
    TooLarge { chars: usize, limit: usize },
}

impl IssueError {
    /// Stable machine-readable code (the CLI prints it).
    pub fn code(&self) -> &'static str {
        match self {
            IssueError::ReservedUnknownKey { .. } => "reserved-key",
            IssueError::InvalidUnknownValue { .. } => "invalid-unknown",
            IssueError::Encode => "encode",
            IssueError::Encrypt => "encrypt",
            IssueError::TooLarge { .. } => "too-large",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_indonesian_first_without_trailing_period() {
        let text = DecodeError::Expired.to_string();
        assert_eq!(
            text,
            "Masa berlaku QR ini sudah habis (This QR has expired)"
        );
        assert!(!text.ends_with('.'));
    }

    #[test]
    fn unsigned_credentials_share_the_signature_code() {
        assert_eq!(DecodeError::Unsigned.code(), "signature");
    }
}
