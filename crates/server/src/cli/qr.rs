//! `ikd qr issue | verify`: Claim 169 QR credentials from the command line (contract in
//! issue 3). Each command prints one JSON object on the last line of stdout; exit 0 = valid
//! or issued, 1 = invalid or not issued, 2 = usage error (clap's, or an argument or file we
//! could not use, which then also gets a JSON line with `"error":"usage"`).
//!
//! ```text
//! ikd qr issue --private-key PEM --claims FILE.json [--encrypt-key HEX] [--valid-for SECONDS]
//!   <Base45 QR text>
//!   {"qr":"<Base45 QR text>","kid":"<hex>","iss":…,"iat":…,"nbf":…,"exp":…,"encrypted":false}
//! ikd qr verify (--public-key PEM | --public-key-hex HEX)... | --no-verify
//!               [--decrypt-key HEX] [--institution-key PEM]... [--at UNIX_SECONDS] (QR_TEXT | -)
//!   {"valid":true,"verified":true,"claim169":{…},"cwt":{"iss":…,"sub":…,"iat":…,"exp":…,"nbf":…},
//!    "kid":"<hex>","alg":"ES256","encrypted":false}
//!   {"valid":false,"error":"<code>","message":"<Bahasa Indonesia>","messageEn":"<English>"}
//!   {"valid":false,"error":"other-institution",…,"encryptedFor":"<kid hex>"}
//! ```

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use ikd_core::claim169::{
    self, Claim169, CwtMeta, DecodeOptions, Decoded, HolderBinding, PublicKey, TrustList,
    TrustedKey,
};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rand_core::RngCore;
use serde::Serialize;

/// A year: long enough that a citizen is not re-issued a QR every visit, short enough that
/// a rotated-out issuer key stops mattering within one.
const DEFAULT_VALID_FOR: u64 = 365 * 24 * 60 * 60;

const ISSUE_HELP: &str = "\
Keluaran / output (stdout):
  baris pertama  teks QR Base45 mentah (the raw Base45 QR text, to feed a QR encoder)
  baris terakhir {\"qr\":\"…\",\"kid\":\"<hex>\",\"iss\":…,\"iat\":…,\"nbf\":…,\"exp\":…,\"encrypted\":…}
FILE.json memakai nama field Claim 169 (uses Claim 169 field names): id, fullName,
dateOfBirth (YYYYMMDD), gender (1 L, 2 P), address (baris dipisah \\n), photo (base64),
photoFormat (1 JPEG, 2 JPEG2000, 3 AVIF, 4 WEBP), placeOfBirth, religion, occupation,
bloodType, rtRw, ageOver17, … ; sub = id. Exit: 0 terbit (issued), 1 gagal (failed), 2 salah pakai (usage).";

const VERIFY_HELP: &str = "\
Keluaran / output: satu objek JSON di baris terakhir (one JSON object on the last line):
  {\"valid\":true,\"verified\":true|false,\"claim169\":{…},\"cwt\":{\"iss\",\"sub\",\"iat\",\"exp\",\"nbf\"},…}
  {\"valid\":false,\"error\":\"<kode>\",\"message\":\"<Bahasa Indonesia>\",\"messageEn\":\"…\"}
Kode galat (error codes): input, too-large, base45, decompress, cbor, cose, unsupported-alg,
unknown-key, signature, decrypt, other-institution, expired, not-yet-valid, missing-claim-169, not-presented,
holder-proof, stale, shown-in-future, usage. A QR bound to its holder's phone (CWT cnf) is
valid only with the phone's proof made within --tolerance of now; the answer's \"holder\"
says {\"bound\",\"shownAt\",\"shownSecondsAgo\"}. A QR encrypted to an institution opens
with that institution's key (--institution-key, the PEM `ikd institution add` printed);
without it the answer is other-institution with \"encryptedFor\": the key's kid.
Teks QR berisi spasi (Base45 memakai spasi): beri tanda kutip, atau pakai '-' untuk stdin.
Exit: 0 sah (valid), 1 tidak sah (invalid), 2 salah pakai (usage).";

#[derive(Debug, Subcommand)]
pub enum QrCommand {
    /// Terbitkan QR Claim 169 bertanda tangan ES256 (issue a signed Claim 169 QR)
    #[command(after_help = ISSUE_HELP)]
    Issue(IssueArgs),
    /// Periksa QR Claim 169 (decode and verify a Claim 169 QR)
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// Kunci privat penerbit, PEM PKCS#8 dari `ikd keygen` (issuer private key)
    #[arg(long, value_name = "PEM")]
    private_key: PathBuf,
    /// Data identitas, JSON dengan nama field Claim 169 (identity data, Claim 169 field names)
    #[arg(long, value_name = "FILE.json")]
    claims: PathBuf,
    /// Enkripsi dengan kunci AES-256-GCM ini, 64 digit hex (encrypt with this A256GCM key)
    #[arg(long, value_name = "HEX")]
    encrypt_key: Option<String>,
    /// Masa berlaku dalam detik sejak sekarang (validity from now, in seconds)
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_VALID_FOR,
          value_parser = clap::value_parser!(u64).range(1..))]
    valid_for: u64,
    /// Penerbit yang ditulis sebagai `iss` (issuer written as `iss`)
    #[arg(long, value_name = "URI", default_value = "urn:ikd:dukcapil")]
    issuer: String,
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("trust")
        .required(true)
        .multiple(true)
        .args(["public_key", "public_key_hex", "no_verify"])
))]
pub struct VerifyArgs {
    /// Kunci publik penerbit, PEM SPKI P-256, boleh berulang (trusted issuer key; repeatable)
    #[arg(long, value_name = "PEM")]
    public_key: Vec<PathBuf>,
    /// Kunci publik hex: titik P-256 65 bita atau Ed25519 32 bita, boleh berulang (public key
    /// in hex: 65-byte uncompressed P-256 point or 32-byte Ed25519 key; repeatable)
    #[arg(long, value_name = "HEX")]
    public_key_hex: Vec<String>,
    /// Baca isi tanpa memeriksa tanda tangan (decode without checking any signature)
    #[arg(long, conflicts_with_all = ["public_key", "public_key_hex"])]
    no_verify: bool,
    /// Kunci AES-256-GCM untuk QR terenkripsi, 64 digit hex (key for encrypted QRs)
    #[arg(long, value_name = "HEX")]
    decrypt_key: Option<String>,
    /// Kunci privat QR instansi, PEM PKCS#8 dari `ikd institution add`, boleh berulang
    /// (an institution's QR private key, as `ikd institution add` printed it; repeatable)
    #[arg(long, value_name = "PEM")]
    institution_key: Vec<PathBuf>,
    /// Periksa masa berlaku pada waktu ini, detik Unix; bawaan: sekarang (check validity at)
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    at: Option<i64>,
    /// Selisih waktu bukti pemegang yang diterima, detik (how old or early a holder's proof
    /// may be, seconds)
    #[arg(long, value_name = "SECONDS", default_value_t = claim169::HOLDER_TOLERANCE_SECS)]
    pub tolerance: i64,
    /// Teks QR, atau `-` untuk membaca dari stdin (the QR text, or `-` for stdin)
    #[arg(value_name = "QR_TEXT", allow_hyphen_values = true)]
    qr: String,
}

pub fn run(command: QrCommand) -> ExitCode {
    let (result, is_verify) = match command {
        QrCommand::Issue(args) => (issue(&args), false),
        QrCommand::Verify(args) => (verify(&args), true),
    };
    match result {
        Ok(code) => code,
        Err(Usage(message)) => {
            super::print_json_line(&Refusal {
                // verify's answers always say whether the QR is valid; unusable arguments
                // mean it was not found valid.
                valid: is_verify.then_some(false),
                error: "usage",
                message: &message,
                message_en: None,
                encrypted_for: None,
            });
            ExitCode::from(2)
        }
    }
}

/// An argument or file we cannot use; the message names it, Bahasa Indonesia first.
struct Usage(String);

fn issue(args: &IssueArgs) -> Result<ExitCode, Usage> {
    let key = read_signing_key(&args.private_key)?;
    let claim = read_claims(&args.claims)?;
    let encryption_key = args
        .encrypt_key
        .as_deref()
        .map(|hex| key_from_hex(hex, "--encrypt-key"))
        .transpose()?;
    let now = crate::platform::clock::unix_now();
    let exp = i64::try_from(args.valid_for)
        .ok()
        .and_then(|valid_for| now.checked_add(valid_for))
        .ok_or_else(|| Usage("--valid-for terlalu besar (--valid-for is too large)".into()))?;
    let meta = CwtMeta {
        iss: Some(args.issuer.clone()),
        // The subject is the NIK when the profile carries one; the age profile has none, and
        // must not get one here.
        sub: claim.id.clone(),
        iat: Some(now),
        nbf: Some(now),
        exp: Some(exp),
        cti: None,
        cnf: None,
    };
    let kid = claim169::es256_kid(key.verifying_key());
    let encryption = encryption_key.as_ref().map(|key| {
        let mut nonce = [0u8; 12];
        rand_core::OsRng.fill_bytes(&mut nonce);
        (key, nonce)
    });
    match claim169::issue(&claim, &meta, &key, &kid, encryption) {
        Ok(qr) => {
            println!("{qr}");
            super::print_json_line(&Issued {
                qr: &qr,
                kid: ikd_core::hex::encode(&kid),
                iss: &args.issuer,
                iat: now,
                nbf: now,
                exp,
                encrypted: encryption.is_some(),
            });
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            super::print_json_line(&Refusal {
                valid: None,
                error: err.code(),
                message: &err.to_string(),
                message_en: None,
                encrypted_for: None,
            });
            Ok(ExitCode::FAILURE)
        }
    }
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, Usage> {
    let mut trust = TrustList::new();
    for path in &args.public_key {
        trust.add(TrustedKey::new(read_public_key(path)?));
    }
    for text in &args.public_key_hex {
        let bytes = bytes_from_hex(text, "--public-key-hex")?;
        let key = PublicKey::from_bytes(&bytes)
            .map_err(|err| Usage(format!("--public-key-hex {text}: {err}")))?;
        trust.add(TrustedKey::new(key));
    }
    let decrypt_key = args
        .decrypt_key
        .as_deref()
        .map(|hex| key_from_hex(hex, "--decrypt-key"))
        .transpose()?;
    let mut institution_keys = Vec::new();
    for path in &args.institution_key {
        let pem = fs::read_to_string(path)
            .map_err(|err| Usage(format!("--institution-key {}: {err}", path.display())))?;
        let key = crate::journey::institutions::qr_key_from_pem(&pem).ok_or_else(|| {
            Usage(format!(
                "--institution-key {}: bukan kunci privat P-256 PKCS#8 (not a P-256 PKCS#8 private key)",
                path.display()
            ))
        })?;
        institution_keys.push(key);
    }
    let now = match args.at {
        Some(at) => at,
        None => crate::platform::clock::unix_now(),
    };
    let text = read_qr_text(&args.qr)?;
    let options = DecodeOptions {
        trust: (!args.no_verify).then_some(&trust),
        decrypt_key,
        institution_keys: &institution_keys,
        now,
        check_time: true,
        holder_tolerance_secs: args.tolerance,
    };
    match claim169::decode(&text, &options) {
        Ok(decoded) => {
            super::print_json_line(&ValidAnswer::new(&decoded, now));
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            super::print_json_line(&Refusal {
                valid: Some(false),
                error: err.code(),
                message: err.message_id(),
                message_en: Some(err.message_en()),
                encrypted_for: claim169::encrypted_for(&text)
                    .map(|kid| ikd_core::hex::encode(&kid)),
            });
            Ok(ExitCode::FAILURE)
        }
    }
}

#[derive(Debug, Serialize)]
struct Issued<'a> {
    qr: &'a str,
    kid: String,
    iss: &'a str,
    iat: i64,
    nbf: i64,
    exp: i64,
    encrypted: bool,
}

/// Every "no" the command gives: an invalid QR, a credential not issued, a usage error.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Refusal<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    valid: Option<bool>,
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_en: Option<&'a str>,
    /// For a QR encrypted to an institution: the kid of that institution's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted_for: Option<String>,
}

#[derive(Debug, Serialize)]
struct ValidAnswer<'a> {
    valid: bool,
    verified: bool,
    claim169: &'a Claim169,
    cwt: &'a CwtMeta,
    kid: Option<String>,
    alg: Option<&'static str>,
    encrypted: bool,
    holder: Holder,
}

/// Whether the credential is bound to its holder's phone and, when it is, how long ago the
/// phone made this QR.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Holder {
    bound: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown_seconds_ago: Option<i64>,
}

impl<'a> ValidAnswer<'a> {
    fn new(decoded: &'a Decoded, now: i64) -> Self {
        let holder = match decoded.holder {
            HolderBinding::NotBound => Holder {
                bound: false,
                shown_at: None,
                shown_seconds_ago: None,
            },
            HolderBinding::Unproven => Holder {
                bound: true,
                shown_at: None,
                shown_seconds_ago: None,
            },
            HolderBinding::Presented { at } => Holder {
                bound: true,
                shown_at: Some(at),
                shown_seconds_ago: Some(now - at),
            },
        };
        ValidAnswer {
            holder,
            valid: true,
            verified: decoded.verified,
            claim169: &decoded.claim169,
            cwt: &decoded.meta,
            kid: decoded.kid.as_deref().map(ikd_core::hex::encode),
            alg: decoded.alg.map(|alg| alg.as_str()),
            encrypted: decoded.encrypted,
        }
    }
}

fn read_signing_key(path: &Path) -> Result<p256::ecdsa::SigningKey, Usage> {
    let pem = read_text(path)?;
    p256::ecdsa::SigningKey::from_pkcs8_pem(&pem).map_err(|_| {
        Usage(format!(
            "{} bukan kunci privat P-256 PKCS#8 (not a P-256 PKCS#8 private key)",
            path.display()
        ))
    })
}

fn read_public_key(path: &Path) -> Result<PublicKey, Usage> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let pem = read_text(path)?;
    let key = p256::PublicKey::from_public_key_pem(&pem).map_err(|_| {
        Usage(format!(
            "{} bukan kunci publik P-256 SPKI (not a P-256 SPKI public key)",
            path.display()
        ))
    })?;
    PublicKey::from_bytes(key.to_encoded_point(false).as_bytes())
        .map_err(|err| Usage(format!("{}: {err}", path.display())))
}

fn read_claims(path: &Path) -> Result<Claim169, Usage> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|err| {
        Usage(format!(
            "{} bukan data Claim 169 yang sah (not valid Claim 169 JSON): {err}",
            path.display()
        ))
    })
}

fn read_text(path: &Path) -> Result<String, Usage> {
    fs::read_to_string(path).map_err(|err| {
        Usage(format!(
            "{} tidak dapat dibaca (cannot be read): {err}",
            path.display()
        ))
    })
}

/// The QR text from the argument or, for `-`, from stdin. Only line endings are trimmed:
/// a space is a Base45 character.
fn read_qr_text(arg: &str) -> Result<String, Usage> {
    let text = if arg == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|err| {
            Usage(format!(
                "stdin tidak dapat dibaca (cannot read stdin): {err}"
            ))
        })?;
        text
    } else {
        arg.to_owned()
    };
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

fn key_from_hex(text: &str, flag: &str) -> Result<[u8; 32], Usage> {
    bytes_from_hex(text, flag)?.try_into().map_err(|_| {
        Usage(format!(
            "{flag} harus 32 bita = 64 digit hex ({flag} must be 32 bytes = 64 hex digits)"
        ))
    })
}

fn bytes_from_hex(text: &str, flag: &str) -> Result<Vec<u8>, Usage> {
    let invalid = || Usage(format!("{flag} bukan hex yang sah (not valid hex)"));
    ikd_core::hex::decode(text.trim()).ok_or_else(invalid)
}
